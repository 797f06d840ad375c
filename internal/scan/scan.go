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
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
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
	settle                    time.Duration
	chromium                  string
	client                    *http.Client
	classifier                Classifier
	site                      *registry.Site

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
	r := &Report{Version: ReportVersion, URL: s.start.String(), StartedAt: time.Now().UTC()}
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
	}
	if s.pages <= 0 {
		s.pages = 20
	}
	if s.depth <= 0 {
		s.depth = 3
	}
	if s.concurrency <= 0 {
		s.concurrency = 2
	}
	if s.settle <= 0 {
		s.settle = time.Second
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
	browser, cancel, err := startBrowser(ctx, s.chromium)
	if err != nil {
		return p, nil, Banner{}, "", err
	}
	defer cancel()
	version := browserVersion(browser)

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
	_ = writes.watch(browser, s.start.String())

	// The first tab loads the start page: the visitor's arrival.
	first := visit(browser, s.start.String(), s.settle)
	if first.visit.Error != "" && errors.Is(ctx.Err(), context.Canceled) {
		return p, nil, Banner{}, "", ctx.Err()
	}
	var banner Banner
	var results []pageResult
	if pages == nil {
		banner = detectBanner(browser)
		tick(s.start.String())
		var sitemap []string
		if first.visit.Error == "" {
			sitemap = fetchSitemap(ctx, s.client, s.start)
		}
		pages, results = crawl(browser, s, writes, first, sitemap, func() { tick("") })
	} else {
		action := actionReject
		if name == PassAccept {
			action = actionAccept
		}
		c := choose(browser, action, s.settle)
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
	cookies, err := readCookies(browser)
	if err != nil {
		return p, nil, Banner{}, "", fmt.Errorf("%s pass: read cookies: %w", name, err)
	}
	p.Cookies = s.classifyCookies(cookies, site)
	p.Cookies = append(p.Cookies, s.transientCookies(written, p.Cookies, site)...)
	sortCookies(p.Cookies)
	p.Visits, p.Storage, p.Hosts = s.merge(results, site)
	return p, pages, banner, version, nil
}
