package web

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/charte/charte/consent"
	"github.com/charte/charte/internal/browsertest"
	"github.com/charte/charte/internal/proof"
	"github.com/charte/charte/internal/store"
	"github.com/charte/charte/internal/store/storetest"
)

// waitFor bounds every wait on the store, as browsertest.WaitFor does on the
// browser.
const waitFor = browsertest.WaitFor

// startChromium starts one headless Chromium for a test and its subtests;
// each subtest then works in its own browser context.
func startChromium(t *testing.T) context.Context { return browsertest.Start(t) }

// env is a charte server on a fresh store seeded with the demo sites, as a
// newcomer's first `charte serve` has it.
type env struct {
	URL    string
	store  store.Store
	server *Server
}

func newEnv(t testing.TB) *env {
	t.Helper()
	st := storetest.New(t)
	storetest.Seed(t, st)
	// The server needs its own URL before it exists: route through a
	// variable set once the listener is up.
	var handler http.Handler
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { handler.ServeHTTP(w, r) }))
	t.Cleanup(ts.Close)
	base, _ := url.Parse(ts.URL)
	srv, err := New(Config{BaseURL: base}, st, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	handler = srv.Handler()
	return &env{URL: ts.URL, store: st, server: srv}
}

// tab opens a tab in a new browser context of the shared browser, recording
// CSP violations; scripts given run before any of the page's own.
func tab(t *testing.T, browser context.Context, initScripts ...string) context.Context {
	t.Helper()
	return browsertest.Tab(t, browser, append([]string{recordViolations}, initScripts...)...)
}

// recordViolations keeps every Content-Security-Policy violation the page
// reports, so a test can require none.
const recordViolations = `window.cspViolations = [];
document.addEventListener('securitypolicyviolation', e =>
  window.cspViolations.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + (e.sourceFile || '') + ':' + e.lineNumber));`

// gpcOn makes navigator.globalPrivacyControl true, as in a browser whose
// visitor turned Global Privacy Control on.
const gpcOn = `Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', {get: () => true, configurable: true});`

// open loads a page and waits until the banner's script has run.
func open(t *testing.T, tab context.Context, u string) {
	t.Helper()
	browsertest.Open(t, tab, u, `!!window.charte && document.readyState === 'complete'`)
}

// waitTrue polls a JavaScript condition until it holds.
func waitTrue(t *testing.T, tab context.Context, cond string) {
	t.Helper()
	browsertest.WaitTrue(t, tab, cond)
}

// eval runs an expression in the page and decodes its value.
func eval[T any](t *testing.T, tab context.Context, expr string) T {
	t.Helper()
	return browsertest.Eval[T](t, tab, expr)
}

// click clicks an element with the mouse, as a visitor does.
func click(t *testing.T, tab context.Context, selector string) {
	t.Helper()
	browsertest.Click(t, tab, selector)
}

// press sends keys to whatever has the focus, as a keyboard-only visitor.
func press(t *testing.T, tab context.Context, keys string, opts ...chromedp.KeyOption) {
	t.Helper()
	if err := chromedp.Do(tab, chromedp.KeyEvent(keys, opts...)); err != nil {
		t.Fatalf("press %q: %v", keys, err)
	}
}

// reloadAndWait reloads the page, or waits for the reload the banner
// started, and for the banner to run again.
func waitReload(t *testing.T, tab context.Context) {
	t.Helper()
	waitTrue(t, tab, `!window.beforeReload && !!window.charte && document.readyState === 'complete'`)
}

// cookies returns the browser's cookies for the page and its frames,
// HttpOnly ones included.
func cookies(t *testing.T, tab context.Context) map[string]*network.Cookie {
	t.Helper()
	return browsertest.Cookies(t, tab)
}

// hasCookie reports whether a cookie with that name or prefix is set.
var hasCookie = browsertest.HasCookie

// names lists cookie names, for messages.
var names = browsertest.Names

// storedChoice decodes the cookies_preferences cookie with Go's codec, the
// one the server and the middleware read.
func storedChoice(t *testing.T, tab context.Context) (consent.Choice, *network.Cookie) {
	t.Helper()
	c := cookies(t, tab)[consent.CookieName]
	if c == nil {
		t.Fatal("no cookies_preferences cookie")
	}
	choice, err := consent.Decode(c.Value)
	if err != nil {
		t.Fatalf("cookies_preferences %q does not decode in Go: %v", c.Value, err)
	}
	return choice, c
}

// records waits until the store holds n records for a consent id and
// returns them, oldest first.
func (e *env) records(t *testing.T, site, consentID string, n int) []proof.Record {
	t.Helper()
	deadline := time.Now().Add(waitFor)
	for {
		recs, err := e.store.ConsentHistory(context.Background(), site, consentID)
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) >= n || time.Now().After(deadline) {
			if len(recs) != n {
				t.Fatalf("%d records stored for %s, want %d: %+v", len(recs), consentID, n, recs)
			}
			return recs
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// count is the number of records of a site's whole chain.
func (e *env) count(t *testing.T, site string) int64 {
	t.Helper()
	h, err := e.store.ProofHead(context.Background(), site)
	if err != nil {
		t.Fatal(err)
	}
	return h.Count
}

// blockAPI makes the consent API unreachable from the tab, as a server that
// is down; unblock brings it back.
func blockAPI(t *testing.T, tab context.Context, block bool) {
	t.Helper()
	var patterns []*network.BlockPattern
	if block {
		patterns = []*network.BlockPattern{{URLPattern: "*://*:*/api/v1/sites/*/consents", Block: true}}
	}
	if _, err := chromedp.Call(tab, network.Enable, network.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(tab, network.SetBlockedURLs, network.SetBlockedURLsParams{URLPatterns: patterns}); err != nil {
		t.Fatal(err)
	}
}

// noCache makes the tab fetch banner.js again, as a visitor whose cached
// copy expired.
func noCache(t *testing.T, tab context.Context) {
	t.Helper()
	if _, err := chromedp.Call(tab, network.ClearBrowserCache, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}
}

// jsonString quotes s for splicing into a script.
func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
