package admin_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/charte/charte/internal/browsertest"
	"github.com/charte/charte/registry"
)

// boPress sends keys to whatever has the focus, as a keyboard-only operator.
func boPress(t *testing.T, tab context.Context, keys string) {
	t.Helper()
	if err := chromedp.Do(tab, chromedp.KeyEvent(keys)); err != nil {
		t.Fatalf("press %q: %v", keys, err)
	}
}

// boTabTo presses Tab until the focus is on selector, as many times as a
// page of that size may take, and fails when it never gets there.
func boTabTo(t *testing.T, tab context.Context, selector string) {
	t.Helper()
	for range 200 {
		boPress(t, tab, kb.Tab)
		if boEval[bool](t, tab, `document.activeElement.matches(`+boJS(selector)+`)`) {
			return
		}
	}
	t.Fatalf("Tab never reached %s", selector)
}

// TestBrowserTranslations: with the keyboard alone, an editor goes to the
// language with a missing text, fills it in, saves, and sees the count
// drop; the page passes axe, and Arabic fields run right to left.
func TestBrowserTranslations(t *testing.T) {
	browser := boChromium(t)
	s := newBoServer(t)
	ctx := context.Background()
	site, err := s.st.Site(ctx, "demo")
	if err != nil {
		t.Fatal(err)
	}
	delete(site.Cookies[2].Purpose, "de")
	if err := s.st.SaveSite(ctx, registry.MustCheck(site)); err != nil {
		t.Fatal(err)
	}
	tab := boTab(t, browser, "fr")
	boLogin(t, tab, s, "editor@example.org")
	boOpen(t, tab, s.URL+"/admin/sites/demo/")
	boTabTo(t, tab, `nav.site a[href$="/translations"]`)
	boEval[bool](t, tab, `window.boOldPage = true`)
	boPress(t, tab, kb.Enter)
	boWait(t, tab, `!window.boOldPage && document.readyState === 'complete'`)
	if got := boEval[string](t, tab, `document.querySelector('#count-de').textContent`); got != "1 texte à traduire" {
		t.Fatalf("German before: %q", got)
	}
	for _, v := range browsertest.Axe(t, tab, "") {
		t.Errorf("overview: axe: %s", v)
	}

	boTabTo(t, tab, `nav.languages a[lang=de]`)
	boEval[bool](t, tab, `window.boOldPage = true`)
	boPress(t, tab, kb.Enter)
	boWait(t, tab, `!window.boOldPage && document.readyState === 'complete'`)
	// The flagged row's field is reached by Tab and named by its row and
	// column, so a screen reader says which text it translates.
	field := `textarea[name="t.cookies[2].purpose"]`
	boTabTo(t, tab, field)
	name := boEval[string](t, tab, `[...document.activeElement.getAttribute('aria-labelledby').split(' ')].map(id => document.getElementById(id).textContent).join(' ')`)
	if !strings.Contains(name, "Cookie « csrftoken » — finalité") || !strings.Contains(name, "À traduire") || !strings.Contains(name, "Traduction (Deutsch)") {
		t.Errorf("the field is named %q", name)
	}
	for _, v := range browsertest.Axe(t, tab, "") {
		t.Errorf("German table: axe: %s", v)
	}
	boPress(t, tab, "Daten über API-Aufrufe abrufen")
	boTabTo(t, tab, `main form button`)
	boEval[bool](t, tab, `window.boOldPage = true`)
	boPress(t, tab, kb.Enter)
	boWait(t, tab, `!window.boOldPage && document.readyState === 'complete'`)

	if got := boEval[string](t, tab, `document.querySelector('#count-de').textContent`); got != "tout est traduit" {
		t.Errorf("German after saving: %q\n%s", got, boText(t, tab))
	}
	if got := boEval[string](t, tab, `document.querySelector('.flash').textContent`); got == "" {
		t.Error("no word that the texts were saved")
	}
	if n := boEval[int](t, tab, `document.querySelectorAll('tr.missing').length`); n != 0 {
		t.Errorf("%d rows still flagged", n)
	}
	draft, err := s.st.Site(ctx, "demo")
	if err != nil {
		t.Fatal(err)
	}
	if got := draft.Cookies[2].Purpose["de"]; got != "Daten über API-Aufrufe abrufen" {
		t.Errorf("the draft's German purpose: %q", got)
	}

	boOpen(t, tab, s.URL+"/admin/sites/demo/translations/ar")
	dirs := boEval[[]string](t, tab, `[...new Set([...document.querySelectorAll('table.translations textarea, table.translations input')].map(e => getComputedStyle(e).direction))]`)
	if len(dirs) != 1 || dirs[0] != "rtl" {
		t.Errorf("Arabic fields run %v, want rtl", dirs)
	}
	for _, v := range browsertest.Axe(t, tab, "") {
		t.Errorf("Arabic table: axe: %s", v)
	}
}

// TestBrowserTranslationsInEveryOfficeLanguage: the page speaks each of the
// back office's five languages (its title, the flag of a missing text, the
// count) and passes axe in each.
func TestBrowserTranslationsInEveryOfficeLanguage(t *testing.T) {
	browser := boChromium(t)
	s := newBoServer(t)
	ctx := context.Background()
	site, err := s.st.Site(ctx, "demo")
	if err != nil {
		t.Fatal(err)
	}
	delete(site.Cookies[2].Purpose, "de")
	if err := s.st.SaveSite(ctx, registry.MustCheck(site)); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ lang, title, flag, count string }{
		{"de", "Übersetzungen", "Nicht übersetzt", "1 Text zu übersetzen"},
		{"en", "Translations", "Not translated", "1 text to translate"},
		{"es", "Traducciones", "Sin traducir", "1 texto por traducir"},
		{"fr", "Traductions", "À traduire", "1 texte à traduire"},
		{"it", "Traduzioni", "Da tradurre", "1 testo da tradurre"},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			tab := boTab(t, browser, tt.lang)
			boLogin(t, tab, s, "editor@example.org")
			boOpen(t, tab, s.URL+"/admin/sites/demo/translations/de")
			got := boEval[[]string](t, tab, `[document.documentElement.lang, document.querySelector('h1').textContent,
				document.querySelector('nav.site a[href$="/translations"]').textContent,
				document.querySelector('tr.missing .flag').textContent, document.querySelector('#count-de').textContent]`)
			want := []string{tt.lang, tt.title, tt.title, tt.flag, tt.count}
			if strings.Join(got, "|") != strings.Join(want, "|") {
				t.Errorf("the page says %q, want %q", got, want)
			}
			for _, v := range browsertest.Axe(t, tab, "") {
				t.Errorf("axe: %s", v)
			}
		})
	}
}
