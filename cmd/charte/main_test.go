package main

import (
	"bytes"
	"context"
	"database/sql"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/charte/charte/internal/cli"
	"github.com/charte/charte/internal/store"
	"github.com/charte/charte/internal/web"
)

// charte runs one command line in-process and returns its exit status and
// outputs.
func charte(t *testing.T, stdin string, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, cli.IO{
		Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errOut,
		Getenv: func(k string) string { return env[k] },
	})
	return code, out.String(), errOut.String()
}

func tempDB(t *testing.T) string {
	return "sqlite:" + filepath.Join(t.TempDir(), "charte.db")
}

func TestUsageErrors(t *testing.T) {
	tests := []struct {
		args []string
		code int
		want string
	}{
		{nil, 2, "missing command"},
		{[]string{"frobnicate"}, 2, `unknown command "frobnicate"`},
		{[]string{"-h"}, 0, "Commands:"},
		{[]string{"serve", "--listen"}, 2, "flag needs an argument"},
		{[]string{"serve", "--log-level", "loud"}, 2, "--log-level"},
		{[]string{"serve", "--trust-proxy-hops", "0"}, 2, "--trust-proxy-hops 0: want 1 or more"},
		{[]string{"charter"}, 2, "--site is required"},
		{[]string{"charter", "--site", "x", "--format", "pdf"}, 2, "--format"},
		{[]string{"site", "import"}, 2, "want 1 argument"},
		{[]string{"site", "remove", "x"}, 2, "want one of"},
		{[]string{"db"}, 2, "want one of"},
		{[]string{"consents", "verify"}, 2, "--site is required"},
		{[]string{"consents", "--site", "demo", "--since", "yesterday", "export"}, 2, "--since"},
		{[]string{"token", "list", "stray"}, 2, `unexpected argument "stray"`},
		{[]string{"user", "--db", "sqlite::memory:", "list", "stray"}, 2, `unexpected argument "stray"`},
	}
	for _, tt := range tests {
		code, out, errOut := charte(t, "", nil, tt.args...)
		if code != tt.code || !strings.Contains(out+errOut, tt.want) {
			t.Errorf("charte %v: exit %d, output %q; want exit %d with %q", tt.args, code, out+errOut, tt.code, tt.want)
		}
		if code == 2 && strings.Count(strings.TrimSpace(errOut), "\n") > 0 && tt.args != nil {
			t.Errorf("charte %v: a usage error must be one line, got %q", tt.args, errOut)
		}
	}
}

func TestEveryCommandHasHelp(t *testing.T) {
	for name := range commands {
		code, _, errOut := charte(t, "", nil, name, "-h")
		if code != 0 || !strings.Contains(errOut, "Usage: charte "+name) {
			t.Errorf("charte %s -h: exit %d, %q", name, code, errOut)
		}
	}
}

func TestSiteExportImportRoundTrip(t *testing.T) {
	db := tempDB(t)
	if code, _, errOut := charte(t, "", nil, "db", "--db", db, "migrate"); code != 0 {
		t.Fatal(errOut)
	}
	code, exported, errOut := charte(t, "", nil, "site", "--db", db, "export", "opendata-pau")
	if code != 0 || !strings.Contains(exported, "name: cookies_preferences") {
		t.Fatalf("export: %d %s", code, errOut)
	}
	code, out, errOut := charte(t, exported, nil, "site", "--db", db, "import", "-")
	if code != 0 || !strings.Contains(out, "imported opendata-pau") {
		t.Fatalf("import: %d %s %s", code, out, errOut)
	}
	_, again, _ := charte(t, "", nil, "site", "--db", db, "export", "opendata-pau")
	if again != exported {
		t.Errorf("round trip changed the registry:\n%s\n---\n%s", exported, again)
	}

	broken := strings.Replace(exported, "lifetime: 52 weeks", "lifetime: forever", 1)
	broken = strings.Replace(broken, "name: django_language", "name: django language", 1)
	code, _, errOut = charte(t, broken, nil, "site", "--db", db, "import", "-")
	if code != 1 || !regexp.MustCompile(`line \d+: cookies\[2\]\.lifetime`).MatchString(errOut) ||
		!regexp.MustCompile(`line \d+: cookies\[1\]\.name`).MatchString(errOut) {
		t.Errorf("broken import: exit %d, %s", code, errOut)
	}
	if _, after, _ := charte(t, "", nil, "site", "--db", db, "export", "opendata-pau"); after != exported {
		t.Error("a refused import changed the database")
	}
	// The verb may also come before the flags.
	if code, list, errOut := charte(t, "", nil, "site", "list", "--db", db); code != 0 || !strings.Contains(list, "opendata-pau") {
		t.Errorf("site list --db: %d %s %s", code, list, errOut)
	}
	if code, out, errOut := charte(t, "", nil, "db", "migrate", "--db", db); code != 0 || !strings.Contains(out, "up to date") {
		t.Errorf("db migrate --db: %d %s %s", code, out, errOut)
	}
	// CHARTE_DB is the default database.
	code, list, _ := charte(t, "", map[string]string{"CHARTE_DB": db}, "site", "list")
	if code != 0 || !strings.Contains(list, "opendata-pau") || !strings.Contains(list, "demo") {
		t.Errorf("site list via CHARTE_DB: %d %s", code, list)
	}
}

func TestCharterCommand(t *testing.T) {
	db := tempDB(t)
	charte(t, "", nil, "db", "--db", db, "migrate")
	code, md, errOut := charte(t, "", nil, "charter", "--db", db, "--site", "opendata-pau", "--lang", "en", "--format", "md")
	if code != 0 || !strings.Contains(md, "| Opendatasoft | Authentication (front and back office) | `sessionid` |") {
		t.Errorf("charter md: %d %s %s", code, md, errOut)
	}
	code, _, errOut = charte(t, "", nil, "charter", "--db", db, "--site", "nope")
	if code != 1 || !strings.Contains(errOut, "not found") {
		t.Errorf("unknown site: %d %s", code, errOut)
	}
}

// TestCommandsRefusePendingMigrations: every command that reads or writes
// data names the fix on an old database, instead of failing on a table.
func TestCommandsRefusePendingMigrations(t *testing.T) {
	db := tempDB(t)
	for _, args := range [][]string{
		{"site", "list", "--db", db},
		{"charter", "--db", db, "--site", "demo"},
		{"consents", "verify", "--db", db, "--site", "demo"},
		{"user", "list", "--db", db},
		{"token", "list", "--db", db},
	} {
		code, _, errOut := charte(t, "", nil, args...)
		if code != 1 || !strings.Contains(errOut, "charte db migrate") {
			t.Errorf("charte %v on a database never migrated: exit %d, %q", args, code, errOut)
		}
	}
}

func TestServeRefusesPendingMigrations(t *testing.T) {
	dir := t.TempDir()
	db := "sqlite:" + filepath.Join(dir, "charte.db")
	charte(t, "", nil, "db", "--db", db, "migrate")
	raw, err := sql.Open("sqlite", filepath.Join(dir, "charte.db"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`DELETE FROM schema_migrations WHERE name = (SELECT max(name) FROM schema_migrations)`); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	code, _, errOut := charte(t, "", nil, "serve", "--db", db, "--listen", "127.0.0.1:0")
	if code != 1 || !strings.Contains(errOut, "charte db migrate") {
		t.Errorf("serve on pending migrations: %d %s", code, errOut)
	}
}

func TestServeStartsAndStops(t *testing.T) {
	db := tempDB(t)
	ctx, cancel := context.WithCancel(context.Background())
	logs := &syncBuffer{}
	done := make(chan int)
	go func() {
		done <- run(ctx, []string{"serve", "--listen", "127.0.0.1:0"}, cli.IO{
			Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: logs,
			Getenv: func(k string) string { return map[string]string{"CHARTE_DB": db}[k] },
		})
	}()
	addr := regexp.MustCompile(`addr=(127\.0\.0\.1:\d+)`)
	var base string
	for deadline := time.Now().Add(20 * time.Second); base == "" && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if m := addr.FindStringSubmatch(logs.String()); m != nil {
			base = "http://" + m[1]
		}
	}
	if base == "" {
		cancel()
		t.Fatalf("server did not start: %s", logs.String())
	}
	resp, err := http.Get(base + "/sites/opendata-pau/charter")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "Se souvenir du choix opéré par le visiteur concernant les cookies") {
		t.Errorf("charter: %d", resp.StatusCode)
	}
	cancel()
	if code := <-done; code != 0 {
		t.Errorf("serve exited %d: %s", code, logs.String())
	}
	if !strings.Contains(logs.String(), "shutting down") {
		t.Error("no graceful shutdown logged")
	}
}

// serveDB serves charte's web server on the database dsn, as `charte serve`
// would, its handler wrapped by wrap when given, and returns its URL.
func serveDB(t *testing.T, dsn string, wrap func(http.Handler) http.Handler) string {
	t.Helper()
	st, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	srv := httptest.NewUnstartedServer(nil)
	srv.Start()
	t.Cleanup(srv.Close)
	base, _ := url.Parse(srv.URL)
	s, err := web.New(web.Config{BaseURL: base}, st, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	srv.Config.Handler = s.Handler()
	if wrap != nil {
		srv.Config.Handler = wrap(s.Handler())
	}
	return srv.URL
}
