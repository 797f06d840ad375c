package scan

import (
	"context"
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// maxSitemapSize bounds one sitemap file; the protocol's own limit is 50 MB,
// far more than a scan of a few dozen pages needs.
const maxSitemapSize = 10 << 20

// maxSitemapLocs bounds what one file contributes, whatever its size.
const maxSitemapLocs = 10000

// Sitemap is what a sitemap file lists: pages (a <urlset>) or other sitemaps
// (a <sitemapindex>).
type Sitemap struct {
	Pages    []string
	Sitemaps []string
}

// ParseSitemap reads a sitemap or a sitemap index. Locations that are not
// absolute http(s) URLs are dropped, never fetched.
func ParseSitemap(r io.Reader) (Sitemap, error) {
	dec := xml.NewDecoder(io.LimitReader(r, maxSitemapSize))
	dec.Strict = false
	var sm Sitemap
	var stack []string
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return sm, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if len(stack) > 16 {
				return sm, errors.New("sitemap: nested too deeply")
			}
			stack = append(stack, strings.ToLower(t.Name.Local))
		case xml.EndElement:
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		case xml.CharData:
			n := len(stack)
			if n < 2 || stack[n-1] != "loc" || len(sm.Pages)+len(sm.Sitemaps) >= maxSitemapLocs {
				continue
			}
			loc := strings.TrimSpace(string(t))
			if u, err := url.Parse(loc); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				continue
			}
			switch stack[n-2] {
			case "url":
				sm.Pages = append(sm.Pages, loc)
			case "sitemap":
				sm.Sitemaps = append(sm.Sitemaps, loc)
			}
		}
	}
	return sm, nil
}

// fetchSitemap reads start's /sitemap.xml and, for an index, the sitemaps it
// lists on the same site (one level, a few files), returning their pages.
// It uses a plain HTTP client, not the browser, so it stores nothing in the
// profile being scanned. A missing sitemap is not an error: most sites have
// none.
func fetchSitemap(ctx context.Context, client *http.Client, start *url.URL) []string {
	root := &url.URL{Scheme: start.Scheme, Host: start.Host, Path: "/sitemap.xml"}
	sm, err := getSitemap(ctx, client, root.String())
	if err != nil {
		return nil
	}
	pages := sm.Pages
	for i, loc := range sm.Sitemaps {
		if i == 5 {
			break
		}
		if u, err := url.Parse(loc); err != nil || u.Host != start.Host {
			continue
		}
		if sub, err := getSitemap(ctx, client, loc); err == nil {
			pages = append(pages, sub.Pages...)
		}
	}
	return pages
}

func getSitemap(ctx context.Context, client *http.Client, loc string) (Sitemap, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, loc, nil)
	if err != nil {
		return Sitemap{}, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return Sitemap{}, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return Sitemap{}, errors.New(resp.Status)
	}
	return ParseSitemap(resp.Body)
}
