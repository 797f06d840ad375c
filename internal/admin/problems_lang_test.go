package admin_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

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
