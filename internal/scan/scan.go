// Package scan drives headless Chromium over a live site and holds what the
// site really stores in browsers against its registry.
//
// A scan runs three passes, each in a fresh browser profile: arrival (nothing
// clicked), refuse ("reject all") and accept ("accept all"). In each it
// collects every cookie through the DevTools protocol (HttpOnly and
// third-party ones included), the web storage keys per origin and the
// third-party hosts contacted; then it classifies what it saw (registry,
// charte's built-in list, the Open Cookie Database) and reports findings.
//
// Run is the whole scan; a caller (the CLI, the back office) passes a
// progress callback and gets a Report it can render or store as JSON.
package scan

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"time"

	"github.com/charte/charte/registry"
)

// Options configure a scan. Zero values take the defaults shown.
type Options struct {
	// URL is the start page, http or https.
	URL string
	// Site is the registry to check against; nil checks only the law's rules.
	Site *registry.Site
	// CookieDB is the optional Open Cookie Database.
	CookieDB *CookieDB
	// Pages bounds the pages visited per pass (20); Depth the link depth
	// from the start page (3); Concurrency the tabs loading at once (2).
	Pages, Depth, Concurrency int
	// Chromium is the browser executable; empty finds chromium on $PATH.
	Chromium string
	// Settle is how long scripts get after a page's load event, and after a
	// consent choice, to write what they write (1s).
	Settle time.Duration
	// Progress, when set, is called after each page load. It may be called
	// from several goroutines, one at a time.
	Progress func(Progress)
	// HTTPClient fetches sitemap.xml (a client with a 10s timeout).
	HTTPClient *http.Client
	// LoadTimeout bounds one page load (30s).
	// A page still loading after it is recorded as unresponsive and read as
	// it is.
	LoadTimeout time.Duration
	// StepTimeout bounds every other exchange with the browser: reading a
	// page, detecting the banner, making the choice, reading the cookies
	// (10s). A page that does not answer within it (a busy script) is
	// recorded as unresponsive, and the scan goes on in a new tab.
	StepTimeout time.Duration
	// Policy says which addresses the browser may reach. Its zero value
	// reaches anything (the operator's CLI); the back office refuses
	// special addresses (loopback, private, link-local, …) unless its
	// server was started with --scan-private-networks.
	Policy AddressPolicy
}

// Defaults of the options.
const (
	DefaultLoadTimeout = 30 * time.Second
	DefaultStepTimeout = 10 * time.Second
	defaultSettle      = time.Second
	defaultPages       = 20
)

// browserStartTimeout bounds the start of each pass's browser: a cold
// Chromium on a loaded machine takes seconds, a stuck one forever.
const browserStartTimeout = 30 * time.Second

// tabCloseTimeout is how long closing a tab may take: chromedp waits up to
// 5s for the browser to confirm.
const tabCloseTimeout = 5 * time.Second

// Bound is the longest a scan of at most pages pages per pass can take with
// these options, whatever the pages do: three passes, each starting a
// browser (30s at most), loading every page (LoadTimeout) and reading it
// (Settle, StepTimeout) in a tab it then closes, plus the pass's own steps
// (watching the first tab, the sitemap or the consent choice with its
// settle and reload, the banner, the cookies) and closing it. Pages loading at once only
// make a scan shorter. docs/scanner.md gives the figure for the defaults.
func (o Options) Bound(pages int) time.Duration {
	if pages <= 0 {
		pages = cmp.Or(o.Pages, defaultPages)
	}
	load := cmp.Or(o.LoadTimeout, DefaultLoadTimeout)
	step := cmp.Or(o.StepTimeout, DefaultStepTimeout)
	settle := cmp.Or(o.Settle, defaultSettle)
	perPage := load + settle + step + tabCloseTimeout
	perPass := browserStartTimeout + 6*step + 2*settle + tabCloseTimeout + time.Duration(pages)*perPage
	return time.Duration(len(Passes)) * perPass
}

// Progress is where a scan is.
type Progress struct {
	Pass      string // PassArrival, PassRefuse or PassAccept
	PassIndex int    // 0, 1, 2
	Done      int    // pages loaded in this pass
	Total     int    // pages this pass will load (arrival: the page limit)
	URL       string
}

// scanner is one scan's settings and shared state.
type scanner struct {
	start                     *url.URL
	pages, depth, concurrency int
	settle, load, step        time.Duration
	chromium                  string
	client                    *http.Client
	classifier                Classifier
	site                      *registry.Site
	// guard is the proxy enforcing the address policy; nil when the
	// policy allows everything.
	guard *guard

	progressMu sync.Mutex
	progress   func(Progress)
}

// Run scans the site and returns its report. Errors are only those that stop
// the scan (no browser, a bad URL, the context ended); a page that fails to
// load is recorded in the report instead.
func Run(ctx context.Context, opts Options) (*Report, error) {
	s, err := newScanner(opts)
	if err != nil {
		return nil, err
	}
	if opts.Policy.PublicOnly {
		cctx, cancel := context.WithTimeout(ctx, s.step)
		err := CheckURL(cctx, s.start.String(), opts.Policy)
		cancel()
		if err != nil {
			return nil, err
		}
		if s.guard, err = startGuard(opts.Policy); err != nil {
			return nil, err
		}
		defer s.guard.close()
	}
	r := &Report{Version: ReportVersion, URL: s.start.String(), StartedAt: time.Now().UTC(), Checks: slices.Clone(Kinds)}
	if s.site != nil {
		r.SiteID, r.SiteName, r.Revision = s.site.ID, s.site.Name, s.site.Revision()
	}
	var pages []string
	for i, name := range Passes {
		p, visited, banner, version, err := s.runPass(ctx, i, name, pages)
		if err != nil {
			return nil, err
		}
		if name == PassArrival {
			pages, r.Banner, r.Browser = visited, banner, version
		}
		r.Passes = append(r.Passes, p)
	}
	r.Pages = pages
	Evaluate(r, s.site)
	r.FinishedAt = time.Now().UTC()
	return r, nil
}

func newScanner(opts Options) (*scanner, error) {
	u, err := url.Parse(opts.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("scan: %q is not an http(s) URL", opts.URL)
	}
	u.Fragment = ""
	if u.Path == "" {
		u.Path = "/"
	}
	exe, err := FindChromium(opts.Chromium)
	if err != nil {
		return nil, err
	}
	s := &scanner{
		start: u, pages: opts.Pages, depth: opts.Depth, concurrency: opts.Concurrency,
		settle: opts.Settle, chromium: exe, client: opts.HTTPClient, progress: opts.Progress,
		classifier: Classifier{Site: opts.Site, DB: opts.CookieDB}, site: opts.Site,
		load: cmp.Or(opts.LoadTimeout, DefaultLoadTimeout), step: cmp.Or(opts.StepTimeout, DefaultStepTimeout),
	}
	if s.pages <= 0 {
		s.pages = defaultPages
	}
	if s.depth <= 0 {
		s.depth = 3
	}
	if s.concurrency <= 0 {
		s.concurrency = 2
	}
	if s.settle <= 0 {
		s.settle = defaultSettle
	}
	if s.load < 0 || s.step < 0 {
		return nil, errors.New("scan: the load and step timeouts must not be negative")
	}
	if s.client == nil {
		s.client = &http.Client{Timeout: 10 * time.Second}
	}
	return s, nil
}

// runPass runs one pass in a browser of its own. pages is nil for the
// arrival pass, which discovers them; the other passes visit the same pages.
func (s *scanner) runPass(ctx context.Context, index int, name string, pages []string) (Pass, []string, Banner, string, error) {
	p := Pass{Name: name}
	browser, cancel, err := startBrowser(ctx, s.chromium, browserStartTimeout, s.proxy())
	if err != nil {
		return p, nil, Banner{}, "", err
	}
	defer cancel()
	vctx, vcancel := context.WithTimeout(browser, s.step)
	version := browserVersion(vctx)
	vcancel()

	total := len(pages)
	if pages == nil {
		total = s.pages
	}
	done := 0
	tick := func(u string) {
		s.progressMu.Lock()
		defer s.progressMu.Unlock()
		done++
		if s.progress != nil {
			s.progress(Progress{Pass: name, PassIndex: index, Done: done, Total: total, URL: u})
		}
	}

	// Every tab records the cookies written in it, from before its first
	// page loads until it closes (the first tab: until the pass ends).
	writes := &writeLog{}
	wctx, wcancel := context.WithTimeout(browser, s.step)
	_ = writes.watch(wctx, browser, s.start.String())
	wcancel()

	// The first tab loads the start page: the visitor's arrival.
	first := s.visit(browser, s.start.String())
	if first.visit.Error != "" && errors.Is(ctx.Err(), context.Canceled) {
		return p, nil, Banner{}, "", ctx.Err()
	}
	var banner Banner
	var results []pageResult
	if pages == nil {
		banner = detectBanner(browser, s.step)
		tick(s.start.String())
		var sitemap []string
		if first.visit.Error == "" {
			sctx, scancel := context.WithTimeout(ctx, s.step)
			sitemap = fetchSitemap(sctx, s.client, s.start)
			scancel()
		}
		pages, results = crawl(browser, s, writes, first, sitemap, func() { tick("") })
	} else {
		action := actionReject
		if name == PassAccept {
			action = actionAccept
		}
		c := choose(browser, action, s.settle, s.step)
		p.Consent = &c
		results = visitAll(browser, pages, s.concurrency, s, writes, func() { tick("") })
	}
	if err := ctx.Err(); err != nil {
		return p, nil, Banner{}, "", err
	}
	site := first.site
	// The writes before the cookies: a cookie written after this snapshot
	// and gone by the read is missed, rather than one written after it and
	// still there reported as gone.
	written := writes.writes()
	cctx, ccancel := context.WithTimeout(browser, s.step)
	cookies, err := readCookies(cctx)
	ccancel()
	if err != nil {
		return p, nil, Banner{}, "", fmt.Errorf("%s pass: read cookies: %w", name, err)
	}
	p.Cookies = s.classifyCookies(cookies, site)
	p.Cookies = append(p.Cookies, s.transientCookies(written, p.Cookies, site)...)
	sortCookies(p.Cookies)
	p.Visits, p.Storage, p.Hosts, p.Services, p.Scripts = s.merge(results, site)
	if s.guard != nil {
		p.Blocked = s.guard.take()
	}
	return p, pages, banner, version, nil
}

// proxy is the --proxy-server of the scan's browsers, "" for none.
func (s *scanner) proxy() string {
	if s.guard == nil {
		return ""
	}
	return s.guard.proxyURL()
}
