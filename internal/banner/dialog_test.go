package banner

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/charte/charte/internal/browsertest"
	"github.com/charte/charte/internal/demo"
	"github.com/charte/charte/internal/i18n"
	"github.com/charte/charte/registry"
)

// TestBrowserDialogFetched: the preferences dialog comes from charte the
// first time it opens. While it loads, the status message says so and has
// the focus; once here, the dialog takes the focus and gives it back to
// "Personnaliser" when closed; if it cannot be loaded, the status message
// says that, the first layer still works, and the next opening tries again.
// The details answer only when the test lets them, so nothing depends on
// timing.
func TestBrowserDialogFetched(t *testing.T) {
	browser := browsertest.Start(t)
	site := demo.Site("demo")
	answer := make(chan int) // the status the next details request gets
	var script, details []byte
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.HasSuffix(r.URL.Path, ".json"):
			status := <-answer
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			if status == http.StatusOK {
				w.Write(details)
			}
		case strings.HasSuffix(r.URL.Path, ".js"):
			w.Header().Set("Content-Type", "text/javascript")
			w.Write(script)
		case r.Method == http.MethodPost: // the proof
			w.WriteHeader(http.StatusCreated)
		default:
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>t</title><script src="/banner.js?lang=fr" defer></script></head><body><p>page</p></body></html>`)
		}
	}))
	defer srv.Close()
	var err error
	opts := Options{APIBase: srv.URL}
	if script, err = Build(site, site.Revision(), "fr", opts); err != nil {
		t.Fatal(err)
	}
	if details, err = Details(site, site.Revision(), "fr", opts); err != nil {
		t.Fatal(err)
	}
	status := `(() => { const s = document.querySelector('.charte-s'); return s.textContent + '|' + (document.activeElement == s); })()`
	customise := `.charte-banner [data-charte-action=customise]`
	tests := []struct {
		name    string
		answers []int // the details requests' statuses, in turn
	}{
		{"loads, then opens", []int{http.StatusOK}},
		{"fails, then loads on the next opening", []int{http.StatusInternalServerError, http.StatusOK}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tab := browsertest.Tab(t, browser)
			browsertest.Open(t, tab, srv.URL+"/", `!!document.querySelector('.charte-banner')`)
			for _, code := range tt.answers {
				browsertest.Eval[bool](t, tab, `document.querySelector(`+fmt.Sprintf("%q", customise)+`).focus(), true`)
				if err := chromedp.Do(tab, chromedp.KeyEvent(kb.Enter)); err != nil {
					t.Fatal(err)
				}
				// The request waits for the test: the loading state shows.
				browsertest.WaitTrue(t, tab, status+` == `+fmt.Sprintf("%q", i18n.T("fr", "banner.loading")+"|true"))
				if browsertest.Eval[bool](t, tab, `!!document.querySelector('.charte-o')`) {
					t.Fatal("the dialog is open before its details came")
				}
				answer <- code
				if code != http.StatusOK {
					browsertest.WaitTrue(t, tab, status+` == `+fmt.Sprintf("%q", i18n.T("fr", "banner.load_failed")+"|true"))
					if !browsertest.Eval[bool](t, tab, `!!document.querySelector('.charte-banner:not([hidden]) [data-charte-action=accept_all]') && !document.querySelector('.charte-o')`) {
						t.Error("after the failure, the first layer is not there to choose")
					}
					continue
				}
				browsertest.WaitTrue(t, tab, `!!document.querySelector('.charte-d') && document.activeElement == document.querySelector('.charte-d')`)
				got := browsertest.Eval[string](t, tab, `document.querySelector('.charte-d').innerText`)
				for _, w := range []string{i18n.T("fr", "banner.dialog"), "Matomo compte les visites", "Cookies (2)", i18n.T("fr", "banner.save")} {
					if !strings.Contains(got, w) {
						t.Errorf("the dialog does not say %q:\n%s", w, got)
					}
				}
				if pos := browsertest.Eval[string](t, tab, `getComputedStyle(document.querySelector('.charte-o')).position`); pos != "fixed" {
					t.Errorf("the dialog's rules did not come with it: position %q", pos)
				}
				if err := chromedp.Do(tab, chromedp.KeyEvent(kb.Escape)); err != nil {
					t.Fatal(err)
				}
				browsertest.WaitTrue(t, tab, `!document.querySelector('.charte-o') && document.activeElement == document.querySelector(`+fmt.Sprintf("%q", customise)+`)`)
			}
			// Opened again, it needs no request (none is answered now).
			browsertest.Click(t, tab, customise)
			browsertest.WaitTrue(t, tab, `!!document.querySelector('.charte-d')`)
			browsertest.Click(t, tab, `.charte-d [data-charte-action=reject_all]`)
			browsertest.WaitTrue(t, tab, `!document.querySelector('.charte-banner, .charte-o') && document.cookie.includes('cookies_preferences=')`)
		})
	}
}

// TestDialogMarkup: what the rendered dialog holds, per theme, and what it
// leaves for the script to set from the visitor's choice.
func TestDialogMarkup(t *testing.T) {
	noGPC := demo.Site("demo")
	noGPC.IgnoreGPC = true
	dsfr := demo.Site("demo")
	dsfr.Theme = registry.ThemeDSFR
	for _, tt := range []struct {
		name      string
		dialog    string
		want, not []string
	}{
		{"charte's, French", dialogHTML(t, demo.Site("demo"), "fr"), []string{
			`<div class="charte charte-o" lang="fr">`, `role="dialog" aria-modal="true" aria-labelledby="charte-t"`,
			`<input type="checkbox" role="switch" data-k="statistics"> Mesure d'audience</label>`,
			`<p data-g hidden>Votre navigateur envoie le signal Global Privacy Control`,
			`<p data-i hidden>Identifiant de consentement : <code></code></p>`,
			`<li><b>_pk_id*</b> — Matomo — Reconnaître un visiteur qui revient pour compter les visites uniques. — 13 mois</li>`,
			`— Toujours actifs</h3>`, `<summary>Cookies (4)</summary>`,
			`<button data-charte-action="reject_all">Tout refuser</button><button data-charte-action="accept_all">Tout accepter</button><button data-charte-action="save">Enregistrer mes choix</button>`,
		}, []string{" checked", "fr-", "data-s="}},
		{"no GPC notice when the site ignores it", dialogHTML(t, noGPC, "fr"), nil, []string{"data-g"}},
		{"a site needing no consent", dialogHTML(t, demo.Site("opendata-pau"), "en"), []string{
			`<p>` + esc(i18n.T("en", "banner.none")) + `</p>`, `<button data-charte-action="close">Close</button>`,
		}, []string{"data-k=", "data-g", "accept_all"}},
		{"the DSFR's", dialogHTML(t, dsfr, "fr"), []string{
			`<div class="fr-modal fr-modal--opened" role="dialog"`, `<div class="fr-consent-manager">`,
			`<input type="radio" id="charte-statistics-a" name="charte-statistics" data-k="statistics">`,
			`<input type="radio" id="charte-statistics-r" name="charte-statistics" data-r="statistics">`,
			`<input type="radio" id="charte-necessary-a" name="charte-necessary" checked>`,
			`<input type="radio" id="charte-necessary-r" name="charte-necessary" disabled>`,
			`<button class="fr-btn" data-charte-action="save">Confirmer mes choix</button>`,
		}, []string{"charte-o", "role=\"switch\""}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			for _, w := range tt.want {
				if !strings.Contains(tt.dialog, w) {
					t.Errorf("the dialog lacks %s", w)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(tt.dialog, n) {
					t.Errorf("the dialog holds %s", n)
				}
			}
		})
	}
}

// dialogHTML is the dialog of site's script in lang.
func dialogHTML(t *testing.T, site *registry.Site, lang string) string {
	t.Helper()
	more, err := Details(site, site.Revision(), lang, Options{APIBase: "https://charte.example"})
	if err != nil {
		t.Fatal(err)
	}
	return dialogOf(t, more)
}
