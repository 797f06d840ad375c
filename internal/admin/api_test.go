package admin_test

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/charte/charte/internal/store"
	"github.com/charte/charte/internal/store/storetest"
)

var metaToken = regexp.MustCompile(`<meta name="csrf-token" content="([A-Za-z0-9]+)">`)

// call sends a JSON request as a signed-in browser would with fetch: the
// session cookie, and X-CSRFToken taken from a page's meta tag.
func (b *browser) call(method, path, body string) resp {
	b.e.t.Helper()
	page := b.get("/admin/password")
	m := metaToken.FindStringSubmatch(page.body)
	if m == nil {
		b.e.t.Fatalf("no csrf-token meta in a page: %d", page.status)
	}
	return b.callWith(method, path, body, map[string]string{"X-CSRFToken": m[1]})
}

func (b *browser) callWith(method, path, body string, header map[string]string) resp {
	b.e.t.Helper()
	h := map[string]string{"Content-Type": "application/json"}
	for k, v := range header {
		h[k] = v
	}
	if body == "" {
		return b.do(method, path, nil, h)
	}
	return b.doBody(method, path, body, h)
}

// bearer is a client with no cookie at all, as a script is.
func (e *env) bearer(token string) *browser {
	b := e.browser()
	b.auth = token
	return b
}

func decode(t *testing.T, r resp) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(r.body), &m); err != nil {
		t.Fatalf("not a JSON object (%d): %s", r.status, r.body)
	}
	return m
}

func TestAPITokensAndPermissions(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st store.Store) {
		e := newEnv(t, st)
		owner := e.signedIn("owner@example.org")
		owner.lang = "en"

		// An owner creates tokens from the browser: session + X-CSRFToken.
		r := owner.call("POST", "/api/v1/tokens", `{"name": "ci", "role": "editor", "sites": ["demo"]}`)
		if r.status != http.StatusCreated {
			t.Fatalf("create token: %d %s", r.status, r.body)
		}
		editorToken, _ := decode(t, r)["token"].(string)
		if !strings.HasPrefix(editorToken, "charte_") {
			t.Fatalf("token %q", editorToken)
		}
		r = owner.call("POST", "/api/v1/tokens", `{"name": "reader", "role": "viewer", "sites": ["demo"]}`)
		viewerToken, _ := decode(t, r)["token"].(string)

		// The same call without X-CSRFToken is refused, with the reason.
		if r := owner.callWith("POST", "/api/v1/tokens", `{"name": "x", "role": "owner"}`, nil); r.status != http.StatusForbidden || !strings.Contains(r.body, "CSRF") {
			t.Errorf("session call without X-CSRFToken: %d %s", r.status, r.body)
		}

		editor, viewer := e.bearer(editorToken), e.bearer(viewerToken)
		tests := []struct {
			name         string
			who          *browser
			method, path string
			body         string
			status       int
			want         string
		}{
			{"list sites", editor, "GET", "/api/v1/sites", "", 200, `"id": "demo"`},
			{"only assigned sites", editor, "GET", "/api/v1/sites", "", 200, `"can_edit": true`},
			{"draft", viewer, "GET", "/api/v1/sites/demo/draft", "", 200, `"id": "demo"`},
			{"other site's draft", viewer, "GET", "/api/v1/sites/opendata-pau/draft", "", 403, `"error"`},
			{"guessed site is not the editor's", editor, "GET", "/api/v1/sites/guessed/draft", "", 403, `"error"`},
			{"viewer cannot edit", viewer, "PUT", "/api/v1/sites/demo/draft/texts", `{}`, 403, `"error"`},
			{"editor edits texts without CSRF token", editor, "PUT", "/api/v1/sites/demo/draft/texts", `{"en": {"title": "Cookies?"}}`, 200, `"Cookies?"`},
			{"bad JSON names the field", editor, "PUT", "/api/v1/sites/demo/draft/categories/statistics", `{"exempt": "yes"}`, 400, `"field":"exempt"`},
			{"unknown field", editor, "POST", "/api/v1/sites/demo/draft/cookies", `{"nom": "x"}`, 400, `unknown field`},
			{"validation names the field", editor, "POST", "/api/v1/sites/demo/draft/cookies", `{"name": "", "provider": "Me", "category": "necessary", "lifetime": "1 day", "party": "first"}`, 422, `"field":"name"`},
			{"unknown cookie", editor, "PUT", "/api/v1/sites/demo/draft/cookies/999", `{}`, 404, `"field":"n"`},
			{"publish diff", editor, "GET", "/api/v1/sites/demo/publish", "", 200, `"what": "texts"`},
			{"publish", editor, "POST", "/api/v1/sites/demo/publish", "", 201, `"changed": true`},
			{"publish again changes nothing", editor, "POST", "/api/v1/sites/demo/publish", "", 200, `"changed": false`},
			{"stats", viewer, "GET", "/api/v1/sites/demo/stats?days=90", "", 200, `"displays_counted": false`},
			{"stats bad period", viewer, "GET", "/api/v1/sites/demo/stats?days=12", "", 400, `"field":"days"`},
			{"record", viewer, "GET", "/api/v1/sites/demo/records/1", "", 200, `"hash_ok": true`},
			{"other site's record", viewer, "GET", "/api/v1/sites/opendata-pau/records/1", "", 403, `"error"`},
			{"verify", viewer, "GET", "/api/v1/sites/demo/verify", "", 200, `"ok": true`},
			{"consents", viewer, "GET", "/api/v1/sites/demo/consents", "", 200, `visitor-of-demo`},
			{"consents bad date", viewer, "GET", "/api/v1/sites/demo/consents?since=yesterday", "", 400, `"field":"since"`},
			{"audit is for admins", editor, "GET", "/api/v1/audit", "", 403, `"error"`},
			{"tokens are for owners", editor, "GET", "/api/v1/tokens", "", 403, `"error"`},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				r := tt.who.callWith(tt.method, tt.path, tt.body, nil)
				if r.status != tt.status || !strings.Contains(r.body, tt.want) {
					t.Errorf("%s %s: %d, want %d with %s:\n%s", tt.method, tt.path, r.status, tt.status, tt.want, r.body)
				}
				if !strings.HasPrefix(r.header.Get("Content-Type"), "application/json") {
					t.Errorf("Content-Type %q", r.header.Get("Content-Type"))
				}
				if setCookieHeader(r, "csrftoken") != "" || setCookieHeader(r, "sessionid") != "" {
					t.Errorf("a token request was given a cookie")
				}
			})
		}
		// The audit log names the token that acted.
		r = owner.call("GET", "/api/v1/audit?site=demo", "")
		if !strings.Contains(r.body, `"who": "token:ci"`) || !strings.Contains(r.body, `"action": "publish"`) {
			t.Errorf("the audit log does not show the token's publish:\n%s", r.body)
		}
		// A bad or revoked token is a 401, never an anonymous request.
		if r := e.bearer("charte_nope").callWith("GET", "/api/v1/sites", "", nil); r.status != 401 || r.header.Get("WWW-Authenticate") == "" {
			t.Errorf("unknown token: %d", r.status)
		}
		if r := e.bearer("").callWith("GET", "/api/v1/sites", "", nil); r.status != 401 || r.header.Get("WWW-Authenticate") == "" {
			t.Errorf("no credentials: %d, WWW-Authenticate %q", r.status, r.header.Get("WWW-Authenticate"))
		}
		tokens := owner.call("GET", "/api/v1/tokens", "")
		var list []map[string]any
		json.Unmarshal([]byte(tokens.body), &list)
		if len(list) != 2 || strings.Contains(tokens.body, editorToken) {
			t.Fatalf("token list: %s", tokens.body)
		}
		id := list[0]["id"].(float64)
		if r := owner.call("DELETE", "/api/v1/tokens/"+itoa(int(id)), ""); r.status != http.StatusNoContent {
			t.Errorf("revoke: %d %s", r.status, r.body)
		}
		if r := editor.callWith("GET", "/api/v1/sites", "", nil); r.status != 401 {
			t.Errorf("revoked token: %d", r.status)
		}
		// A token's header beats a session cookie: a bad token with a good
		// cookie is refused, so the CSRF exemption never lends a cookie's
		// authority to a forged request.
		if r := owner.callWith("POST", "/api/v1/tokens", `{"name": "x", "role": "owner"}`, map[string]string{"Authorization": "Bearer charte_forged"}); r.status != 401 {
			t.Errorf("bad token with a session cookie: %d %s", r.status, r.body)
		}
	})
}

func itoa(n int) string { return jsonNumber(n) }

func jsonNumber(n int) string { b, _ := json.Marshal(n); return string(b) }
