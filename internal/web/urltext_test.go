package web_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/charte/charte/internal/hostile"
	"github.com/charte/charte/internal/store"
	"github.com/charte/charte/internal/store/storetest"
	"github.com/charte/charte/internal/web"
)

// Hostile text in a URL's decoded path or query is a 400 naming where it
// is, on every kind of route, public and back office, HTML and JSON, on both
// engines (a NUL in a site id reached PostgreSQL and answered 500).
func TestURLHostileText(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st store.Store) {
		a := startAPIServer(t, st, web.Config{})
		urls := []struct {
			field string
			make  func(v string) string
		}{
			{"path", func(v string) string { return "/sites/demo" + percent(v) + "/charter" }},
			{"path", func(v string) string { return "/api/v1/sites/" + percent(v) + "/cookies" }},
			{"path", func(v string) string { return "/api/v1/sites/demo/consents/" + percent(v) }},
			{"path", func(v string) string { return "/api/v1/sites/demo/revisions/" + percent(v) }},
			{"path", func(v string) string { return "/admin/sites/" + percent(v) }},
			{"lang", func(v string) string { return "/sites/demo/charter?lang=" + percent(v) }},
			{"since", func(v string) string { return "/api/v1/sites/demo/consents?since=" + percent(v) }},
			{"next", func(v string) string { return "/admin/login?next=%2Fadmin" + percent(v) }},
			{"query", func(v string) string { return "/sites/demo/charter?a" + percent(v) + "=1" }},
		}
		for _, u := range urls {
			for _, c := range append(append([]hostile.Case{}, hostile.Texts...), hostile.Lines...) {
				target := u.make(c.Value)
				resp, err := http.Get(a.URL + target)
				if err != nil {
					t.Fatal(err)
				}
				var out struct{ Error, Field string }
				if strings.HasPrefix(target, "/api/") {
					json.NewDecoder(resp.Body).Decode(&out)
				}
				resp.Body.Close()
				if resp.StatusCode != http.StatusBadRequest {
					t.Errorf("GET %s (%s): %s, want 400", target, c.Name, resp.Status)
				}
				if strings.HasPrefix(target, "/api/") && (out.Field != u.field || out.Error == "") {
					t.Errorf("GET %s: %+v, want an error on %s", target, out, u.field)
				}
			}
		}
		// Fine text still reaches the handlers.
		for _, target := range []string{"/sites/demo/charter?lang=en", "/sites/demo/charter?q=" + percent("Démo 🍪"),
			"/api/v1/sites/demo/cookies", "/sites/" + percent("dém") + "/charter"} {
			resp, err := http.Get(a.URL + target)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode == http.StatusBadRequest || resp.StatusCode >= 500 {
				t.Errorf("GET %s: %s", target, resp.Status)
			}
		}
	})
}
