// Package archtest holds the tests that keep the layout of ARCHITECTURE.md
// true: imports flow one way, and only the packages that serve HTTP import
// net/http.
package archtest

import (
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/charte/charte/"

// allowed is the import rule as data: for every package of the module, the
// packages of the module it may import. A package missing from this table
// fails the test, so a new package is placed in the layout deliberately (and
// ARCHITECTURE.md gets its row).
var allowed = map[string][]string{
	// Leaves: no import of the module.
	"registry":            nil,
	"internal/i18n":       nil,
	"internal/assets":     nil,
	"internal/version":    nil,
	"internal/cli":        nil,
	"internal/testenv":    nil,
	"internal/hostile":    nil,
	"internal/archtest":   nil,
	"internal/httpx":      nil,
	"internal/clientaddr": nil,

	// Accounts: the back office's users, sessions, tokens and audit
	// entries, and the small store interfaces auth declares for them.
	"internal/auth": {"internal/clientaddr"},

	// Domain packages: each owns one thing and sees only the leaves (the
	// store also keeps auth's accounts).
	"consent":         {"registry"},
	"services":        {"registry"},                                                // recipes are checked with the registry's own validation
	"internal/proof":  {"registry"},                                                // a record's texts are checked as the registry's are
	"internal/store":  {"internal/auth", "internal/proof", "registry", "services"}, // auth's account types and its not-found; publishing expands services
	"internal/banner": {"internal/i18n", "internal/lru", "registry", "services"},   // services: the URL patterns and snippets automatic blocking ships
	"internal/charter": {
		"internal/i18n", "registry", "services", // services: country names
	},
	"internal/scan":            {"internal/i18n", "registry", "services"}, // services: recognising recipes
	"internal/demo":            {"registry"},
	"internal/drift":           {"internal/i18n", "internal/scan"},
	"internal/lru":             {},
	"internal/alert":           {},
	"internal/alert/alerttest": {},
	"internal/browsertest":     {"internal/testenv"},

	// Built on the domain packages.
	"internal/proxy":           {"consent", "internal/i18n", "internal/lru", "registry", "services"}, // lru: what the pages' URLs match
	"internal/store/storetest": {"internal/demo", "internal/store", "internal/testenv", "registry"},

	// The back office, then the server that mounts it.
	"internal/admin": {
		"internal/alert", "internal/drift", "internal/assets", "internal/auth", "internal/banner", "internal/charter",
		"internal/clientaddr", "internal/httpx", "internal/i18n", "internal/proof", "internal/scan", "internal/store",
		"registry", "services",
	},
	"internal/web": {
		"internal/admin", "internal/alert", "internal/lru", "internal/assets", "internal/auth", "internal/banner",
		"internal/charter", "internal/clientaddr", "internal/httpx", "internal/i18n", "internal/proof",
		"internal/store", "internal/version", "registry",
	},

	// Commands and examples sit on top and may use anything below.
	"cmd/charte":          {"*"},
	"examples/middleware": {"consent"},
}

// serveHTTP lists the packages that may import net/http, each with why.
// Everything else (the registry, the store, proof, rendering) knows no HTTP.
var serveHTTP = map[string]string{
	"consent":              "it is the enforcement middleware sites embed",
	"internal/proxy":       "it is the reverse proxy",
	"internal/scan":        "its address guard is a forward proxy in front of the browser, and fixtures serve pages",
	"internal/alert":       "it posts alerts to webhooks",
	"internal/assets":      "it serves embedded static files with caching headers",
	"internal/httpx":       "it is what every handler shares: JSON answers and errors",
	"internal/clientaddr":  "it reads a request's client address (peer or X-Forwarded-For)",
	"internal/auth":        "sessions, CSRF and cookies are HTTP by nature",
	"internal/admin":       "the back office handlers",
	"internal/web":         "the server",
	"cmd/charte":           "commands start servers and call them",
	"examples/middleware":  "it shows the middleware in a server",
	"internal/browsertest": "its vendor tab answers the browser's requests to third-party hosts from a test server",
}

type pkg struct {
	ImportPath string
	Dir        string
	GoFiles    []string
	Imports    []string
}

func TestImportsFlowOneWay(t *testing.T) {
	pkgs := listPackages(t)
	for _, p := range pkgs {
		name := strings.TrimPrefix(p.ImportPath, module)
		rule, known := allowed[name]
		if !known {
			t.Errorf("package %s is not placed in the layout: add it to allowed in internal/archtest and to ARCHITECTURE.md", name)
			continue
		}
		for _, imp := range p.Imports {
			if imp == "net/http" || strings.HasPrefix(imp, "net/http/") {
				if _, ok := serveHTTP[name]; !ok {
					t.Errorf("%s imports %s: only the packages ARCHITECTURE.md lists as serving HTTP may", name, imp)
				}
				continue
			}
			if !strings.HasPrefix(imp, module) {
				continue
			}
			dep := strings.TrimPrefix(imp, module)
			if !slices.Contains(rule, "*") && !slices.Contains(rule, dep) {
				t.Errorf("%s imports %s, which the layout does not allow (allowed: %v)", name, dep, rule)
			}
		}
	}
	// A rule for a package that no longer exists is stale documentation.
	for name := range allowed {
		if !slices.ContainsFunc(pkgs, func(p pkg) bool { return p.ImportPath == module+name }) {
			t.Errorf("allowed lists %s, which is not a package any more", name)
		}
	}
}

// TestRuleHasNoCycle checks the table itself: a rule that lets two packages
// import each other, even through others, would make "one way" meaningless.
func TestRuleHasNoCycle(t *testing.T) {
	const (
		unseen = iota
		active
		done
	)
	state := map[string]int{}
	var visit func(name string, path []string)
	visit = func(name string, path []string) {
		switch state[name] {
		case active:
			t.Errorf("the import rule allows a cycle: %s", strings.Join(append(path, name), " → "))
			return
		case done:
			return
		}
		state[name] = active
		for _, dep := range allowed[name] {
			if dep != "*" {
				visit(dep, append(path, name))
			}
		}
		state[name] = done
	}
	for name := range allowed {
		visit(name, nil)
	}
}

func listPackages(t *testing.T) []pkg {
	t.Helper()
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command is needed to list the packages: %v", err)
	}
	cmd := exec.Command(goBin, "list", "-json", module+"...")
	out, err := cmd.Output()
	if err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			t.Fatalf("go list: %v\n%s", err, exit.Stderr)
		}
		t.Fatalf("go list: %v", err)
	}
	var pkgs []pkg
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for {
		var p pkg
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatalf("reading go list output: %v", err)
		}
		pkgs = append(pkgs, p)
	}
	// go test caches a passing result by the files the test opens, and it
	// cannot see what go list read: reading every source file here makes an
	// edited import run the test again instead of replaying a stale pass.
	for _, p := range pkgs {
		for _, f := range p.GoFiles {
			if _, err := os.ReadFile(filepath.Join(p.Dir, f)); err != nil {
				t.Fatal(err)
			}
		}
	}
	if len(pkgs) < 10 {
		t.Fatalf("go list found only %d packages: is the test run from inside the module?", len(pkgs))
	}
	return pkgs
}
