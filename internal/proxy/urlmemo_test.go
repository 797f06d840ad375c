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
// first time and the next, from many requests at once, and stays within
// its budget, dropping the least recently used.
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
	if _, ok := memo.m.Get(urls[len(urls)-1]); ok {
		t.Errorf("a URL longer than %d bytes is kept", memoURLLen)
	}
	// Far more URLs than the budget holds: the memo stays in it, and the
	// latest ones are there.
	last := ""
	for i := range 50000 {
		last = fmt.Sprintf("https://site.example/img/%d.png", i)
		memo.match([]byte(last))
	}
	if s := memo.m.Stats(); s.Bytes > memoBytes || s.Drops == 0 {
		t.Errorf("the memo holds %d bytes (%d dropped), want at most %d", s.Bytes, s.Drops, memoBytes)
	}
	if _, ok := memo.m.Get(last); !ok {
		t.Errorf("the last URL matched is not kept")
	}
}

func ids(rs []*services.Recipe) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.ID)
	}
	return out
}
