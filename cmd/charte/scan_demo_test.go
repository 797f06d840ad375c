package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/charte/charte/internal/store"
	"github.com/charte/charte/internal/store/storetest"
	"github.com/charte/charte/internal/testenv"
)

// gatedStats is how the demo page holds its statistics script until the
// visitor allows statistics; ungated turns it into an ordinary script, the
// integration mistake the scanner exists to catch, in its worst form: not
// deferred, so it runs while the page is parsed, before the banner (deferred)
// starts and wipes the cookies of the categories not allowed. The cookies
// are gone a moment after they were set, on every page; the scanner records
// every cookie written during a pass, not only those left at its end, so it
// still sees them.
const (
	gatedStats   = `<script type="text/plain" data-charte="statistics" src=`
	ungatedStats = `<script type="text/javascript" src=`
)

// TestScanDemo is issue 6's test on charte's own demo site: the real web
// server, the demo registry published, scanned by `charte scan --site demo`.
// As shipped, no pass finds a cookie set before consent; with the
// statistics script no longer gated, the arrival pass finds Matomo's.
func TestScanDemo(t *testing.T) {
	chromium := testenv.Chromium(t)
	if testing.Short() {
		t.Skip("drives Chromium; skipped with -short")
	}
	dsn := seededDemoDB(t)
	gated := demoServer(t, dsn, false)
	ungated := demoServer(t, dsn, true)
	dir := t.TempDir()

	tests := []struct {
		name     string
		base     string
		format   string
		pages    string
		wantExit int
		check    func(t *testing.T, report []byte)
	}{
		{"gated json", gated, "json", "4", 0, func(t *testing.T, data []byte) {
			r := decodeDemoReport(t, data)
			for _, f := range r.Findings {
				t.Logf("finding on the demo as shipped: %s %s (%s) %v", f.Kind, f.Name, f.Domain, f.Passes)
				if f.Kind == "preconsent" {
					t.Errorf("preconsent finding on the gated demo: %s in %v", f.Name, f.Passes)
				}
			}
			// Not vacuous: accepting does run the script the page gates.
			for _, name := range []string{"_pk_id.", "_pk_ses."} {
				for _, pass := range []string{"arrival", "refuse", "accept"} {
					if got := r.has(pass, name); got != (pass == "accept") {
						t.Errorf("%s pass holds %s*: %v, want %v", pass, name, got, pass == "accept")
					}
				}
			}
		}},
		{"gated html", gated, "html", "4", 0, func(t *testing.T, data []byte) {
			html := string(data)
			for _, want := range []string{
				"<!doctype html", "data:image/png;base64,", // the banner as the visitor first saw it
				"Cookie scan of", "portail open data", "/sites/demo/demo", // the site and the page scanned
				"_pk_id.1.1fff", "_pk_ses.1.1fff", "cookies_preferences", // what accepting stored
			} {
				if !strings.Contains(html, want) {
					t.Errorf("the HTML report lacks %q", want)
				}
			}
			if strings.Contains(html, "<script") {
				t.Errorf("the HTML report carries a script; a DPO's mail client should not run anything")
			}
		}},
		// Several pages, two at a time: each load of the demo page sets the
		// cookies and the banner wipes them at once, so none is left at the
		// end of the arrival or refuse pass; each is reported as set then
		// removed, with a preconsent finding saying so.
		{"ungated json", ungated, "json", "3", 1, func(t *testing.T, data []byte) {
			r := decodeDemoReport(t, data)
			if len(r.Pages) < 2 {
				t.Errorf("the scan visited %v, want several pages", r.Pages)
			}
			found := map[string]bool{}
			for _, f := range r.Findings {
				if f.Kind == "preconsent" {
					if !f.Transient || !strings.Contains(f.Message, "then removed") {
						t.Errorf("preconsent %s in %v: transient %v, message %q; want set then removed", f.Name, f.Passes, f.Transient, f.Message)
					}
					for _, p := range f.Passes {
						found[p+" "+strings.SplitAfter(f.Name, ".")[0]] = true
					}
				}
			}
			for _, pass := range []string{"arrival", "refuse"} {
				for _, name := range []string{"_pk_id.", "_pk_ses."} {
					if !r.hasTransient(pass, name) {
						t.Errorf("the %s pass does not report %s* as set then removed", pass, name)
					}
				}
			}
			for _, pass := range []string{"arrival", "refuse"} {
				for _, name := range []string{"_pk_id.", "_pk_ses."} {
					if !found[pass+" "+name] {
						t.Errorf("no preconsent finding for %s* in the %s pass; findings: %+v", name, pass, r.Findings)
					}
				}
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(dir, strings.ReplaceAll(tt.name, " ", "-")+"."+tt.format)
			code, _, errOut := charte(t, "", nil, "scan", tt.base+"/sites/demo/demo", "--site", "demo", "--db", dsn,
				"--chromium", chromium, "--pages", tt.pages, "--format", tt.format, "--out", out, "--fail-on", "preconsent")
			if code != tt.wantExit {
				t.Fatalf("exit %d, want %d; stderr %q", code, tt.wantExit, errOut)
			}
			data, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, data)
		})
	}
}

// seededDemoDB is a SQLite file holding the demo sites, published, as an
// empty charte database gets them: the web server and the CLI both open it.
func seededDemoDB(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	dsn := tempDB(t)
	st, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	storetest.Seed(t, st)
	return dsn
}

// demoServer serves charte's web server on dsn and returns its URL. With
// ungate, the demo page's statistics script is served as an ordinary
// script: the page is rewritten on its way out, the production page is not
// touched.
func demoServer(t *testing.T, dsn string, ungate bool) string {
	t.Helper()
	if !ungate {
		return serveDB(t, dsn, nil)
	}
	return serveDB(t, dsn, func(h http.Handler) http.Handler { return ungateDemo(t, h) })
}

// ungateDemo rewrites the demo pages next serves, failing the test if the
// gated script is not there to rewrite, so the variant cannot silently be
// the shipped page.
func ungateDemo(t *testing.T, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasSuffix(r.URL.Path, "/demo") {
			next.ServeHTTP(w, r)
			return
		}
		r.Header.Del("Accept-Encoding") // rewrite plain HTML
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		body := rec.Body.String()
		if !strings.Contains(body, gatedStats) {
			t.Errorf("the demo page %s has no gated statistics script to ungate", r.URL)
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.Header().Del("Content-Length")
		w.WriteHeader(rec.Code)
		io.WriteString(w, strings.ReplaceAll(body, gatedStats, ungatedStats))
	})
}

type demoReport struct {
	Pages  []string
	Passes []struct {
		Name    string
		Cookies []struct {
			Name      string
			Transient bool
		}
	}
	Findings []struct {
		Kind, Name, Domain, Message string
		Passes                      []string
		Transient                   bool
	}
}

func decodeDemoReport(t *testing.T, data []byte) demoReport {
	t.Helper()
	var r demoReport
	if err := json.Unmarshal(data, &r); err != nil {
		t.Fatalf("the JSON report does not decode: %v", err)
	}
	if len(r.Passes) != 3 {
		t.Fatalf("report has %d passes, want 3", len(r.Passes))
	}
	return r
}

// has reports whether a pass ended with a cookie whose name starts so.
func (r demoReport) has(pass, prefix string) bool { return r.holds(pass, prefix, false) }

// hasTransient reports whether a pass saw a cookie whose name starts so set
// then removed.
func (r demoReport) hasTransient(pass, prefix string) bool { return r.holds(pass, prefix, true) }

func (r demoReport) holds(pass, prefix string, transient bool) bool {
	for _, p := range r.Passes {
		if p.Name != pass {
			continue
		}
		for _, c := range p.Cookies {
			if strings.HasPrefix(c.Name, prefix) && c.Transient == transient {
				return true
			}
		}
	}
	return false
}
