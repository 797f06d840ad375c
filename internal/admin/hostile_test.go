package admin_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/charte/charte/internal/hostile"
	"github.com/charte/charte/internal/store"
	"github.com/charte/charte/internal/store/storetest"
)

// Hostile text in an email at login or in a registry edited through the
// API is a 4xx naming the field, on both engines: PostgreSQL refused it with
// an error that was a 500.
func TestHostileTextIsRefused(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st store.Store) {
		e := newEnv(t, st)
		owner := e.signedIn("owner@example.org")
		owner.lang = "en"
		cases := append(append([]hostile.Case{}, hostile.Texts...), hostile.Lines...)
		for _, c := range cases {
			t.Run("login/"+c.Name, func(t *testing.T) {
				b := e.browser()
				b.lang = "en"
				r := b.login("owner"+c.Value+"@example.org", password)
				if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "email address is not valid") {
					t.Errorf("login: %d, want 422 naming the email", r.status)
				}
			})
		}
		// The refused attempts counted nothing: the owner still signs in.
		e.signedIn("owner@example.org")

		edits := []struct {
			name, method, path, field string
			body                      func(v string) string
			multiline                 bool
		}{
			{"category name", "PUT", "/api/v1/sites/demo/draft/categories/statistics", "name.fr",
				func(v string) string { return `{"id":"statistics","name":{"fr":` + hostile.JSON("Stats"+v) + `}}` }, false},
			{"category name translated", "PUT", "/api/v1/sites/demo/draft/translations/en", "categories[0].name",
				func(v string) string { return `{"categories[0].name":` + hostile.JSON("Stats"+v) + `}` }, false},
			{"cookie purpose translated", "PUT", "/api/v1/sites/demo/draft/translations/en", "cookies[0].purpose",
				func(v string) string { return `{"cookies[0].purpose":` + hostile.JSON("Use"+v) + `}` }, true},
			{"cookie provider", "POST", "/api/v1/sites/demo/draft/cookies", "provider",
				func(v string) string {
					return `{"name":"hostile","provider":` + hostile.JSON("Acme"+v) +
						`,"purpose":{"fr":"Mesure"},"category":"statistics","lifetime":"1 day","party":"first"}`
				}, false},
			{"cookie purpose", "POST", "/api/v1/sites/demo/draft/cookies", "purpose.fr",
				func(v string) string {
					return `{"name":"hostile` + fmt.Sprintf("%x", v) + `","provider":"Acme","purpose":{"fr":` + hostile.JSON("Mesure"+v) +
						`},"category":"statistics","lifetime":"1 day","party":"first"}`
				}, true},
		}
		for _, c := range cases {
			for _, body := range []string{`{"name":` + hostile.JSON("ci"+c.Value) + `,"role":"editor","sites":["demo"]}`,
				`{"name":"ci","role":"editor","sites":[` + hostile.JSON("demo"+c.Value) + `]}`} {
				if r := owner.call("POST", "/api/v1/tokens", body); r.status != http.StatusUnprocessableEntity {
					t.Errorf("token %s (%s): %d %s, want 422", body, c.Name, r.status, r.body)
				}
			}
		}
		for _, ed := range edits {
			for _, c := range cases {
				t.Run(ed.name+"/"+c.Name, func(t *testing.T) {
					r := owner.call(ed.method, ed.path, ed.body(c.Value))
					if ed.multiline && slices.Contains(hostile.Lines, c) {
						if r.status >= 400 {
							t.Errorf("a line break in %s: %d %s", ed.field, r.status, r.body)
						}
						return
					}
					if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, ed.field) {
						t.Errorf("%d %s, want 422 naming %s", r.status, r.body, ed.field)
					}
				})
			}
		}
	})
}

// A JSON body of the wrong type names the field and what it must be, never
// the Go type behind it.
func TestAPITypeErrorsNameTheField(t *testing.T) {
	e := newEnv(t, storetest.New(t))
	owner := e.signedIn("owner@example.org")
	owner.lang = "en"
	for _, tt := range []struct {
		method, path, body, field, msg string
	}{
		{"PUT", "/api/v1/sites/demo/draft/categories/statistics", `{"exempt":"yes"}`, "exempt", "exempt must be true or false, not string"},
		{"PUT", "/api/v1/sites/demo/draft/categories/statistics", `[]`, "", "the body must be a JSON object, not array"},
		{"POST", "/api/v1/sites/demo/draft/cookies", `{"purpose":"x"}`, "purpose", "purpose must be a JSON object, not string"},
		{"POST", "/api/v1/tokens", `{"name":"ci","sites":"demo"}`, "sites", "sites must be an array, not string"},
		{"POST", "/api/v1/tokens", `{"nme":"ci"}`, "nme", `unknown field "nme"`},
	} {
		r := owner.call(tt.method, tt.path, tt.body)
		m := decode(t, r)
		msg, _ := m["error"].(string)
		if f, _ := m["field"].(string); r.status != http.StatusBadRequest || f != tt.field || !strings.Contains(msg, tt.msg) {
			t.Errorf("%s %s %s: %d %v, want 400 on %q saying %q", tt.method, tt.path, tt.body, r.status, m, tt.field, tt.msg)
		}
		for _, internal := range []string{"registry.", "admin.", "Go value", "Go struct"} {
			if strings.Contains(msg, internal) {
				t.Errorf("%s: message %q names a Go type", tt.body, msg)
			}
		}
	}
}
