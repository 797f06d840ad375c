package admin_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/charte/charte/consent"
	"github.com/charte/charte/internal/auth"
	"github.com/charte/charte/internal/browsertest"
	"github.com/charte/charte/internal/store"
	"github.com/charte/charte/internal/store/storetest"
	"github.com/charte/charte/internal/web"
)

// The back office's browser tests drive the whole charte server (web.New,
// which mounts the back office) in headless Chromium. Helpers here carry a
// "bo" prefix so they never clash with other browser tests of the package.

// boWaitFor bounds every wait on the store, as browsertest.WaitFor does on
// the browser.
const boWaitFor = browsertest.WaitFor

// boServer is a whole charte server, as `charte serve` runs it, on a fresh
// store: the demo sites published, one consent record on each, an owner and
// an editor of demo only (password: the package's password).
type boServer struct {
	URL  string
	base *url.URL
	st   store.Store
}

func newBoServer(t *testing.T) *boServer {
	t.Helper()
	ctx := context.Background()
	st := storetest.New(t)
	seedWithRecords(t, st)
	var err error
	for _, u := range []auth.User{
		{Email: "owner@example.org", Role: auth.Owner},
		{Email: "editor@example.org", Role: auth.Editor, Sites: []string{"demo"}},
	} {
		// The cheap costs are written in the hash, which login reads back:
		// the server's own verification path runs unchanged.
		if u.PasswordHash, err = auth.HashPassword(context.Background(), password, cheap); err != nil {
			t.Fatal(err)
		}
		if _, err := st.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	// The server needs its URL before it exists: route through a variable
	// set once the listener is up.
	var handler http.Handler
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { handler.ServeHTTP(w, r) }))
	t.Cleanup(ts.Close)
	base, _ := url.Parse(ts.URL)
	srv, err := web.New(web.Config{BaseURL: base}, st, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	handler = srv.Handler()
	return &boServer{URL: ts.URL, base: base, st: st}
}

// published is the revision visitors of site see now.
func (s *boServer) published(t *testing.T, site string) string {
	t.Helper()
	rev, err := s.st.Published(context.Background(), site)
	if err != nil {
		t.Fatal(err)
	}
	return rev.ID
}

// sessionAlive reports whether the store still holds the session whose
// cookie value is id (it keeps only the id's SHA-256).
func (s *boServer) sessionAlive(t *testing.T, id string) bool {
	t.Helper()
	sum := sha256.Sum256([]byte(id))
	_, _, err := s.st.Session(context.Background(), hex.EncodeToString(sum[:]), time.Now())
	return err == nil
}

// boChromium starts one headless Chromium for a test and its subtests.
func boChromium(t *testing.T) context.Context { return browsertest.Start(t) }

// boTab opens a tab in a new browser context, a fresh profile with no
// cookie and no cache, whose requests say Accept-Language: lang.
func boTab(t *testing.T, browser context.Context, lang string) context.Context {
	t.Helper()
	ctx := browsertest.Tab(t, browser)
	browsertest.Language(t, ctx, lang)
	return ctx
}

// boOpen loads a page and waits until it has loaded.
func boOpen(t *testing.T, tab context.Context, u string) {
	t.Helper()
	browsertest.Open(t, tab, u, "")
}

// boWait polls a JavaScript condition until it holds.
func boWait(t *testing.T, tab context.Context, cond string) {
	t.Helper()
	browsertest.WaitTrue(t, tab, cond)
}

// boEval runs an expression in the page and decodes its value
// (chromedp.EvalAwaitPromise: the value a promise resolves to).
func boEval[T any](t *testing.T, tab context.Context, expr string, opts ...chromedp.EvaluateOption) T {
	t.Helper()
	return browsertest.Eval[T](t, tab, expr, opts...)
}

// boClick clicks an element with the mouse, once it is visible.
func boClick(t *testing.T, tab context.Context, selector string) {
	t.Helper()
	browsertest.Click(t, tab, selector)
}

// boFollow clicks a link or a form's button and waits for the page it
// leads to: the old page is marked, and the wait ends in a new document.
func boFollow(t *testing.T, tab context.Context, selector string) {
	t.Helper()
	boEval[bool](t, tab, `window.boOldPage = true`)
	boClick(t, tab, selector)
	boWait(t, tab, `!window.boOldPage && document.readyState === 'complete'`)
}

// boType replaces the text of an input or textarea by typing, as an
// operator does.
func boType(t *testing.T, tab context.Context, selector, text string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(tab, boWaitFor)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Clear(chromedp.CSS(selector)), chromedp.SendKeys(chromedp.CSS(selector), text)); err != nil {
		t.Fatalf("type into %s: %v", selector, err)
	}
}

// boStatus is the HTTP status of the document on screen.
func boStatus(t *testing.T, tab context.Context) int {
	t.Helper()
	return boEval[int](t, tab, `performance.getEntriesByType('navigation')[0].responseStatus`)
}

// boText is what the page shows.
func boText(t *testing.T, tab context.Context) string {
	t.Helper()
	return boEval[string](t, tab, `document.body.innerText`)
}

// boLogin signs in through the login form, as an operator does, and waits
// for the dashboard.
func boLogin(t *testing.T, tab context.Context, s *boServer, email string) {
	t.Helper()
	boOpen(t, tab, s.URL+"/admin/")
	if path := boEval[string](t, tab, `location.pathname`); path != "/admin/login" {
		t.Fatalf("signed out, /admin/ went to %s, want the login form", path)
	}
	boType(t, tab, `input[name=email]`, email)
	boType(t, tab, `input[name=password]`, password)
	boFollow(t, tab, `form.login button`)
	if path := boEval[string](t, tab, `location.pathname`); path != "/admin/" {
		t.Fatalf("after signing in as %s: %s\n%s", email, path, boText(t, tab))
	}
	if who := boEval[string](t, tab, `document.querySelector('header .who').textContent`); !strings.HasPrefix(who, email) {
		t.Fatalf("signed in as %q, want %s", who, email)
	}
}

// boCookies returns the browser's cookies for the back office's origin,
// HttpOnly ones included.
func boCookies(t *testing.T, tab context.Context, s *boServer) map[string]*network.Cookie {
	t.Helper()
	res, err := chromedp.Call(tab, network.GetCookies, network.GetCookiesParams{URLs: []string{s.URL + "/admin/"}})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*network.Cookie{}
	for _, c := range res.Cookies {
		out[c.Name] = c
	}
	return out
}

// boChoice decodes the visitor's cookies_preferences with Go's codec.
func boChoice(t *testing.T, tab context.Context, s *boServer) consent.Choice {
	t.Helper()
	c := boCookies(t, tab, s)[consent.CookieName]
	if c == nil {
		t.Fatal("no cookies_preferences cookie")
	}
	choice, err := consent.Decode(c.Value)
	if err != nil {
		t.Fatalf("cookies_preferences %q: %v", c.Value, err)
	}
	return choice
}

// boNoCache empties the tab's HTTP cache, as for a visitor whose cached
// banner.js (max-age=300) has expired.
func boNoCache(t *testing.T, tab context.Context) {
	t.Helper()
	if _, err := chromedp.Call(tab, network.ClearBrowserCache, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}
}

// boJS quotes s for splicing into a script.
func boJS(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
