package admin_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/charte/charte/internal/i18n"
	"github.com/charte/charte/internal/store/storetest"
)

// A form the registry refuses lists its problems under the back office's
// wording in the operator's language: the heading and each severity.
func TestProblemsInTheOperatorsLanguage(t *testing.T) {
	e := newEnv(t, storetest.New(t))
	owner := e.signedIn("owner@example.org")
	for _, tt := range []struct{ lang, heading, severity string }{
		{"de", "Es wurde nichts gespeichert: Bitte beheben Sie die folgenden Punkte.", "— Fehler: "},
		{"es", "No se ha guardado nada: corrija estos puntos.", "— error: "},
		{"fr", "Rien n&#39;a été enregistré : corrigez ces points.", "— erreur\u202f: "},
		{"it", "Non è stato salvato nulla: corregga questi punti.", "— errore: "},
		{"en", "Nothing was saved: please fix these points.", "— error: "},
	} {
		owner.lang = tt.lang
		// A category without a name in the site's default language.
		r := owner.post("/admin/sites/demo/categories/statistics", url.Values{"id": {"statistics"}, "name.en": {"Stats"}})
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, tt.heading) || !strings.Contains(r.body, tt.severity) {
			t.Errorf("%s: %d, want 422 with %q and %q:\n%s", tt.lang, r.status, tt.heading, tt.severity, excerpt(r.body, "problems"))
		}
	}
}

// excerpt is the part of a page from the first mention of s.
func excerpt(body, s string) string {
	if i := strings.Index(body, s); i >= 0 {
		return body[i:min(len(body), i+600)]
	}
	return body[:min(len(body), 600)]
}

// leakedID finds a message id or an unfilled argument shown instead of a
// text: what a gap in one language's catalogue would put on a page.
var leakedID = regexp.MustCompile(`\b(?:admin|scan|drift|csrf|ready)\.[a-z_-]+(?:\.[a-z_-]+)*\b|\{\{\.`)

var addresses = regexp.MustCompile(`(?:href|src|action)="[^"]*"`)

// Every page an owner reaches is worded, in each of the back office's
// languages: no id, no {{.Argument}} left.
func TestEveryPageWorded(t *testing.T) {
	e := newEnv(t, storetest.New(t))
	owner := e.signedIn("owner@example.org")
	for _, lang := range i18n.AdminLanguages() {
		owner.lang = lang
		for _, p := range []string{
			"/admin/", "/admin/password", "/admin/users", "/admin/tokens", "/admin/audit",
			"/admin/sites/demo/", "/admin/sites/demo/registry", "/admin/sites/demo/categories/statistics",
			"/admin/sites/demo/cookies/0", "/admin/sites/demo/texts", "/admin/sites/demo/publish",
			"/admin/sites/demo/stats", "/admin/sites/demo/consents", "/admin/sites/demo/scans", "/admin/sites/demo/services",
			"/admin/sites/demo/consents/verify", "/admin/sites/demo/translations", "/admin/sites/demo/translations/de",
			"/admin/no-such-page",
		} {
			r := owner.get(p)
			if r.status != http.StatusOK && r.status != http.StatusNotFound {
				t.Errorf("%s %s: status %d", lang, p, r.status)
			}
			if !strings.Contains(r.body, `<html lang="`+lang+`"`) {
				t.Errorf("%s %s: not a page in %s", lang, p, lang)
			}
			// Addresses may name files (admin.css); the words may not.
			if m := leakedID.FindAllString(addresses.ReplaceAllString(r.body, ""), 5); m != nil {
				t.Errorf("%s %s shows %q", lang, p, m)
			}
		}
	}
}
