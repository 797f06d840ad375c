package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/charte/charte/internal/testenv"
	"github.com/charte/charte/registry"
)

func TestScanUsage(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"scan"}, "URL to scan is required"},
		{[]string{"scan", "http://a", "http://b"}, "one URL at a time"},
		{[]string{"scan", "http://a", "--site", "x", "--registry", "f.yaml"}, "not both"},
		{[]string{"scan", "http://a", "--format", "pdf"}, "--format"},
		{[]string{"scan", "http://a", "--lang", "pl"}, `--lang "pl": want one of de, en, es, fr, it`},
		{[]string{"scan", "http://a", "--fail-on", "preconsent,typo"}, `--fail-on "typo"`},
		{[]string{"scan", "http://a", "--pages", "0"}, "--pages"},
		{[]string{"scan", "http://a", "--depth", "0"}, "--depth"},
		{[]string{"scan", "--depth"}, "flag needs an argument"},
		{[]string{"scan", "http://a", "--load-timeout", "0s"}, "--load-timeout and --step-timeout must be positive"},
		{[]string{"scan", "http://a", "--step-timeout", "-1s"}, "--load-timeout and --step-timeout must be positive"},
		{[]string{"scan", "http://a", "--step-timeout", "ten"}, `invalid value "ten" for flag -step-timeout`},
	}
	for _, tt := range tests {
		code, out, errOut := charte(t, "", nil, tt.args...)
		if code != 2 || !strings.Contains(out+errOut, tt.want) {
			t.Errorf("charte %v: exit %d, output %q; want exit 2 with %q", tt.args, code, out+errOut, tt.want)
		}
	}
}

// TestScanPublicOnly: with --public-only the CLI refuses, before any
// browser starts, what the back office refuses; without it the operator's
// tool scans anything (TestScanGatesCI scans loopback).
func TestScanPublicOnly(t *testing.T) {
	tests := []struct {
		url, reason string
	}{
		{"http://127.0.0.1:1/", "loopback"},
		{"http://[::ffff:127.0.0.1]:1/", "loopback"},
		{"http://169.254.169.254/latest/meta-data/", "link-local"},
		{"http://10.0.0.1/", "private"},
		{"http://[fd00::1]/", "unique-local"},
	}
	for _, tt := range tests {
		code, _, errOut := charte(t, "", nil, "scan", tt.url, "--public-only", "--chromium", "/bin/true")
		if code != 1 || !strings.Contains(errOut, "only public addresses may be scanned") || !strings.Contains(errOut, "a "+tt.reason+" address") {
			t.Errorf("charte scan %s --public-only: exit %d, stderr %q; want exit 1 naming a %s address", tt.url, code, errOut, tt.reason)
		}
	}
}

// TestServeScanFlags: the scan settings of charte serve are checked, from
// flags and from the environment.
func TestServeScanFlags(t *testing.T) {
	tests := []struct {
		args []string
		env  map[string]string
		want string
	}{
		{[]string{"--scan-load-timeout", "0s"}, nil, "--scan-load-timeout and --scan-step-timeout must be positive"},
		{[]string{"--scan-step-timeout", "-5s"}, nil, "--scan-load-timeout and --scan-step-timeout must be positive"},
		{nil, map[string]string{"CHARTE_SCAN_PRIVATE_NETWORKS": "perhaps"}, "CHARTE_SCAN_PRIVATE_NETWORKS"},
		{nil, map[string]string{"CHARTE_SCAN_STEP_TIMEOUT": "0s"}, "must be positive"},
	}
	for _, tt := range tests {
		args := append([]string{"serve", "--db", tempDB(t), "--listen", "127.0.0.1:0"}, tt.args...)
		code, _, errOut := charte(t, "", tt.env, args...)
		if code != 2 || !strings.Contains(errOut, tt.want) {
			t.Errorf("charte %v with %v: exit %d, stderr %q; want exit 2 with %q", tt.args, tt.env, code, errOut, tt.want)
		}
	}
}

// A registry file that does not load is an error before any browser starts.
func TestScanBadRegistry(t *testing.T) {
	code, _, errOut := charte(t, "id: Not A Slug\n", nil, "scan", "http://127.0.0.1:1/", "--registry", "-")
	if code != 1 || !strings.Contains(errOut, "-:") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
}

// TestScanGatesCI is the "done when": a site that sets a statistics
// cookie before consent makes --fail-on preconsent exit 1, with the report
// written where --out says and a registry draft on standard output.
func TestScanGatesCI(t *testing.T) {
	needChromium(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<!doctype html><title>leaky</title><p>no banner at all</p>
<script>document.cookie = '_ga=GA1.1.1; Max-Age=7776000; Path=/';</script>`)
	}))
	defer srv.Close()
	reg := filepath.Join(t.TempDir(), "site.yaml")
	os.WriteFile(reg, []byte(`id: leaky
name: Leaky
default_language: en
languages: [en]
categories: [{id: necessary, name: {en: Necessary}, exempt: true}]
cookies: []
`), 0o600)
	out := filepath.Join(t.TempDir(), "report.json")
	code, stdout, errOut := charte(t, "", nil, "scan", srv.URL, "--registry", reg, "--pages", "2",
		"--format", "json", "--out", out, "--fail-on", "preconsent", "--emit-registry")
	if code != 1 {
		t.Fatalf("exit %d, want 1; stderr %q", code, errOut)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Findings []struct{ Kind, Name, Message string }
	}
	if err := json.Unmarshal(data, &rep); err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, f := range rep.Findings {
		kinds = append(kinds, f.Kind+" "+f.Name)
	}
	if got := strings.Join(kinds, ", "); got != "preconsent _ga, preconsent _ga, undeclared _ga, no-banner " {
		t.Errorf("findings: %s", got)
	}
	draft, _, err := registry.Load(strings.NewReader(stdout))
	if err != nil {
		t.Fatalf("the registry draft does not load: %v\n%s", err, stdout)
	}
	// _ga is Google Analytics': the draft names the recipe, whose cookies
	// publishing adds, under a statistics category needing consent.
	if len(draft.Cookies) != 0 || len(draft.Services) != 1 || draft.Services[0].ID != "google-analytics" || !draft.NeedsConsent("statistics") {
		t.Errorf("draft cookies %+v, services %+v", draft.Cookies, draft.Services)
	}

	// The same scan without --fail-on succeeds.
	if code, _, errOut := charte(t, "", nil, "scan", srv.URL, "--pages", "1", "--out", out); code != 0 {
		t.Errorf("without --fail-on: exit %d, stderr %q", code, errOut)
	}
}

// TestScanHostilePagesCLI: a page calling alert() and one running a busy
// loop no longer hold charte scan; the report says what each did, in the
// operator's language.
func TestScanHostilePagesCLI(t *testing.T) {
	needChromium(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/":
			fmt.Fprint(w, `<!doctype html><title>start</title><a href="/alert">alert</a> <a href="/busy">busy</a>`)
		case "/alert":
			fmt.Fprint(w, `<!doctype html><script>addEventListener('load', () => setTimeout(() => alert('Hello'), 0))</script>`)
		case "/busy":
			fmt.Fprint(w, `<!doctype html><script>addEventListener('load', () => setTimeout(() => { while (true) {} }, 0))</script>`)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	tests := []struct {
		lang string
		want []string
	}{
		{"en", []string{"Page " + srv.URL + "/busy stopped answering", "Page " + srv.URL + "/alert opened a JavaScript alert dialog", "“Hello”"}},
		{"fr", []string{"La page " + srv.URL + "/busy a cessé de répondre", "La page " + srv.URL + "/alert a ouvert une boîte de dialogue JavaScript alert"}},
		{"de", []string{"Die Seite " + srv.URL + "/busy reagierte nicht mehr", "Die Seite " + srv.URL + "/alert öffnete einen JavaScript-Dialog alert", "„Hello“"}},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			t.Parallel()
			code, out, errOut := charte(t, "", nil, "scan", srv.URL, "--pages", "3", "--concurrency", "1", "--lang", tt.lang,
				// Deadlines far above what a healthy page needs, even on a
				// loaded machine: the busy page never ends its step, whatever
				// the deadline, so only a slow machine's healthy pages would
				// notice a short one.
				"--load-timeout", "30s", "--step-timeout", "5s", "--fail-on", "unresponsive")
			// --fail-on unresponsive: the busy page makes the exit status 1.
			if code != 1 {
				t.Fatalf("exit %d, want 1 (--fail-on unresponsive); stderr %q\n%s", code, errOut, out)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("report lacks %q:\n%s\nstderr: %s", w, out, errOut)
				}
			}
		})
	}
}

// needChromium skips a browser test with -short, and when Chromium is absent
// (a failure when CHARTE_TEST_REQUIRE lists chromium).
func needChromium(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("drives Chromium; skipped with -short")
	}
	testenv.Chromium(t)
}
