package web

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/charte/charte/internal/auth"
	"github.com/charte/charte/internal/store/storetest"
)

var sampleParams = strings.NewReplacer("{site}", "demo", "{cat}", "statistics", "{n}", "0", "{seq}", "1",
	"{consent_id}", "visitor-of-demo", "{id}", "1", "{revision}", "0123456789abcdef", "{file}", "0.js", "{$}", "")

func newRoutedServer(t *testing.T) (*Server, *httptest.Server) {
	t.Helper()
	st := storetest.New(t)
	storetest.Seed(t, st)
	srv, err := New(Config{}, st, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(func() { ts.Close(); srv.Close() })
	return srv, ts
}

// The OpenAPI document is made from the route table: it lists every /api/v1
// route of the table with its summary and permission, and nothing else.
func TestOpenAPIDocumentIsTheRoutedAPI(t *testing.T) {
	srv, ts := newRoutedServer(t)
	res, err := http.Get(ts.URL + "/api/v1/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var doc struct {
		OpenAPI string `json:"openapi"`
		Paths   map[string]map[string]struct {
			Summary    string `json:"summary"`
			Permission string `json:"x-charte-permission"`
		} `json:"paths"`
	}
	if err := json.NewDecoder(res.Body).Decode(&doc); err != nil || res.StatusCode != 200 || !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Fatalf("openapi.json: %d %v %q", res.StatusCode, err, doc.OpenAPI)
	}
	if got := res.Header.Get("Access-Control-Allow-Origin"); got != "*" {
		t.Errorf("openapi.json Access-Control-Allow-Origin %q, want *", got)
	}

	var routed []string
	for _, rt := range apiRoutes(srv.table()) {
		routed = append(routed, rt.pattern)
		method, path, _ := strings.Cut(rt.pattern, " ")
		op, ok := doc.Paths[path][strings.ToLower(method)]
		switch {
		case !ok:
			t.Errorf("%s is routed but missing from openapi.json", rt.pattern)
		case op.Summary == "" || op.Summary != rt.summary:
			t.Errorf("%s: summary %q, want the table's %q (every API route has one)", rt.pattern, op.Summary, rt.summary)
		case op.Permission != permNames[rt.perm]:
			t.Errorf("%s: permission %q, want %q", rt.pattern, op.Permission, permNames[rt.perm])
		}
	}
	for path, ops := range doc.Paths {
		for method := range ops {
			if p := strings.ToUpper(method) + " " + path; !slices.Contains(routed, p) {
				t.Errorf("openapi.json lists %s, which the table does not route", p)
			}
		}
	}
	// The routes the banner and auditors depend on are there, public.
	for _, p := range []string{"POST /api/v1/sites/{site}/consents", "GET /api/v1/sites/{site}/cookies",
		"GET /api/v1/sites/{site}/proof/head", "GET /api/v1/proof/key", "GET /api/v1/sites/{site}/draft"} {
		if !slices.Contains(routed, p) {
			t.Errorf("the table lost %s", p)
		}
	}
	if len(routed) < 30 {
		t.Errorf("only %d API routes: %v", len(routed), routed)
	}
}

// Every route of the table is really served: it answers something else than
// a path no route serves, and not 405. A public route answers without a
// session; a protected one asks for it (redirect to login, or 401).
func TestEveryRouteIsServed(t *testing.T) {
	srv, ts := newRoutedServer(t)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	probe := func(method, path string) (int, string, http.Header) {
		req, _ := http.NewRequest(method, ts.URL+path, nil)
		res, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b), res.Header
	}
	_, unroutedAPI, _ := probe("GET", "/api/v1/no-such-route/demo")
	for _, rt := range srv.table() {
		method, path, ok := strings.Cut(rt.pattern, " ")
		if !ok {
			continue // the catch-alls
		}
		status, body, header := probe(method, sampleParams.Replace(path))
		if status == http.StatusMethodNotAllowed || (strings.HasPrefix(path, "/api/") && body == unroutedAPI) {
			t.Errorf("%s is in the table but not served: %d %s", rt.pattern, status, body)
		}
		if rt.perm != auth.Public && method == http.MethodGet {
			asked := status == http.StatusUnauthorized || (status == http.StatusSeeOther && strings.HasPrefix(header.Get("Location"), "/admin/login"))
			if !asked {
				t.Errorf("%s needs %s but answered %d to an anonymous GET", rt.pattern, permNames[rt.perm], status)
			}
		}
	}
}
