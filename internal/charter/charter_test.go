package charter

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/charte/charte/internal/demo"
	"github.com/charte/charte/internal/i18n"
	"github.com/charte/charte/registry"
)

func render(t *testing.T, format string, p Page) string {
	t.Helper()
	var b bytes.Buffer
	var err error
	switch format {
	case "html":
		err = RenderHTML(&b, p)
	case "md":
		err = RenderMarkdown(&b, p)
	case "json":
		err = RenderJSON(&b, p)
	}
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

var published = time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)

func TestSeedCharterContent(t *testing.T) {
	site := demo.Site("opendata-pau")
	tests := []struct {
		lang, format string
		want         []string
		wantNot      []string
	}{
		{"fr", "html", []string{`<html lang="fr">`, "Charte cookies", "Qu'est-ce qu'un cookie ?",
			"<code>sessionid</code>", "<code>django_language</code>", "<code>csrftoken</code>", "<code>cookies_preferences</code>",
			"Se souvenir de l&#39;utilisateur d&#39;une page à une autre.", "Se souvenir de la langue du visiteur",
			"Récupérer des données via des appels API", "Se souvenir du choix opéré par le visiteur concernant les cookies",
			"Authentification (front et back office)", "Opendatasoft", "2 semaines", "12 mois", "52 semaines", "6 mois",
			`<th scope="col">Nom du prestataire</th>`, `<th scope="col">Service et emplacement</th>`, "Exempté",
			"data-charte-open", "Gérer mes cookies", "publiée le 28 novembre 2026", "Interne"},
			[]string{"Requis</span>", "Nos partenaires"}},
		{"en", "html", []string{`<html lang="en">`, "Cookie charter", "What is a cookie?",
			"Remember the user from one page to the next.", "Retrieve data through API calls", "2 weeks", "12 months",
			"52 weeks", "6 months", `<th scope="col">Provider</th>`, "Exempt", "Manage my cookies", "First party",
			"published on 28 November 2026"}, []string{"Needed</span>"}},
		{"fr", "md", []string{"# Charte cookies", "| Nom du prestataire | Service et emplacement | Nom du cookie |",
			"| Opendatasoft | Authentification (front et back office) | `sessionid` |", "`csrftoken`", "Exempté"}, []string{"<"}},
		{"en", "json", []string{`"site": "opendata-pau"`, `"lang": "en"`, `"name": "sessionid"`, `"needs_consent": false`,
			`"purpose": "Retrieve data through API calls"`}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.lang+"/"+tt.format, func(t *testing.T) {
			out := render(t, tt.format, Page{Site: site, Revision: site.Revision(), PublishedAt: published, Lang: tt.lang})
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("missing %q", w)
				}
			}
			for _, w := range tt.wantNot {
				if strings.Contains(out, w) {
					t.Errorf("unexpected %q", w)
				}
			}
		})
	}
}

func TestConsentColumn(t *testing.T) {
	site := demo.Site("demo")
	var d document
	if err := json.Unmarshal([]byte(render(t, "json", Page{Site: site, Revision: "r", Lang: "en"})), &d); err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{"necessary": false, "statistics": true, "marketing": true}
	for _, c := range d.Categories {
		if c.NeedsConsent != want[c.ID] {
			t.Errorf("%s: needs_consent = %v", c.ID, c.NeedsConsent)
		}
	}
	if len(d.Partners) != 1 || d.Partners[0] != "YouTube (Google)" {
		t.Errorf("partners = %v", d.Partners)
	}
	html := render(t, "html", Page{Site: site, Revision: "r", Lang: "fr"})
	for _, w := range []string{"<code>_pk_id…</code>", "Requis", "Tiers", "domaine youtube.com", "Nos partenaires", "brouillon"} {
		if !strings.Contains(html, w) {
			t.Errorf("demo charter lacks %q", w)
		}
	}
}

func TestRegistryStringsAreEscaped(t *testing.T) {
	site := demo.Site("opendata-pau")
	site.Name = `<img src=x onerror=alert(1)>`
	site.Cookies[0].Name = `<script>`
	site.Cookies[0].Provider = `Evil | Corp`
	site.Cookies[0].Purpose["fr"] = "**bold**\n| new row"
	html := render(t, "html", Page{Site: site, Revision: "r", Lang: "fr"})
	if strings.Contains(html, "<script>") || strings.Contains(html, "<img") {
		t.Error("HTML charter contains raw markup from the registry")
	}
	if !strings.Contains(html, "&lt;script&gt;") {
		t.Error("the cookie named <script> is not shown as text")
	}
	md := render(t, "md", Page{Site: site, Revision: "r", Lang: "fr"})
	if strings.Contains(md, "<img") || !strings.Contains(md, `Evil \| Corp`) || strings.Contains(md, "\n| new row") {
		t.Errorf("Markdown charter is not escaped:\n%s", md)
	}
}

func TestStyleHashMatchesInlineStyle(t *testing.T) {
	if !strings.HasPrefix(StyleHash(), "'sha256-") {
		t.Fatal(StyleHash())
	}
}

func BenchmarkRenderHTML(b *testing.B) {
	site := demo.Site("demo")
	p := Page{Site: site, Revision: site.Revision(), PublishedAt: published, Lang: "fr"}
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := RenderHTML(&buf, p); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(int64(buf.Len()))
}

// The registry accepts exactly the languages the catalogue speaks: a site
// can list no language charte would answer in English instead.
func TestRegistryLanguagesAreTheCatalogues(t *testing.T) {
	if got, want := registry.Languages, i18n.Languages(); !slices.Equal(got, want) {
		t.Errorf("registry.Languages = %v\ni18n.Languages() = %v", got, want)
	}
}
