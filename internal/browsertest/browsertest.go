// Package browsertest drives headless Chromium for charte's browser tests:
// one browser per test, a fresh browser context — a new profile with no
// cookie and no cache — per case, and waits that poll a condition under a
// ceiling instead of sleeping.
package browsertest

import (
	"context"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/charte/charte/internal/testenv"
)

// WaitFor bounds every wait: a ceiling for a broken run, not a pace, since
// each wait returns as soon as its condition holds.
const WaitFor = 20 * time.Second

// Start starts one headless Chromium for a test and its subtests. It skips
// with -short, and when Chromium is absent (fails when CHARTE_TEST_REQUIRE
// says it must be there).
func Start(t testing.TB) context.Context {
	t.Helper()
	if testing.Short() {
		t.Skip("drives Chromium: skipped with -short")
	}
	path := testenv.Chromium(t)
	// chromedp gives the browser a fresh temporary user-data-dir and removes
	// it when the allocator is cancelled.
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		// Site isolation off, as the scanner runs Chromium: a cross-site
		// frame (a YouTube embed) then stays in the page's process, so the
		// requests it makes once it has loaded, a new src given by a
		// script included, reach the page's network events and
		// VendorTab's log. With it on, a frame that had committed a
		// cross-site page before a script changed its src navigated in a
		// process of its own, and the log missed that request now and then.
		chromedp.Flag("disable-features", "SitePerProcess,IsolateOrigins"),
		chromedp.Flag("disable-site-isolation-trials", true),
		chromedp.WindowSize(1280, 800),
	)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// Tab opens a tab in a new browser context of browser. Scripts given run
// before any of the page's own, in every document the tab loads.
func Tab(t testing.TB, browser context.Context, initScripts ...string) context.Context {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatal(err)
	}
	for _, src := range initScripts {
		if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: src}); err != nil {
			t.Fatal(err)
		}
	}
	return ctx
}

// Language makes the tab's requests say Accept-Language: lang, as the
// browser of a visitor speaking it.
func Language(t testing.TB, tab context.Context, lang string) {
	t.Helper()
	if _, err := chromedp.Call(tab, network.Enable, network.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(tab, network.SetExtraHTTPHeaders, network.SetExtraHTTPHeadersParams{Headers: network.Headers{"Accept-Language": lang}}); err != nil {
		t.Fatal(err)
	}
}

// Open loads a page and waits until ready holds (a JavaScript condition;
// "" waits for the load to complete).
func Open(t testing.TB, tab context.Context, u, ready string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(tab, WaitFor)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(u)); err != nil {
		t.Fatalf("open %s: %v", u, err)
	}
	if ready == "" {
		ready = `document.readyState === 'complete'`
	}
	WaitTrue(t, tab, ready)
}

// WaitTrue polls a JavaScript condition until it holds. A navigation under
// way destroys the page's JavaScript context and fails the poll: it is then
// started again in the new page. On timeout the message says where the tab
// is and what it shows.
func WaitTrue(t testing.TB, tab context.Context, cond string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(tab, WaitFor)
	defer cancel()
	for {
		_, err := chromedp.Run(ctx, chromedp.Poll[bool](cond, chromedp.WithPollingInterval(20*time.Millisecond)))
		if err == nil {
			return
		}
		if ctx.Err() != nil {
			t.Fatalf("waiting for %s: %v (page %s: %.600s)", cond, err,
				quiet(tab, `location.href`), quiet(tab, `document.body ? document.body.innerText : ''`))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// quiet evaluates expr for a failure message: "" when it cannot tell.
func quiet(tab context.Context, expr string) string {
	ctx, cancel := context.WithTimeout(tab, 2*time.Second)
	defer cancel()
	v, _ := chromedp.Run(ctx, chromedp.Evaluate[string](expr))
	return v
}

// Eval runs an expression in the page and decodes its value.
func Eval[T any](t testing.TB, tab context.Context, expr string, opts ...chromedp.EvaluateOption) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(tab, WaitFor)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, opts...))
	if err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// Click clicks an element with the mouse, as a visitor does, once it is
// visible.
func Click(t testing.TB, tab context.Context, selector string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(tab, WaitFor)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(selector))); err != nil {
		t.Fatalf("click %s: %v", selector, err)
	}
}

// Cookies returns the browser's cookies by name, HttpOnly ones included:
// those of the given URLs, or of the page and its frames when none is given.
func Cookies(t testing.TB, tab context.Context, urls ...string) map[string]*network.Cookie {
	t.Helper()
	res, err := chromedp.Call(tab, network.GetCookies, network.GetCookiesParams{URLs: urls})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*network.Cookie{}
	for _, c := range res.Cookies {
		out[c.Name] = c
	}
	return out
}

// HasCookie reports whether a cookie with that name or prefix is set.
func HasCookie(all map[string]*network.Cookie, prefix string) bool {
	for name := range all {
		if strings.HasPrefix(name, prefix) {
			return true
		}
	}
	return false
}

// Names lists cookie names, sorted, for messages.
func Names(all map[string]*network.Cookie) []string {
	out := make([]string, 0, len(all))
	for n := range all {
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}

// AxeEnv names the file of axe-core's axe.min.js (the npm package axe-core,
// which .ci/run installs at test time; it is not part of the repository).
const AxeEnv = "CHARTE_AXE"

// axeSource reads axe-core once for all the tests of a package.
var axeSource = sync.OnceValues(func() ([]byte, error) { return os.ReadFile(os.Getenv(AxeEnv)) })

// Axe runs axe-core in the page on what selector matches ("" for the whole
// document) against WCAG 2.0, 2.1 and 2.2 A and AA and axe's best
// practices, and returns its violations, one line each with the elements
// at fault. Without axe-core it skips the test (fails when
// CHARTE_TEST_REQUIRE lists axe).
func Axe(t testing.TB, tab context.Context, selector string) []string {
	t.Helper()
	if os.Getenv(AxeEnv) == "" {
		testenv.Missing(t, "axe", AxeEnv+" is not set: npm install axe-core@4 and point "+AxeEnv+" at node_modules/axe-core/axe.min.js to run accessibility checks")
	}
	src, err := axeSource()
	if err != nil {
		t.Fatalf("axe-core: %v", err)
	}
	ctx, cancel := context.WithTimeout(tab, WaitFor)
	defer cancel()
	// Evaluated through the DevTools protocol, not a <script>: the page's
	// own Content-Security-Policy stays as it is.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.axe ? true : (() => {`+string(src)+`; return true; })()`)); err != nil {
		t.Fatalf("load axe-core: %v", err)
	}
	scope := "document"
	if selector != "" {
		scope = strconv.Quote(selector)
	}
	run := `axe.run(` + scope + `, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}, resultTypes: ['violations']})
  .then(r => r.violations.map(v => v.id + ' (' + v.impact + '): ' + v.help + ' — ' + v.nodes.map(n => n.target.join(' ') + (n.failureSummary ? ' [' + n.failureSummary.replace(/\s+/g, ' ') + ']' : '')).join('; ')))`
	out, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](run, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("axe.run: %v", err)
	}
	return out
}

// DSFREnv names the dist folder of the DSFR (the npm package @gouvfr/dsfr,
// which .ci/run installs at test time; it is not part of the repository).
const DSFREnv = "CHARTE_DSFR"

// DSFR returns the DSFR's dist folder, holding dsfr.min.css. Without it,
// it skips the test (fails when CHARTE_TEST_REQUIRE lists dsfr).
func DSFR(t testing.TB) string {
	t.Helper()
	dir := os.Getenv(DSFREnv)
	if dir == "" {
		testenv.Missing(t, "dsfr", DSFREnv+" is not set: npm install @gouvfr/dsfr@1 and point "+DSFREnv+" at node_modules/@gouvfr/dsfr/dist to test the DSFR theme")
	}
	if _, err := os.Stat(dir + "/dsfr.min.css"); err != nil {
		t.Fatalf("%s=%s: %v", DSFREnv, dir, err)
	}
	return dir
}
