package web

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestBannerRoutes checks what browsers and caches get from the banner
// URLs: type, caching, cross-origin headers, gzip, and clear 404s.
func TestBannerRoutes(t *testing.T) {
	e := newEnv(t)
	latest := get(t, e.URL+"/sites/demo/banner.js?lang=en", nil)
	canonical := strings.TrimSuffix(strings.TrimPrefix(latest.Header.Get("Link"), "<"), ">; rel=canonical")
	tests := []struct {
		name    string
		path    string
		header  http.Header
		status  int
		headers map[string]string
		body    string // a string the (plain) body holds
	}{
		{"latest, language from ?lang=", "/sites/demo/banner.js?lang=fr", nil, 200, map[string]string{
			"Content-Type": "text/javascript; charset=utf-8", "Cache-Control": "public, max-age=300",
			"Cross-Origin-Resource-Policy": "cross-origin", "Vary": "Accept-Language, Cookie, Accept-Encoding",
		}, `"A":"Tout accepter"`},
		{"latest, language from django_language", "/sites/demo/banner.js", http.Header{"Cookie": {"django_language=en"}}, 200, nil, `"A":"Accept all"`},
		{"latest, language from Accept-Language", "/sites/demo/banner.js", http.Header{"Accept-Language": {"en-GB,fr;q=0.5"}}, 200, nil, `"A":"Accept all"`},
		{"latest, gzipped", "/sites/demo/banner.js?lang=fr", http.Header{"Accept-Encoding": {"gzip"}}, 200, map[string]string{"Content-Encoding": "gzip"}, "Tout refuser"},
		{"revision URL, cached for a year", strings.TrimPrefix(canonical, e.URL), nil, 200, map[string]string{
			"Cache-Control": "public, max-age=31536000, immutable", "Cross-Origin-Resource-Policy": "cross-origin",
		}, `"A":"Accept all"`},
		{"revision validated", "/sites/demo/banner.js?lang=en", http.Header{"If-None-Match": {latest.Header.Get("ETag")}}, 304, nil, ""},
		{"unknown site", "/sites/nope/banner.js", nil, 404, map[string]string{"X-Charte-Error": "unknown or unpublished site, revision or language"}, ""},
		{"unknown revision", "/sites/demo/banner/0123456789abcdef/fr.js", nil, 404, nil, ""},
		{"language the site lacks", strings.TrimPrefix(strings.Replace(canonical, "/en.js", "/de.js", 1), e.URL), nil, 404, nil, ""},
		{"not a script name", strings.TrimPrefix(strings.Replace(canonical, "/en.js", "/en", 1), e.URL), nil, 404, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := get(t, e.URL+tt.path, tt.header)
			if res.StatusCode != tt.status {
				t.Fatalf("status %d, want %d", res.StatusCode, tt.status)
			}
			for k, v := range tt.headers {
				if got := res.Header.Get(k); got != v {
					t.Errorf("%s: %q, want %q", k, got, v)
				}
			}
			if tt.body != "" && !strings.Contains(res.body, tt.body) {
				t.Errorf("the script lacks %s", tt.body)
			}
		})
	}
}

// TestBannerServedSize measures the demo site's banner as served, gzipped
// by the server: the figure BENCHMARKS.md reports.
func TestBannerServedSize(t *testing.T) {
	e := newEnv(t)
	for _, lang := range []string{"fr", "en"} {
		req, _ := http.NewRequest("GET", e.URL+"/sites/demo/banner.js?lang="+lang, nil)
		req.Header.Set("Accept-Encoding", "gzip")
		res, err := http.DefaultTransport.RoundTrip(req) // no transparent gunzip
		if err != nil {
			t.Fatal(err)
		}
		wire, _ := io.ReadAll(res.Body)
		res.Body.Close()
		t.Logf("%s: %d bytes on the wire", lang, len(wire))
		if res.Header.Get("Content-Encoding") != "gzip" || len(wire) > 5376 {
			t.Errorf("%s: %d bytes, encoding %q; want gzip within 5376 bytes", lang, len(wire), res.Header.Get("Content-Encoding"))
		}
	}
}

type response struct {
	*http.Response
	body string
}

// get fetches a URL as a browser would, gunzipping a gzipped body.
func get(t *testing.T, u string, h http.Header) response {
	t.Helper()
	req, err := http.NewRequest("GET", u, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range h {
		req.Header[k] = v
	}
	res, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.Header.Get("Content-Encoding") == "gzip" {
		z, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		if b, err = io.ReadAll(z); err != nil {
			t.Fatal(err)
		}
	}
	return response{res, string(b)}
}

// BenchmarkBannerServe measures serving the demo site's banner once built:
// the published revision from the revision cache, then a map lookup.
func BenchmarkBannerServe(b *testing.B) {
	e := newEnv(b)
	h := e.server.Handler()
	req := httptest.NewRequest("GET", "/sites/demo/banner.js?lang=fr", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	b.ReportAllocs()
	for b.Loop() {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != 200 {
			b.Fatal(w.Code)
		}
	}
}
