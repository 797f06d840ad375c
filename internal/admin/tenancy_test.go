package admin_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/charte/charte/internal/store"
	"github.com/charte/charte/internal/store/storetest"
)

// TestRolesAndTenancy runs every route of the back office for every role
// on the assigned site ("demo"), on a site not assigned to editors and
// viewers ("opendata-pau") and on a guessed id: each answer is 403 exactly
// when the role lacks the right, and a guessed id tells nothing more than
// a real one.
func TestRolesAndTenancy(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st store.Store) {
		e := newEnv(t, st)
		users := map[string]*browser{}
		for _, r := range []string{"owner", "admin", "editor", "viewer"} {
			users[r] = e.signedIn(r + "@example.org")
		}
		// who lists the roles allowed on an assigned site; owners and admins
		// are allowed on every site, editors and viewers on theirs only.
		type route struct {
			method, path string
			form         url.Values
			who          string
		}
		site := []route{
			{"GET", "/admin/sites/%s/", nil, "owner admin editor viewer"},
			{"POST", "/admin/sites/%s/", url.Values{"name": {""}}, "owner admin editor"},
			{"GET", "/admin/sites/%s/registry", nil, "owner admin editor viewer"},
			{"GET", "/admin/sites/%s/categories/necessary", nil, "owner admin editor"},
			{"POST", "/admin/sites/%s/categories/necessary", url.Values{"id": {""}}, "owner admin editor"},
			{"POST", "/admin/sites/%s/categories/necessary/delete", nil, "owner admin editor"},
			{"GET", "/admin/sites/%s/cookies/0", nil, "owner admin editor"},
			{"POST", "/admin/sites/%s/cookies/0", url.Values{"was": {"not-it"}}, "owner admin editor"},
			{"POST", "/admin/sites/%s/cookies/0/delete", url.Values{"was": {"not-it"}}, "owner admin editor"},
			{"GET", "/admin/sites/%s/export.yaml", nil, "owner admin editor viewer"},
			{"POST", "/admin/sites/%s/import", url.Values{"yaml": {"id: other"}}, "owner admin editor"},
			{"GET", "/admin/sites/%s/texts", nil, "owner admin editor"},
			{"POST", "/admin/sites/%s/texts", url.Values{}, "owner admin editor"},
			{"GET", "/admin/sites/%s/preview", nil, "owner admin editor viewer"},
			{"GET", "/admin/sites/%s/banner-preview?lang=en", nil, "owner admin editor viewer"},
			{"GET", "/admin/sites/%s/publish", nil, "owner admin editor"},
			{"POST", "/admin/sites/%s/publish", nil, "owner admin editor"},
			{"GET", "/admin/sites/%s/stats", nil, "owner admin editor viewer"},
			{"GET", "/admin/sites/%s/stats?days=90", nil, "owner admin editor viewer"},
			{"GET", "/admin/sites/%s/consents", nil, "owner admin editor viewer"},
			{"GET", "/admin/sites/%s/consents/1", nil, "owner admin editor viewer"},
			{"GET", "/admin/sites/%s/consents.csv", nil, "owner admin editor viewer"},
			{"GET", "/admin/sites/%s/consents.json", nil, "owner admin editor viewer"},
			{"GET", "/admin/sites/%s/verify", nil, "owner admin editor viewer"},
			{"GET", "/admin/sites/%s/scans", nil, "owner admin editor viewer"},
			{"POST", "/admin/sites/%s/scans", url.Values{"url": {"ftp://not-a-scan"}}, "owner admin editor"},
			{"GET", "/admin/sites/%s/scans/1", nil, "owner admin editor viewer"},
			{"GET", "/admin/sites/%s/scans/1/report.json", nil, "owner admin editor viewer"},
			{"GET", "/api/v1/sites/%s/consents", nil, "owner admin editor viewer"},
		}
		global := []route{
			{"GET", "/admin/", nil, "owner admin editor viewer"},
			{"GET", "/admin/password", nil, "owner admin editor viewer"},
			{"GET", "/admin/audit", nil, "owner admin"},
			{"GET", "/admin/users", nil, "owner"},
			{"POST", "/admin/users", url.Values{"email": {""}}, "owner"},
			{"POST", "/admin/users/99999", url.Values{"role": {"viewer"}}, "owner"},
			{"POST", "/admin/users/99999/delete", nil, "owner"},
		}
		call := func(b *browser, rt route, path string) resp {
			if rt.method == "GET" {
				return b.get(path)
			}
			form := url.Values{}
			for k, v := range rt.form {
				form[k] = v
			}
			return b.post(path, form)
		}
		for role, b := range users {
			allSites := role == "owner" || role == "admin"
			for _, rt := range site {
				for _, id := range []string{"demo", "opendata-pau", "guessed-site"} {
					path := strings.Replace(rt.path, "%s", id, 1)
					allowed := strings.Contains(rt.who, role) && (id == "demo" || allSites)
					r := call(b, rt, path)
					if got := r.status == http.StatusForbidden; got == allowed {
						t.Errorf("%s %s %s: %d, want 403: %v", role, rt.method, path, r.status, !allowed)
					}
					if allowed && id == "guessed-site" && r.status != http.StatusNotFound {
						t.Errorf("%s %s %s: %d, want 404", role, rt.method, path, r.status)
					}
					// Nothing of another site leaks into a page or export.
					if !allSites && strings.Contains(r.body, "visitor-of-opendata-pau") {
						t.Errorf("%s %s %s shows a record of opendata-pau", role, rt.method, path)
					}
				}
			}
			for _, rt := range global {
				allowed := strings.Contains(rt.who, role)
				if r := call(b, rt, rt.path); (r.status == http.StatusForbidden) == allowed {
					t.Errorf("%s %s %s: %d, want 403: %v", role, rt.method, rt.path, r.status, !allowed)
				}
			}
		}
		// The dashboard lists only the sites one may see.
		if r := users["editor"].get("/admin/"); strings.Contains(r.body, "opendata-pau") || !strings.Contains(r.body, "/admin/sites/demo/") {
			t.Errorf("the editor's dashboard lists the wrong sites")
		}
		// An anonymous visitor is sent to the login page, or refused.
		anon := e.browser()
		if r := anon.get("/admin/sites/demo/consents.csv"); r.status != http.StatusSeeOther {
			t.Errorf("anonymous export: %d, want a redirect to login", r.status)
		}
		if r := anon.get("/api/v1/sites/demo/consents"); r.status != http.StatusUnauthorized {
			t.Errorf("anonymous API call: %d, want 401", r.status)
		}
		// The export carries the assigned site's proof.
		if r := users["viewer"].get("/admin/sites/demo/consents.csv"); r.status != 200 || !strings.Contains(r.body, "visitor-of-demo") {
			t.Errorf("viewer export of demo: %d %s", r.status, r.body)
		}
	})
}
