package proxy

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"testing"

	"github.com/charte/charte/internal/demo"
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
		in := newInjector(io.NopCloser(strings.NewReader(benchPage)), testTag, testURL)
		for {
			if _, err := in.Read(p); err != nil {
				break
			}
		}
		in.Close()
	}
}
