package scan

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"
)

// hostileSite serves a start page linking to /hostile (the page under test)
// then /next, an ordinary page that sets a cookie: seeing that cookie proves
// the scan went on past the hostile page. start is a script of the start
// page itself; the sitemap lists both pages, for a start page too busy to
// have its links read.
func hostileSite(t *testing.T, start string, hostile http.HandlerFunc) string {
	t.Helper()
	var srv *httptest.Server
	srv = listenOn(t, "127.0.0.1:0", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/":
			fmt.Fprint(w, `<!doctype html><title>start</title><a href="/hostile">hostile</a> <a href="/next">next</a>`+start)
		case "/sitemap.xml":
			w.Header().Set("Content-Type", "application/xml")
			fmt.Fprintf(w, `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>%[1]s/hostile</loc></url><url><loc>%[1]s/next</loc></url></urlset>`, srv.URL)
		case "/hostile":
			hostile(w, r)
		case "/next":
			http.SetCookie(w, &http.Cookie{Name: "next_seen", Value: "1", MaxAge: 3600})
			fmt.Fprint(w, `<!doctype html><title>next</title><p>an ordinary page`)
		default:
			http.NotFound(w, r)
		}
	}))
	return srv.URL
}

func hostilePage(body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<!doctype html><title>hostile</title>`+body)
	}
}

// TestScanHostilePages scans pages that once held the scanner forever: each
// scan ends within its documented bound, reports what the page did, and
// still scans the page after it.
func TestScanHostilePages(t *testing.T) {
	needChromium(t)
	// never answers the head of a page and holds the body open until the
	// browser gives up.
	never := func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<!doctype html><title>never</title><p>loading`)
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	}
	busy := `<script>addEventListener('load', () => setTimeout(() => { while (true) {} }, 0))</script>`
	tests := []struct {
		name    string
		start   string // script of the start page
		hostile http.HandlerFunc
		kind    string // the finding on /hostile
		detail  string // its Name: the dialog type or what did not answer
	}{
		{"alert after load", "", hostilePage(`<script>addEventListener('load', () => setTimeout(() => alert('Bienvenue !'), 0))</script>`), KindDialog, "alert"},
		{"confirm in a loop", "", hostilePage(`<script>addEventListener('load', () => { while (true) confirm('Stay?') })</script>`), KindDialog, "confirm"},
		{"prompt on load", "", hostilePage(`<script>prompt('Your name?')</script>`), KindDialog, "prompt"},
		{"busy loop", "", hostilePage(busy), KindUnresponsive, UnresponsiveScript},
		{"never finishes loading", "", never, KindUnresponsive, UnresponsiveLoad},
		// The start page is the first tab, where the banner is detected and
		// the choice made: each of those steps gives up in time.
		{"busy start page", busy, hostilePage(busy), KindUnresponsive, UnresponsiveScript},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// A browser per scan, each mostly waiting on its deadlines.
			t.Parallel()
			u := hostileSite(t, tt.start, tt.hostile)
			opts := Options{URL: u, Concurrency: 1, Settle: 200 * time.Millisecond,
				LoadTimeout: 3 * time.Second, StepTimeout: 2 * time.Second}
			bound := opts.Bound(3)
			ctx, cancel := context.WithTimeout(context.Background(), bound+30*time.Second)
			defer cancel()
			begin := time.Now()
			r, err := Run(ctx, opts)
			took := time.Since(begin)
			if err != nil {
				t.Fatalf("scan failed after %v: %v", took, err)
			}
			if took > bound {
				t.Errorf("scan took %v, over its bound %v", took, bound)
			}
			t.Logf("scan took %v (bound %v)", took, bound)
			var found *Finding
			for i, f := range r.Findings {
				if f.Kind == tt.kind && f.Page == u+"/hostile" {
					found = &r.Findings[i]
				}
			}
			if found == nil {
				t.Fatalf("no %s finding on /hostile; findings: %+v", tt.kind, r.Findings)
			}
			if found.Name != tt.detail || !slices.Equal(found.Passes, Passes) {
				t.Errorf("finding = %+v, want %s in every pass", *found, tt.detail)
			}
			if msg := found.Message("en"); msg == "" || !containsAll(msg, u+"/hostile") {
				t.Errorf("message %q does not name the page", msg)
			}
			if !slices.Contains(r.Pages, u+"/next") {
				t.Fatalf("pages = %v: the scan stopped at the hostile page", r.Pages)
			}
			for _, p := range r.Passes {
				seen := false
				for _, c := range p.Cookies {
					seen = seen || c.Name == "next_seen"
				}
				if !seen {
					t.Errorf("%s pass: /next's cookie missing; visits %+v", p.Name, p.Visits)
				}
			}
		})
	}
}

func containsAll(s string, subs ...string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}
