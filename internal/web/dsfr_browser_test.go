package web

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/charte/charte/internal/browsertest"
	"github.com/charte/charte/registry"
)

// TestBrowserDSFR: with theme: dsfr, on a site that loads the DSFR's own
// CSS (npm @gouvfr/dsfr), the banner, the dialog and the placeholder have
// the DSFR consent manager's anatomy and look, work, and pass axe.
func TestBrowserDSFR(t *testing.T) {
	dist := browsertest.DSFR(t)
	browser := startChromium(t)
	e := newEnv(t)
	ctx := context.Background()
	site, err := e.store.Site(ctx, "demo")
	if err != nil {
		t.Fatal(err)
	}
	site.Theme = registry.ThemeDSFR
	if err := e.store.SaveSite(ctx, registry.MustCheck(site)); err != nil {
		t.Fatal(err)
	}
	if _, err := e.store.Publish(ctx, "demo"); err != nil {
		t.Fatal(err)
	}
	e.server.revisions.Forget("demo")
	page := dsfrSite(t, e.URL, dist)

	for _, lang := range []string{"fr", "en"} {
		t.Run(lang, func(t *testing.T) {
			words := map[string][]string{
				"fr": {"Tout accepter", "Tout refuser", "Personnaliser", "Accepter", "Refuser", "Confirmer mes choix"},
				"en": {"Accept all", "Reject all", "Customise", "Accept", "Refuse", "Confirm my choices"},
			}[lang]
			tb := tab(t, browser)
			open(t, tb, page+"?lang="+lang)

			// The first layer: first in the page, the DSFR's anatomy, its look.
			got := eval[struct {
				First               bool
				Title, Position, Bg string
				Buttons             []string
				Secondary           string
			}](t, tb, `(b => ({
  first: document.body.firstElementChild === b,
  title: b.querySelector('h2.fr-h6').textContent,
  position: getComputedStyle(b).position,
  bg: getComputedStyle(b.querySelector('.fr-consent-banner__buttons .fr-btn')).backgroundColor,
  buttons: [...b.querySelectorAll('.fr-consent-banner__buttons > li > button.fr-btn')].map(x => x.textContent),
  secondary: b.querySelector('.fr-btn--secondary').textContent,
}))(document.querySelector('.fr-consent-banner'))`)
			if !got.First {
				t.Error("the DSFR banner is not first in the page")
			}
			if strings.Join(got.Buttons, "|") != strings.Join(words[:3], "|") || got.Secondary != words[2] {
				t.Errorf("banner buttons %q (secondary %q), want %q", got.Buttons, got.Secondary, words[:3])
			}
			// The DSFR's CSS styles it: fixed at the bottom, buttons in
			// "bleu France" (#000091).
			if got.Position != "fixed" || got.Bg != "rgb(0, 0, 145)" {
				t.Errorf("the DSFR's CSS does not style the banner: position %q, button %q", got.Position, got.Bg)
			}
			for _, v := range browsertest.Axe(t, tb, "") {
				t.Errorf("first layer: axe: %s", v)
			}

			// The dialog: a DSFR modal, one service per purpose.
			click(t, tb, `.fr-consent-banner [data-charte-action=customise]`)
			waitTrue(t, tb, `!!document.querySelector('.fr-modal--opened')`)
			modal := eval[struct {
				Visible   bool
				Services  []string
				Necessary []bool // accept checked, refuse disabled
				Labels    []string
				Confirm   string
			}](t, tb, `(m => ({
  visible: getComputedStyle(m).visibility === 'visible' && getComputedStyle(m).opacity === '1',
  services: [...m.querySelectorAll('.fr-consent-manager > .fr-consent-service legend.fr-consent-service__title')].map(l => l.textContent),
  necessary: (s => [s.querySelector('input[id$=-a]').checked, s.querySelector('input[id$=-r]').disabled])(m.querySelector('#charte-necessary-a').closest('.fr-consent-service')),
  labels: [...m.querySelector('#charte-statistics-a').closest('.fr-consent-service__radios').querySelectorAll('label.fr-label')].map(l => l.textContent),
  confirm: m.querySelector('.fr-consent-manager__buttons .fr-btn').textContent,
}))(document.querySelector('.fr-modal'))`)
			if !modal.Visible {
				t.Error("the DSFR modal is not visible with the DSFR's CSS")
			}
			if len(modal.Services) != 3 {
				t.Errorf("services %q, want necessary, statistics, marketing", modal.Services)
			}
			if len(modal.Necessary) != 2 || !modal.Necessary[0] || !modal.Necessary[1] {
				t.Errorf("necessary cookies: accept checked, refuse disabled = %v", modal.Necessary)
			}
			if strings.Join(modal.Labels, "|") != words[3]+"|"+words[4] || modal.Confirm != words[5] {
				t.Errorf("radios %q, button %q; want %q", modal.Labels, modal.Confirm, words[3:])
			}
			eval[bool](t, tb, `document.querySelectorAll('.fr-modal details').forEach(d => d.open = true), true`)
			for _, v := range browsertest.Axe(t, tb, "") {
				t.Errorf("dialog: axe: %s", v)
			}
			click(t, tb, `#charte-statistics-a`)
			click(t, tb, `.fr-consent-manager__buttons [data-charte-action=save]`)
			waitTrue(t, tb, `!document.querySelector('.fr-modal, .fr-consent-banner')`)
			choice, _ := storedChoice(t, tb)
			if !strings.HasSuffix(choice.Encode(), "statistics=1&marketing=0") {
				t.Errorf("choice %s, want statistics only", choice.Encode())
			}
			if got := eval[string](t, tb, focusedIs); got != "charte charte-s" {
				t.Errorf("focus on %q after the choice, want the status message", got)
			}

			// The placeholder of the blocked video.
			ph := eval[string](t, tb, `(p => p ? p.querySelector('button.fr-btn').textContent : '')(document.querySelector('.fr-consent-placeholder'))`)
			if ph == "" {
				t.Error("no DSFR placeholder for the blocked video")
			}
			for _, v := range browsertest.Axe(t, tb, "") {
				t.Errorf("placeholder: axe: %s", v)
			}
		})
	}
}

// dsfrSite serves a public body's page as the DSFR has it: its CSS (from
// the npm package's dist), charte's banner, a blocked video.
func dsfrSite(t *testing.T, charte, dist string) string {
	t.Helper()
	mux := http.NewServeMux()
	mux.Handle("GET /dsfr/", http.StripPrefix("/dsfr/", http.FileServer(http.Dir(dist))))
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		lang := r.URL.Query().Get("lang")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, `<!DOCTYPE html><html lang="`+lang+`"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Service public</title>
<link rel="stylesheet" href="/dsfr/dsfr.min.css">
<script src="`+charte+`/sites/demo/banner.js?lang=`+lang+`" defer></script></head>
<body><main class="fr-container"><h1>Service public</h1><p><a href="#" data-charte-open id="demo-manage">Cookies</a></p>
<iframe id="demo-video" data-charte="marketing" data-src="about:blank" title="Video" width="560" height="315"></iframe></main></body></html>`)
	})
	ts := httptest.NewServer(mux)
	t.Cleanup(ts.Close)
	return strings.Replace(ts.URL, "127.0.0.1", "localhost", 1) + "/"
}
