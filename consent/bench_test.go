package consent

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/charte/charte/internal/demo"
)

// nullWriter is a ResponseWriter that keeps nothing, so the benchmarks
// measure the middleware and not a recorder's allocations.
type nullWriter struct{ h http.Header }

func (w *nullWriter) Header() http.Header         { return w.h }
func (w *nullWriter) Write(p []byte) (int, error) { return len(p), nil }
func (w *nullWriter) WriteHeader(int)             {}

var (
	page     = []byte("<!doctype html><title>x</title>")
	htmlType = []string{"text/html; charset=utf-8"} // shared so the handler itself allocates nothing
)

func benchHandler(w http.ResponseWriter, r *http.Request) {
	w.Header()["Content-Type"] = htmlType
	w.WriteHeader(http.StatusOK)
	w.Write(page)
}

func benchRequest(b *testing.B, cookie string) *http.Request {
	r := httptest.NewRequest("GET", "http://opendata.pau.fr/explore/", nil)
	r.Header.Set("Cookie", cookie)
	return r
}

func runBench(b *testing.B, h http.Handler, r *http.Request) {
	w := &nullWriter{h: http.Header{}}
	b.ReportAllocs()
	for b.Loop() {
		clear(w.h)
		h.ServeHTTP(w, r)
	}
}

// BenchmarkMiddlewareNoCookie is the common case: the visitor carries a
// session, a CSRF token and their choice, and the response sets no cookie.
// Compare with BenchmarkBareHandler; the difference is the middleware's cost.
func BenchmarkMiddlewareNoCookie(b *testing.B) {
	site := demo.Site("demo")
	e, _ := New(Static(site), Options{Logger: discard})
	cookie := "sessionid=abc; csrftoken=def; " + choiceCookie(site.Revision(), time.Now(), true, false) + "; _pk_id.1.abcd=x"
	runBench(b, e.Handler(http.HandlerFunc(benchHandler)), benchRequest(b, cookie))
}

func BenchmarkBareHandler(b *testing.B) {
	site := demo.Site("demo")
	cookie := "sessionid=abc; csrftoken=def; " + choiceCookie(site.Revision(), time.Now(), true, false) + "; _pk_id.1.abcd=x"
	runBench(b, http.HandlerFunc(benchHandler), benchRequest(b, cookie))
}

// BenchmarkMiddlewareSetCookie measures a response setting a session and a
// statistics cookie the visitor granted, the path that reads the choice.
func BenchmarkMiddlewareSetCookie(b *testing.B) {
	site := demo.Site("demo")
	e, _ := New(Static(site), Options{Logger: discard})
	h := e.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header()["Set-Cookie"] = []string{"sessionid=s; HttpOnly", "_pk_id.1.abcd=p; HttpOnly"}
		benchHandler(w, r)
	}))
	runBench(b, h, benchRequest(b, choiceCookie(site.Revision(), time.Now(), true, false)))
}

// BenchmarkMiddlewareContext is the no-cookie case with FromContext enabled.
func BenchmarkMiddlewareContext(b *testing.B) {
	site := demo.Site("demo")
	e, _ := New(Static(site), Options{Logger: discard, Context: true})
	runBench(b, e.Handler(http.HandlerFunc(benchHandler)), benchRequest(b, "sessionid=abc; "+choiceCookie(site.Revision(), time.Now(), true, false)))
}
