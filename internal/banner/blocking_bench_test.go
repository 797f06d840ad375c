package banner

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/charte/charte/internal/browsertest"
	"github.com/charte/charte/registry"
)

// benchBody is a page body of 5,000 elements, none of them a service's.
var benchBody = strings.Repeat(`<div class="card"><p>Texte <a href="/x">lien</a></p></div>`, 2500)

// insertJS appends 10,000 elements (each holding one) to the page one by
// one with appendChild, the insertion the blocking code wraps, and returns
// the milliseconds it took, then removes them.
const insertJS = `(() => {
  const box = document.createElement('div'); document.body.appendChild(box);
  const t0 = performance.now();
  for (let i = 0; i < 10000; i++) { const d = document.createElement('div'); d.appendChild(document.createElement('span')); box.appendChild(d); }
  const t = performance.now() - t0;
  box.remove();
  return t;
})()`

// setAttrJS makes 200,000 setAttribute calls, which the blocking code
// wraps (for a src given to a script or frame): a class and a src, ten
// times over, to 10,000 elements in the page; it returns the milliseconds
// they took, then removes the elements. They are divs: an image would add
// its loading to both variants' times.
const setAttrJS = `(() => {
  const box = document.createElement('div'); document.body.appendChild(box);
  const els = []; for (let i = 0; i < 10000; i++) els.push(box.appendChild(document.createElement('div')));
  const t0 = performance.now();
  for (let k = 0; k < 10; k++) for (let i = 0; i < 10000; i++) { els[i].setAttribute('class', 'c' + i); els[i].setAttribute('src', 'x' + i); }
  const t = performance.now() - t0;
  box.remove();
  return t;
})()`

// BenchmarkBlockingCost measures in Chromium what the banner's automatic
// blocking costs a page's own work: 10,000 appendChild calls (ms/10k-inserts),
// 200,000 setAttribute calls (ms/200k-setattrs) and the parsing of a
// 5,000-element page up to DOMContentLoaded (ms/parse, from the
// navigation's start), for the banner of the same site with services
// without and with blocking, one after the other in each iteration so that
// the machine's load weighs on both alike.
func BenchmarkBlockingCost(b *testing.B) {
	browser := browsertest.Start(b)
	site := blockingSite(b)
	noBlock := *site
	noBlock.Blocking = ""
	type variant struct {
		name                   string
		url                    string
		insert, parse, setAttr float64
	}
	var vs []*variant
	for name, s := range map[string]*registry.Site{"services": &noBlock, "blocking": site} {
		script, err := Build(s, s.Revision(), "fr", Options{APIBase: "."})
		if err != nil {
			b.Fatal(err)
		}
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/banner.js" {
				w.Header().Set("Content-Type", "text/javascript")
				w.Write(script)
				return
			}
			fmt.Fprintf(w, `<!doctype html><html lang="fr"><head><meta charset="utf-8"><script src="/banner.js"></script><title>Page</title></head><body>%s</body></html>`, benchBody)
		}))
		b.Cleanup(srv.Close)
		vs = append(vs, &variant{name: name, url: srv.URL + "/"})
	}
	tab := browsertest.Tab(b, browser)
	b.ResetTimer()
	for range b.N {
		for _, v := range vs {
			browsertest.Open(b, tab, v.url, `window.charte && document.readyState == 'complete'`)
			v.parse += browsertest.Eval[float64](b, tab, `performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd`)
			v.insert += browsertest.Eval[float64](b, tab, insertJS)
			v.setAttr += browsertest.Eval[float64](b, tab, setAttrJS)
		}
	}
	b.StopTimer()
	for _, v := range vs {
		b.ReportMetric(v.insert/float64(b.N), v.name+"-ms/10k-inserts")
		b.ReportMetric(v.parse/float64(b.N), v.name+"-ms/parse")
		b.ReportMetric(v.setAttr/float64(b.N), v.name+"-ms/200k-setattrs")
	}
}
