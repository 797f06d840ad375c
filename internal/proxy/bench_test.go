package proxy

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"testing"

	"github.com/charte/charte/consent"
	"github.com/charte/charte/internal/demo"
	"github.com/charte/charte/services"
)

// The benchmarks compare charte's proxy with a bare httputil.ReverseProxy
// on the same upstream, over loopback, with the same transport settings:
// BENCHMARKS.md reports the ratio.

var benchPage = "<!doctype html><html><head><title>Portail</title></head><body>" + strings.Repeat("<p>Données ouvertes de Pau.</p>\n", 300) + "</body></html>"

func benchUpstream(b *testing.B) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("Set-Cookie", "sessionid=s; Path=/; HttpOnly")
		if r.URL.Path == "/api" {
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"records": 10}`)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, benchPage)
	}))
	b.Cleanup(srv.Close)
	return srv
}

func benchProxies(b *testing.B, path string) {
	up := benchUpstream(b)
	u, _ := url.Parse(up.URL)
	bare := &httputil.ReverseProxy{
		Rewrite:   func(r *httputil.ProxyRequest) { r.SetURL(u); r.SetXForwarded() },
		Transport: NewTransport(0),
	}
	charte := newProxy(b, up.URL, func(c *Config) { c.Transport = NewTransport(0) })
	bareSrv := httptest.NewServer(bare)
	b.Cleanup(bareSrv.Close)
	for _, p := range []struct {
		name, url string
	}{{"bare", bareSrv.URL}, {"charte", charte.URL}} {
		b.Run(p.name, func(b *testing.B) {
			client := &http.Client{Transport: NewTransport(0)}
			cookie := "sessionid=s; csrftoken=t; " + choice(demo.Site("demo").Revision(), true, false)
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					req, _ := http.NewRequest("GET", p.url+path, nil)
					req.Header.Set("Accept", "text/html")
					req.Header.Set("Cookie", cookie)
					resp, err := client.Do(req)
					if err != nil {
						b.Error(err)
						return
					}
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
			})
		})
	}
}

func BenchmarkProxyHTML(b *testing.B) { benchProxies(b, "/page") }
func BenchmarkProxyJSON(b *testing.B) { benchProxies(b, "/api") }

// BenchmarkInject measures the injector alone on the 10 KB page, the part
// of the proxy's HTML cost that loopback noise does not hide.
func BenchmarkInject(b *testing.B) {
	b.SetBytes(int64(len(benchPage)))
	b.ReportAllocs()
	p := make([]byte, 32<<10)
	for b.Loop() {
		in := newInjector(io.NopCloser(strings.NewReader(benchPage)), testTag, testURL, nil)
		for {
			if _, err := in.Read(p); err != nil {
				break
			}
		}
		in.Close()
	}
}

// blockBenchPage is a 10 KB page carrying three tags automatic blocking
// rewrites for a visitor who has not chosen: GTM's inline snippet, gtag.js
// and a YouTube frame, among ordinary markup and an inline script.
var blockBenchPage = "<!doctype html><html><head><title>Portail</title>" + gtmSnippet + gtagTag +
	`<script>document.documentElement.className = "js";</script><link rel="stylesheet" href="/s.css"></head><body>` +
	strings.Repeat(`<p class="intro">Données ouvertes de Pau : <a href="/jeux">jeux de données</a>.</p>`+"\n", 100) +
	ytFrame + "</body></html>"

// BenchmarkProxyBlocking compares, request for request, a bare
// httputil.ReverseProxy with charte's proxy blocking the page's three tags
// (and injecting the banner). With -count N the two run alternately, so
// both see the same load.
func BenchmarkProxyBlocking(b *testing.B) {
	site := blockSite(b)
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, blockBenchPage)
	}))
	b.Cleanup(up.Close)
	u, _ := url.Parse(up.URL)
	bare := httptest.NewServer(&httputil.ReverseProxy{
		Rewrite:   func(r *httputil.ProxyRequest) { r.SetURL(u); r.SetXForwarded() },
		Transport: NewTransport(0),
	})
	b.Cleanup(bare.Close)
	e, err := consent.New(consent.Static(site), consent.Options{Context: true, Logger: discard})
	if err != nil {
		b.Fatal(err)
	}
	h, err := New(Config{Upstream: u, Enforcer: e, BannerURL: testURL, Logger: discard, Transport: NewTransport(0), Blocking: services.Builtin()})
	if err != nil {
		b.Fatal(err)
	}
	charte := httptest.NewServer(h)
	b.Cleanup(charte.Close)
	for _, p := range []struct{ name, url string }{{"bare", bare.URL}, {"charte", charte.URL}} {
		b.Run(p.name, func(b *testing.B) {
			client := &http.Client{Transport: NewTransport(0)}
			b.ReportAllocs()
			b.SetBytes(int64(len(blockBenchPage)))
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					req, _ := http.NewRequest("GET", p.url+"/", nil)
					req.Header.Set("Accept", "text/html")
					resp, err := client.Do(req)
					if err != nil {
						b.Error(err)
						return
					}
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
			})
		})
	}
}

// BenchmarkBlock measures the blocker alone on the same page: the
// tokenizing and the three rewrites, without loopback's noise.
func BenchmarkBlock(b *testing.B) {
	site := blockSite(b)
	v := visitorWith(b, site, "")
	page, _ := url.Parse("https://site.example/")
	b.SetBytes(int64(len(blockBenchPage)))
	b.ReportAllocs()
	p := make([]byte, 32<<10)
	for b.Loop() {
		g := &gate{cat: services.Builtin(), site: site, visitor: v, page: page, log: discard}
		bl := newBlocker(io.NopCloser(strings.NewReader(blockBenchPage)), g)
		for {
			if _, err := bl.Read(p); err != nil {
				break
			}
		}
		bl.Close()
		if len(g.done) != 3 {
			b.Fatalf("%d tags rewritten, want 3", len(g.done))
		}
	}
}
