package charter

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/charte/charte/internal/browsertest"
	"github.com/charte/charte/internal/demo"
	"github.com/charte/charte/registry"
)

// TestCharterDSFR: with theme: dsfr the charter carries the DSFR's classes
// (container, tables, badges, button); put in a page that loads the DSFR's
// own CSS (npm @gouvfr/dsfr), as a public body's site does, it takes the
// DSFR's look and passes axe, in French and English. charte's own theme
// carries none of them.
func TestCharterDSFR(t *testing.T) {
	site := demo.Site("demo")
	if html := render(t, "html", Page{Site: site, Revision: "abc", PublishedAt: published, Lang: "fr"}); strings.Contains(html, "fr-") {
		t.Error("charte's own theme carries DSFR classes")
	}
	site.Theme = registry.ThemeDSFR
	dist := browsertest.DSFR(t)
	browser := browsertest.Start(t)
	for _, lang := range []string{"fr", "en"} {
		t.Run(lang, func(t *testing.T) {
			page := render(t, "html", Page{Site: site, Revision: "abc", PublishedAt: published, Lang: lang})
			for _, c := range []string{`<main class="fr-container">`, `class="table-wrap fr-table"`, "fr-table__content", "fr-badge fr-badge--warning", "fr-badge fr-badge--success", "fr-btn fr-btn--secondary"} {
				if !strings.Contains(page, c) {
					t.Errorf("the DSFR charter lacks %s", c)
				}
			}
			// As a DSFR site embeds it: the DSFR's stylesheet after charte's.
			page = strings.Replace(page, "</head>", `<link rel="stylesheet" href="/dsfr/dsfr.min.css"></head>`, 1)
			mux := http.NewServeMux()
			mux.Handle("GET /dsfr/", http.StripPrefix("/dsfr/", http.FileServer(http.Dir(dist))))
			mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", "text/html; charset=utf-8")
				w.Write([]byte(page))
			})
			ts := httptest.NewServer(mux)
			defer ts.Close()
			tab := browsertest.Tab(t, browser)
			browsertest.Open(t, tab, ts.URL+"/", "")
			// "Bleu France" (#000091) on the button: the DSFR's CSS applies.
			if c := browsertest.Eval[string](t, tab, `getComputedStyle(document.querySelector('.fr-btn')).color`); c != "rgb(0, 0, 145)" {
				t.Errorf("the DSFR's CSS does not style the charter's button: colour %s", c)
			}
			for _, v := range browsertest.Axe(t, tab, "") {
				t.Errorf("axe: %s", v)
			}
		})
	}
}
