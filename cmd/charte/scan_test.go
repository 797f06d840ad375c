package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

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
		{[]string{"scan", "http://a", "--lang", "de"}, "--lang"},
		{[]string{"scan", "http://a", "--fail-on", "preconsent,typo"}, `--fail-on "typo"`},
		{[]string{"scan", "http://a", "--pages", "0"}, "--pages"},
		{[]string{"scan", "http://a", "--depth", "0"}, "--depth"},
		{[]string{"scan", "--depth"}, "flag needs an argument"},
	}
	for _, tt := range tests {
		code, out, errOut := charte(t, "", nil, tt.args...)
		if code != 2 || !strings.Contains(out+errOut, tt.want) {
			t.Errorf("charte %v: exit %d, output %q; want exit 2 with %q", tt.args, code, out+errOut, tt.want)
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
	if _, err := exec.LookPath("chromium"); err != nil {
		t.Skip("chromium not found: apt-get install chromium")
	}
	if testing.Short() {
		t.Skip("drives Chromium; skipped with -short")
	}
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
	if len(draft.Cookies) != 1 || draft.Cookies[0].Name != "_ga" || draft.Cookies[0].Category != "statistics" {
		t.Errorf("draft cookies: %+v", draft.Cookies)
	}

	// The same scan without --fail-on succeeds.
	if code, _, errOut := charte(t, "", nil, "scan", srv.URL, "--pages", "1", "--out", out); code != 0 {
		t.Errorf("without --fail-on: exit %d, stderr %q", code, errOut)
	}
}
