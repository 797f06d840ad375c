package scan

import (
	"context"
	"net/url"
	"path"
	"strings"
	"sync"

	"github.com/chromedp/chromedp"
)

// skipExt are links to files, not pages: loading them stores nothing and
// costs time.
var skipExt = map[string]bool{
	".pdf": true, ".zip": true, ".gz": true, ".csv": true, ".xls": true, ".xlsx": true, ".ods": true,
	".doc": true, ".docx": true, ".odt": true, ".json": true, ".xml": true, ".geojson": true,
	".jpg": true, ".jpeg": true, ".png": true, ".gif": true, ".svg": true, ".webp": true,
	".mp4": true, ".mp3": true, ".webm": true, ".ics": true, ".txt": true, ".rss": true,
}

// samePage normalises a link to a page of the site being scanned, or returns
// "" when the link leaves the site, is not a page or is not http(s).
// Same site here means the same scheme, host and port as the start URL: the
// scanner must not wander into other sites the operator does not answer for.
func samePage(start *url.URL, link string) string {
	u, err := url.Parse(strings.TrimSpace(link))
	if err != nil {
		return ""
	}
	u = start.ResolveReference(u)
	if u.Scheme != start.Scheme || !strings.EqualFold(u.Host, start.Host) {
		return ""
	}
	if skipExt[strings.ToLower(path.Ext(u.Path))] {
		return ""
	}
	u.Fragment, u.RawFragment, u.User = "", "", nil
	u.Host = strings.ToLower(u.Host)
	if u.Path == "" {
		u.Path = "/"
	}
	return u.String()
}

// visitAll loads urls with up to n tabs of the browser at once, calling done
// after each page. Results keep the order of urls, so a report is the same
// whatever tab finished first.
func visitAll(browser context.Context, urls []string, n int, s *scanner, writes *writeLog, done func()) []pageResult {
	results := make([]pageResult, len(urls))
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range min(max(n, 1), len(urls)) {
		wg.Go(func() {
			for i := range jobs {
				// A tab per page: chromedp loses track of a new tab's main
				// frame after its first navigation, and a fresh tab is also
				// what a visitor opening a link in a new tab gets.
				// A tab per page is also what lets the scan go on after a
				// page stopped answering: its tab is closed, the next page
				// gets a fresh one.
				tab, cancel := chromedp.NewContext(browser)
				// A tab that cannot be watched cannot load either: its
				// visit records the error.
				wctx, wcancel := context.WithTimeout(tab, s.step)
				_ = writes.watch(wctx, tab, urls[i])
				wcancel()
				results[i] = s.visit(tab, urls[i])
				cancel()
				done()
			}
		})
	}
	for i := range urls {
		if browser.Err() != nil {
			results[i] = pageResult{visit: Visit{URL: urls[i], Error: browser.Err().Error()}}
			continue
		}
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	return results
}

// crawl discovers the site breadth-first from the start page (already
// loaded, its result in first) and the sitemap's pages, up to the page and
// depth limits, and returns every page visited with its result.
func crawl(browser context.Context, s *scanner, writes *writeLog, first pageResult, sitemap []string, done func()) ([]string, []pageResult) {
	start := s.start
	seen := map[string]bool{start.String(): true}
	pages := []string{start.String()}
	results := []pageResult{first}
	var level []string
	add := func(links []string) {
		for _, l := range links {
			if p := samePage(start, l); p != "" && !seen[p] {
				seen[p] = true
				level = append(level, p)
			}
		}
	}
	add(first.links)
	add(sitemap)
	for depth := 1; depth <= s.depth && len(level) > 0 && len(pages) < s.pages; depth++ {
		batch := level[:min(len(level), s.pages-len(pages))]
		level = nil
		rs := visitAll(browser, batch, s.concurrency, s, writes, done)
		pages = append(pages, batch...)
		results = append(results, rs...)
		for _, r := range rs {
			add(r.links)
		}
	}
	return pages, results
}
