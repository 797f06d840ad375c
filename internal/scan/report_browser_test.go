package scan

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/charte/charte/internal/browsertest"
)

// TestReportBrowser: the HTML report as an operator reads it on a phone: it
// reflows at 375 and 320 px (no horizontal scrolling, RGAA 10.11), its
// "pages visited" links are targets of at least 24 px (WCAG 2.2 SC 2.5.8),
// it has a main landmark and one h1, and axe finds nothing.
func TestReportBrowser(t *testing.T) {
	browser := browsertest.Start(t)
	r := sampleReport(t)
	for i := range 12 {
		r.Pages = append(r.Pages, fmt.Sprintf("http://127.0.0.1/a/rather/long/path/to/page-%d?with=a&query=string", i))
	}
	for _, lang := range []string{"fr", "en"} {
		var buf bytes.Buffer
		if err := Render(&buf, r, "html", lang); err != nil {
			t.Fatal(err)
		}
		page := buf.Bytes()
		ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write(page)
		}))
		t.Cleanup(ts.Close)
		for _, width := range []int64{375, 320} {
			t.Run(fmt.Sprintf("%s, %d px", lang, width), func(t *testing.T) {
				tb := browsertest.Tab(t, browser)
				if err := chromedp.Do(tb, chromedp.EmulateViewport(width, 700)); err != nil {
					t.Fatal(err)
				}
				browsertest.Open(t, tb, ts.URL, "")
				if w := browsertest.Eval[[]int](t, tb, `[document.documentElement.scrollWidth, innerWidth]`); w[0] > w[1] {
					t.Errorf("the report is %d px wide on a %d px screen: it scrolls sideways (%s)", w[0], w[1], browsertest.Eval[string](t, tb, `Array.from(document.querySelectorAll("body *")).filter(e => e.getBoundingClientRect().right > innerWidth).map(e => e.tagName + "." + e.className + ":" + Math.round(e.getBoundingClientRect().right)).slice(0, 8).join(" ")`))
				}
				small := browsertest.Eval[[]string](t, tb, `Array.from(document.querySelectorAll('a, button'), a => {
  const r = a.getBoundingClientRect();
  return r.height < 24 ? a.textContent.slice(0, 40) + ' ' + Math.round(r.height) + ' px' : '';
}).filter(Boolean)`)
				if len(small) > 0 {
					t.Errorf("targets under 24 px high: %q", small)
				}
				if n := browsertest.Eval[[]int](t, tb, `[document.querySelectorAll('main').length, document.querySelectorAll('h1').length]`); n[0] != 1 || n[1] != 1 {
					t.Errorf("%d main landmarks and %d h1, want one each", n[0], n[1])
				}
				for _, v := range browsertest.Axe(t, tb, "") {
					t.Errorf("axe: %s", v)
				}
			})
		}
	}
}
