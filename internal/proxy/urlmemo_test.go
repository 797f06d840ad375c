package proxy

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/charte/charte/services"
)

// TestURLMemo checks the memo gives what matching the catalogue gives, the
// first time and the next, from many requests at once, and stays bounded.
func TestURLMemo(t *testing.T) {
	cat := services.Builtin()
	memo := newURLMemo(cat)
	urls := []string{
		"https://www.googletagmanager.com/gtag/js?id=G-XYZ",
		"https://www.googletagmanager.com/gtm.js?id=GTM-X",
		"https://www.youtube.com/embed/abc",
		"https://www.youtube-nocookie.com/embed/abc",
		"https://www.facebook.com/tr?id=1&ev=PageView",
		"https://stats.example.org/matomo.js",
		"https://site.example/img/logo.svg",
		"https://site.example/",
		"http://WWW.YOUTUBE.COM/embed/x",
		"https://user@www.youtube.com/embed/x",
		"https://www.youtube.com/embed/x#t=1",
		"https://" + strings.Repeat("a", memoURLLen) + ".example/x.js",
	}
	want := func(u string) []*services.Recipe { return recipesOf(cat.URLs().Match(u)) }
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 3 {
				for _, u := range urls {
					if got := memo.match([]byte(u)); !slices.Equal(got, want(u)) {
						t.Errorf("%s: memo gives %v, the catalogue %v", u, ids(got), ids(want(u)))
					}
				}
			}
		})
	}
	wg.Wait()
	if _, ok := memo.m[urls[len(urls)-1]]; ok {
		t.Errorf("a URL longer than %d bytes is kept", memoURLLen)
	}
	for i := range memoURLs + 10 {
		memo.match(fmt.Appendf(nil, "https://site.example/img/%d.png", i))
	}
	if n := len(memo.m); n > memoURLs || n == 0 {
		t.Errorf("the memo holds %d URLs, want 1 to %d", n, memoURLs)
	}
}

func ids(rs []*services.Recipe) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.ID)
	}
	return out
}
