package admin_test

import (
	"testing"

	"github.com/charte/charte/internal/browsertest"
)

// TestBrowserBackOfficeLanguages: an operator whose browser asks for
// English chooses each of the back office's five languages in the header's
// selector; from then on the dashboard, a form's error and the registry
// speak it, <html lang> says it, and the selector names every language in
// itself. One browser serves the whole table.
func TestBrowserBackOfficeLanguages(t *testing.T) {
	browser := boChromium(t)
	s := newBoServer(t)
	names := `{"de":"Deutsch","en":"English","es":"Español","fr":"Français","it":"Italiano"}`
	tests := []struct {
		lang, dashboard, differ, registry, nav string
	}{
		{"de", "Übersicht", "Die beiden neuen Passwörter stimmen nicht überein.", "Kategorien und Cookies", "Einwilligungsprotokoll"},
		{"en", "Dashboard", "The two new passwords differ.", "Categories and cookies", "Consent log"},
		{"es", "Panel", "Las dos contraseñas nuevas no coinciden.", "Categorías y cookies", "Registro de consentimientos"},
		{"fr", "Tableau de bord", "Les deux nouveaux mots de passe diffèrent.", "Catégories et cookies", "Journal des consentements"},
		{"it", "Pannello", "Le due nuove password non coincidono.", "Categorie e cookie", "Registro dei consensi"},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			tab := boTab(t, browser, "en")
			boLogin(t, tab, s, "owner@example.org")
			boEval[bool](t, tab, `(document.querySelector('form.lang select').value = `+boJS(tt.lang)+`, true)`)
			boFollow(t, tab, `form.lang button`)
			says := func(page, selector, want string) {
				t.Helper()
				if lang := boEval[string](t, tab, `document.documentElement.lang`); lang != tt.lang {
					t.Errorf("%s: <html lang=%q>, want %q", page, lang, tt.lang)
				}
				if got := boEval[string](t, tab, `(document.querySelector(`+boJS(selector)+`) || {textContent: "(none)"}).textContent`); got != want {
					t.Errorf("%s: %s says %q, want %q", page, selector, got, want)
				}
			}

			says("dashboard", "h1", tt.dashboard)
			if bad := boEval[[]string](t, tab, `[...document.querySelectorAll('form.lang option')].
				filter(o => o.lang !== o.value || o.textContent !== `+names+`[o.value]).map(o => o.outerHTML)`); len(bad) > 0 {
				t.Errorf("options not named in their own language: %q", bad)
			}
			if n := boEval[int](t, tab, `document.querySelectorAll('form.lang option').length`); n != 5 {
				t.Errorf("the selector offers %d languages, want 5", n)
			}

			boOpen(t, tab, s.URL+"/admin/password")
			boType(t, tab, `input[name=current]`, password)
			boType(t, tab, `input[name=password]`, "one new password here")
			boType(t, tab, `input[name=again]`, "another new password")
			boFollow(t, tab, `main form button`)
			says("password form", "[role=alert]", tt.differ)

			boOpen(t, tab, s.URL+"/admin/sites/demo/registry")
			says("registry", "h1", tt.registry)
			says("registry", `nav.site a[href$="/consents"]`, tt.nav)
			// Last, since it skips without axe-core (CHARTE_AXE).
			for _, v := range browsertest.Axe(t, tab, "") {
				t.Errorf("registry: axe: %s", v)
			}
		})
	}
}
