package admin_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/charte/charte/internal/i18n"
	"github.com/charte/charte/internal/store"
	"github.com/charte/charte/internal/store/storetest"
	"github.com/charte/charte/registry"
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

// badImport is a registry file whose only problem is line 14's lifetime.
const badImport = `id: demo
name: Démo
default_language: fr
languages: [fr, en]
categories:
  - id: necessary
    name: {fr: Nécessaires, en: Necessary}
    exempt: true
cookies:
  - name: sid
    provider: Démo
    purpose: {fr: Session, en: Session}
    category: necessary
    lifetime: 3 fortnights
    party: first
`

// A registry the back office refuses names each problem in the operator's
// language, beside the input at fault and in the list above the form,
// whether it comes from a form, an imported file or the JSON API (whose
// own problems stay English, with their code and arguments, for programs).
// Nothing is saved.
func TestRegistryProblemsInTheOperatorsLanguage(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st store.Store) {
		e := newEnv(t, st)
		owner := e.signedIn("owner@example.org")
		before, err := st.Site(context.Background(), "demo")
		if err != nil {
			t.Fatal(err)
		}
		for _, tt := range []struct {
			lang                     string
			badURL, badLifetime      string // as the page escapes them
			missingName, colonInList string
		}{
			{"fr", `&#34;ftp://shop.example&#34; n&#39;est pas une adresse http(s)`,
				`durée de vie &#34;3 fortnights&#34; : unité inconnue &#34;fortnights&#34; (utilisez minutes, hours, days, weeks, months ou years)`,
				"Rien n'a été enregistré : ne doit pas être vide dans la langue par défaut du site (fr)", "erreur\u202f:"},
			{"de", `&#34;ftp://shop.example&#34; ist keine http(s)-Adresse`,
				`Lebensdauer &#34;3 fortnights&#34;: unbekannte Einheit &#34;fortnights&#34; (verwenden Sie minutes, hours, days, weeks, months oder years)`,
				"Es wurde nichts gespeichert: darf in der Standardsprache der Website (fr) nicht leer sein", "Fehler:"},
			{"es", `&#34;ftp://shop.example&#34; no es una URL http(s)`,
				`duración &#34;3 fortnights&#34;: unidad desconocida &#34;fortnights&#34;`,
				"no puede estar vacío en el idioma predeterminado del sitio (fr)", "error:"},
			{"it", `&#34;ftp://shop.example&#34; non è un URL http(s)`,
				`durata &#34;3 fortnights&#34;: unità sconosciuta &#34;fortnights&#34;`,
				"non può essere vuoto nella lingua predefinita del sito (fr)", "errore:"},
			{"en", `&#34;ftp://shop.example&#34; is not an http(s) URL`,
				`lifetime &#34;3 fortnights&#34;: unknown unit &#34;fortnights&#34;`,
				"Nothing was saved: must not be empty in the site's default language (fr)", "error:"},
		} {
			owner.lang = tt.lang
			settings := url.Values{"name": {"Démo"}, "url": {"ftp://shop.example"}, "languages": {"fr", "en"}, "default_language": {"fr"}}
			r := owner.post("/admin/sites/demo/", settings)
			if r.status != http.StatusUnprocessableEntity ||
				!strings.Contains(r.body, `<span class="field-error">`+tt.colonInList+" "+tt.badURL+`</span>`) ||
				!strings.Contains(r.body, `<code>url</code> — `+tt.colonInList+" "+tt.badURL+`</li>`) {
				t.Errorf("%s settings: %d, want 422 with %q beside the input and in the list:\n%s", tt.lang, r.status, tt.badURL, excerpt(r.body, "problems"))
			}

			r = owner.post("/admin/sites/demo/import", url.Values{"yaml": {badImport}})
			if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `<code>cookies[0].lifetime</code> (l. 14) — `+tt.colonInList+" "+tt.badLifetime) {
				t.Errorf("%s import: %d, want 422 with line 14 and %q:\n%s", tt.lang, r.status, tt.badLifetime, excerpt(r.body, "problems"))
			}

			r = owner.call("PUT", "/api/v1/sites/demo/draft/categories/statistics", `{"id": "statistics", "name": {"en": "Stats"}}`)
			var body struct {
				Error    string
				Field    string
				Problems []registry.Problem
			}
			if err := json.Unmarshal([]byte(r.body), &body); err != nil || r.status != http.StatusUnprocessableEntity {
				t.Fatalf("%s API: %d %s", tt.lang, r.status, r.body)
			}
			want := registry.Problem{Severity: registry.Error, Field: "categories[1].name.fr", Code: registry.CodeTextRequired,
				Args: map[string]string{"Language": "fr"}, Message: "must not be empty in the site's default language (fr)"}
			if !strings.Contains(body.Error, tt.missingName) || len(body.Problems) != 1 || !reflect.DeepEqual(body.Problems[0], want) {
				t.Errorf("%s API: error %q, problems %+v; want the error saying %q and the problem %+v", tt.lang, body.Error, body.Problems, tt.missingName, want)
			}
		}
		after, err := st.Site(context.Background(), "demo")
		if err != nil {
			t.Fatal(err)
		}
		if after.Revision() != before.Revision() {
			t.Error("a refused registry changed the draft")
		}
	})
}
