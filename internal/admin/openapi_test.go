package admin_test

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/charte/charte/internal/store/storetest"
	"github.com/charte/charte/internal/web"
)

var apiPattern = regexp.MustCompile(`^(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS) (/api/\S*)$`)

// registeredAPIRoutes reads the route patterns charte's HTTP packages
// register: every string literal "METHOD /api/…" of their non-test files.
// http.ServeMux cannot list its routes, so the source is where they are;
// the test below then proves each one is really served.
func registeredAPIRoutes(t *testing.T) []string {
	t.Helper()
	var out []string
	for _, dir := range []string{"../web", "."} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			file, err := parser.ParseFile(token.NewFileSet(), f, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			ast.Inspect(file, func(n ast.Node) bool {
				if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
					if s, err := strconv.Unquote(lit.Value); err == nil && apiPattern.MatchString(s) {
						out = append(out, s)
					}
				}
				return true
			})
		}
	}
	return out
}

var sampleParams = strings.NewReplacer("{site}", "demo", "{cat}", "statistics", "{n}", "0", "{seq}", "1",
	"{consent_id}", "visitor-of-demo", "{id}", "1", "{revision}", "0123456789abcdef", "{file}", "0.js")

func TestOpenAPIDocumentCoversEveryRoute(t *testing.T) {
	st := storetest.New(t)
	storetest.Seed(t, st)
	srv, err := web.New(web.Config{}, st, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(func() { ts.Close(); srv.Close() })

	res, err := http.Get(ts.URL + "/api/v1/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		OpenAPI string                               `json:"openapi"`
		Paths   map[string]map[string]map[string]any `json:"paths"`
	}
	if err := json.NewDecoder(res.Body).Decode(&doc); err != nil || res.StatusCode != 200 || !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Fatalf("openapi.json: %d %v %q", res.StatusCode, err, doc.OpenAPI)
	}
	res.Body.Close()

	// What the mux answers for a path no route serves.
	probe := func(method, path string) (int, string) {
		req, _ := http.NewRequest(method, ts.URL+path, nil)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	_, unrouted := probe("GET", "/api/v1/no-such-route/demo")

	routes := registeredAPIRoutes(t)
	if len(routes) < 20 {
		t.Fatalf("found only %d API routes in the source: %v", len(routes), routes)
	}
	for _, p := range []string{"GET /api/v1/sites/{site}/cookies", "POST /api/v1/sites/{site}/consents",
		"GET /api/v1/sites/{site}/consents/{consent_id}", "GET /api/v1/sites/{site}/proof/head"} {
		if !strings.Contains(strings.Join(routes, "\n"), p) {
			t.Errorf("the source scan misses the public route %s", p)
		}
	}
	for _, rt := range routes {
		m := apiPattern.FindStringSubmatch(rt)
		method, path := m[1], m[2]
		if doc.Paths[path][strings.ToLower(method)] == nil {
			t.Errorf("%s is served but missing from /api/v1/openapi.json", rt)
		}
		// The route is really on the server's mux: it answers something
		// else than what an unknown path gets, and not 405.
		status, body := probe(method, sampleParams.Replace(path))
		if status == http.StatusMethodNotAllowed || body == unrouted {
			t.Errorf("%s is in the source but the server does not route it: %d %s", rt, status, body)
		}
	}
	// And the document names no route that does not exist.
	for path, ops := range doc.Paths {
		for method := range ops {
			p := strings.ToUpper(method) + " " + path
			if !strings.Contains("\n"+strings.Join(routes, "\n")+"\n", "\n"+p+"\n") {
				t.Errorf("the document lists %s, which no code registers", p)
			}
		}
	}
}
