package scan

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
)

func TestParseSitemap(t *testing.T) {
	tests := []struct {
		name, xml       string
		pages, sitemaps []string
		wantErr         bool
	}{
		{"urlset", `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc> https://ex.org/a </loc><lastmod>2025-01-01</lastmod></url>
  <url><loc>https://ex.org/b?x=1&amp;y=2</loc></url>
</urlset>`, []string{"https://ex.org/a", "https://ex.org/b?x=1&y=2"}, nil, false},
		{"index", `<sitemapindex><sitemap><loc>https://ex.org/s1.xml</loc></sitemap></sitemapindex>`,
			nil, []string{"https://ex.org/s1.xml"}, false},
		{"not fetched: other schemes, relative, stray locs", `<urlset><url><loc>javascript:alert(1)</loc></url>
<url><loc>/relative</loc></url><url><loc>ftp://ex.org/f</loc></url><loc>https://ex.org/stray</loc></urlset>`, nil, nil, false},
		{"broken", `<urlset><url><loc>https://ex.org/a</loc></url`, []string{"https://ex.org/a"}, nil, true},
		{"too deep", strings.Repeat("<a>", 40), nil, nil, true},
	}
	for _, tt := range tests {
		sm, err := ParseSitemap(strings.NewReader(tt.xml))
		if (err != nil) != tt.wantErr || !slices.Equal(sm.Pages, tt.pages) || !slices.Equal(sm.Sitemaps, tt.sitemaps) {
			t.Errorf("%s: got %+v, %v; want pages %v sitemaps %v error %v", tt.name, sm, err, tt.pages, tt.sitemaps, tt.wantErr)
		}
	}
}

// fetchSitemap follows an index on the same site only.
func TestFetchSitemapIndex(t *testing.T) {
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/sitemap.xml":
			w.Write([]byte(`<sitemapindex><sitemap><loc>` + srv.URL + `/pages.xml</loc></sitemap>
<sitemap><loc>https://elsewhere.invalid/x.xml</loc></sitemap></sitemapindex>`))
		case "/pages.xml":
			w.Write([]byte(`<urlset><url><loc>` + srv.URL + `/p1</loc></url></urlset>`))
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	u, _ := url.Parse(srv.URL + "/start")
	if got := fetchSitemap(t.Context(), srv.Client(), u); !slices.Equal(got, []string{srv.URL + "/p1"}) {
		t.Errorf("pages = %v", got)
	}
}

func TestSamePage(t *testing.T) {
	start, _ := url.Parse("https://ex.org/start")
	for link, want := range map[string]string{
		"https://ex.org/a#frag":     "https://ex.org/a",
		"/b?q=1":                    "https://ex.org/b?q=1",
		"https://ex.org":            "https://ex.org/",
		"https://EX.org/c":          "https://ex.org/c",
		"http://ex.org/a":           "", // another scheme is another origin
		"https://ex.org:8443/a":     "",
		"https://other.org/":        "",
		"https://ex.org/report.PDF": "",
		"mailto:dpo@ex.org":         "",
		"javascript:void(0)":        "",
	} {
		if got := samePage(start, link); got != want {
			t.Errorf("samePage(%q) = %q, want %q", link, got, want)
		}
	}
}

// FuzzParseSitemap: no panic, and only absolute http(s) URLs come out.
func FuzzParseSitemap(f *testing.F) {
	f.Add(`<urlset><url><loc>https://ex.org/a</loc></url></urlset>`)
	f.Add(`<sitemapindex><sitemap><loc>http://ex.org/s.xml</loc></sitemap></sitemapindex>`)
	f.Add(`<url><loc><![CDATA[https://ex.org/c]]></loc></url>`)
	f.Fuzz(func(t *testing.T, data string) {
		sm, _ := ParseSitemap(strings.NewReader(data))
		for _, loc := range append(sm.Pages, sm.Sitemaps...) {
			u, err := url.Parse(loc)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				t.Fatalf("returned %q, not an absolute http(s) URL", loc)
			}
		}
	})
}
