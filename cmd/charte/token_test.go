package main

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/charte/charte/internal/auth"
)

// TestTokenUsageErrors: a wrong command line exits 2 with one line saying
// what is wrong, before the database is even opened.
func TestTokenUsageErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{nil, "charte token: want one of: create, list, revoke"},
		{[]string{"mint"}, "charte token: want one of: create, list, revoke"},
		{[]string{"create", "--role", "editor", "--site", "demo"}, "charte token create: --name is required"},
		{[]string{"create", "--name", "  ", "--role", "owner"}, "charte token create: --name is required"},
		{[]string{"create", "--name", "ci"}, `charte token create: --role "": want one of owner, admin, editor, viewer`},
		{[]string{"create", "--name", "ci", "--role", "root"}, `charte token create: --role "root": want one of owner, admin, editor, viewer`},
		{[]string{"create", "--name", "ci", "--role", "admin", "--site", "demo"}, "charte token create: a token with role admin acts on every site: --site is for editors and viewers"},
		{[]string{"create", "--name", "ci", "--role", "viewer"}, "charte token create: a token with role viewer needs at least one --site"},
		{[]string{"revoke"}, "charte token revoke: --id is required (see charte token list)"},
		{[]string{"revoke", "--id", "-1"}, "charte token revoke: --id is required (see charte token list)"},
		{[]string{"revoke", "--id", "one"}, `invalid value "one" for flag -id`},
		{[]string{"list", "--secret"}, "flag provided but not defined: -secret"},
	}
	for _, tt := range tests {
		name := strings.Join(tt.args, " ")
		if name == "" {
			name = "no verb"
		}
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			db := "sqlite:" + dir + "/charte.db"
			args := append(append([]string{"token"}, tt.args...), "--db", db)
			code, out, errOut := charte(t, "", nil, args...)
			if code != 2 || out != "" || !strings.Contains(errOut, tt.want) {
				t.Errorf("exit %d, stdout %q, stderr %q; want 2, nothing, %q", code, out, errOut, tt.want)
			}
			if lines := strings.Count(strings.TrimRight(errOut, "\n"), "\n") + 1; lines != 1 {
				t.Errorf("a usage error must be one line, got %d:\n%s", lines, errOut)
			}
			if _, err := os.Stat(dir + "/charte.db"); err == nil {
				t.Error("a usage error opened (and created) the database")
			}
		})
	}
}

// TestTokenLifecycle: a token created on the command line is printed once,
// authenticates scripts against a charte server on the same database with
// its role and sites, is listed without its secret, and stops working the
// moment it is revoked.
func TestTokenLifecycle(t *testing.T) {
	db := tempDB(t)
	if code, _, errOut := charte(t, "", nil, "db", "--db", db, "migrate"); code != 0 {
		t.Fatalf("migrate: %d %s", code, errOut)
	}
	base := serveDB(t, db, nil)

	create := func(t *testing.T, args ...string) (id, secret string) {
		t.Helper()
		code, out, errOut := charte(t, "", nil, append([]string{"token", "create", "--db", db}, args...)...)
		if code != 0 {
			t.Fatalf("token create %v: exit %d: %s", args, code, errOut)
		}
		// The token alone on stdout, one line, so that $(charte token create …) is it.
		if !regexp.MustCompile(`^charte_[0-9a-f]{64}\n$`).MatchString(out) {
			t.Fatalf("token create printed %q, want the token alone on one line", out)
		}
		secret = strings.TrimSpace(out)
		m := regexp.MustCompile(`^created \w+ token (\d+) "[^"]*"; it is shown only this once\n$`).FindStringSubmatch(errOut)
		if m == nil || strings.Contains(errOut, secret) {
			t.Fatalf("token create said on stderr %q", errOut)
		}
		return m[1], secret
	}
	editorID, editor := create(t, "--name", "ci deploy", "--role", "editor", "--site", "demo")
	ownerID, owner := create(t, "--name", "backup", "--role", "owner")
	if editor == owner || editorID == ownerID {
		t.Fatalf("two creations gave the same token or id: %s %s", editorID, ownerID)
	}

	// The editor's token works on demo, as an editor of demo: not on
	// another site, not on owners' routes.
	calls := []struct {
		name, token, path string
		status            int
		want              string
	}{
		{"editor reads demo's statistics", editor, "/api/v1/sites/demo/stats?days=30", 200, `"days"`},
		{"editor reads demo's draft", editor, "/api/v1/sites/demo/draft", 200, `"_pk_id*"`},
		{"editor lists its sites", editor, "/api/v1/sites", 200, `"demo"`},
		{"editor on another site", editor, "/api/v1/sites/opendata-pau/consents", 403, `"error"`},
		{"editor on owners' routes", editor, "/api/v1/tokens", 403, `"error"`},
		{"owner on every site", owner, "/api/v1/sites/opendata-pau/stats?days=30", 200, `"days"`},
		{"owner reads the audit log", owner, "/api/v1/audit", 200, `"token.create"`},
		{"no token", "", "/api/v1/sites/demo/stats?days=30", 401, `"error"`},
		{"a made-up token", "charte_" + strings.Repeat("0", 64), "/api/v1/sites/demo/stats?days=30", 401, `"error"`},
	}
	for _, c := range calls {
		t.Run(c.name, func(t *testing.T) {
			status, body := tokenCall(t, base, c.token, c.path)
			if status != c.status || !strings.Contains(body, c.want) {
				t.Errorf("GET %s: %d %.300s; want %d with %s", c.path, status, body, c.status, c.want)
			}
		})
	}
	if _, body := tokenCall(t, base, editor, "/api/v1/sites"); strings.Contains(body, "opendata-pau") {
		t.Errorf("the editor token lists a site not its own: %s", body)
	}

	// list shows what each token is, never the token nor its hash.
	code, list, errOut := charte(t, "", nil, "token", "list", "--db", db)
	if code != 0 {
		t.Fatalf("token list: %d %s", code, errOut)
	}
	for _, secret := range []string{editor, owner} {
		if strings.Contains(list, secret) || strings.Contains(list, auth.HashToken(secret)) || strings.Contains(list, "charte_") {
			t.Errorf("token list shows a token or its hash:\n%s", list)
		}
	}
	if !regexp.MustCompile(`(?m)^`+editorID+`\s+ci deploy\s+editor\s+demo\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+-$`).MatchString(list) ||
		!regexp.MustCompile(`(?m)^`+ownerID+`\s+backup\s+owner\s+\*\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+-$`).MatchString(list) {
		t.Errorf("token list:\n%s", list)
	}

	// revoke: the token fails at once with 401, the other still works.
	code, out, errOut := charte(t, "", nil, "token", "revoke", "--db", db, "--id", editorID)
	if code != 0 || out != "revoked token "+editorID+"\n" {
		t.Fatalf("token revoke: %d %q %q", code, out, errOut)
	}
	status, body := tokenCall(t, base, editor, "/api/v1/sites/demo/stats?days=30")
	if status != 401 || !strings.Contains(body, "Invalid or revoked API token.") {
		t.Errorf("the revoked token: %d %s; want 401 saying it is revoked", status, body)
	}
	if status, _ := tokenCall(t, base, owner, "/api/v1/sites/demo/stats?days=30"); status != 200 {
		t.Errorf("revoking one token broke another: %d", status)
	}
	_, list, _ = charte(t, "", nil, "token", "list", "--db", db)
	if !regexp.MustCompile(`(?m)^` + editorID + `\s+ci deploy\s+editor\s+demo\s+\S+ \S+\s+\d{4}-\d\d-\d\d \d\d:\d\d$`).MatchString(list) {
		t.Errorf("token list does not show the revocation:\n%s", list)
	}

	// Revoking again, or a token that never was, fails clearly.
	for _, id := range []string{editorID, "999"} {
		code, out, errOut := charte(t, "", nil, "token", "revoke", "--db", db, "--id", id)
		want := "charte: no working token with id " + id + " (see charte token list)\n"
		if code != 1 || out != "" || errOut != want {
			t.Errorf("revoke %s again: exit %d, %q %q; want 1 and %q", id, code, out, errOut, want)
		}
	}
}

// TestTokenCreateFailures: what the command line cannot check fails with
// exit 1 and a reason, and leaves no token behind.
func TestTokenCreateFailures(t *testing.T) {
	db := tempDB(t)
	code, _, errOut := charte(t, "", nil, "token", "create", "--db", db, "--name", "early", "--role", "owner")
	if code != 1 || !strings.Contains(errOut, "pending") {
		t.Errorf("create on an unmigrated database: %d %q", code, errOut)
	}
	charte(t, "", nil, "db", "--db", db, "migrate")
	code, out, errOut := charte(t, "", nil, "token", "create", "--db", db, "--name", "lost", "--role", "viewer", "--site", "nowhere")
	if code != 1 || out != "" || !strings.Contains(errOut, `"nowhere"`) || !strings.Contains(errOut, "see charte site list") {
		t.Errorf("create for an unknown site: %d %q %q", code, out, errOut)
	}
	_, list, _ := charte(t, "", nil, "token", "list", "--db", db)
	if strings.Contains(list, "lost") || strings.Contains(list, "early") {
		t.Errorf("a failed creation left a token:\n%s", list)
	}
}

// tokenCall is a script's GET: a bearer token when given, no cookie.
func tokenCall(t *testing.T, base, token, path string) (int, string) {
	t.Helper()
	req, err := http.NewRequest("GET", base+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept-Language", "en")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if token != "" && res.StatusCode == 401 && res.Header.Get("WWW-Authenticate") != `Bearer realm="charte"` {
		t.Errorf("a refused token on %s: WWW-Authenticate %q", path, res.Header.Get("WWW-Authenticate"))
	}
	if res.StatusCode >= 400 && !json.Valid(body) {
		t.Errorf("error on %s is not JSON: %s", path, body)
	}
	return res.StatusCode, string(body)
}
