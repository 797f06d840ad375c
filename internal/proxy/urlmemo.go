package proxy

import (
	"sync"

	"github.com/charte/charte/services"
)

// urlMemo remembers which recipes the URLs of a site's pages match: a site
// loads the same scripts, frames and images on page after page, and
// matching a URL against the catalogue (splitting it, a map lookup per
// label of its host, the patterns for any host, sorting what matched) costs
// more than looking it up again. What a URL matches depends on the
// catalogue alone, not on the visitor, so one memo serves every request of
// a proxy.
//
// It holds at most memoURLs URLs of at most memoURLLen bytes: when full it
// starts again empty, so pages whose URLs never repeat (a cache-busting
// query string) cost a little memory and nothing more.
type urlMemo struct {
	cat *services.Catalogue
	mu  sync.RWMutex
	m   map[string][]*services.Recipe
}

const (
	memoURLs   = 4096
	memoURLLen = 512
)

func newURLMemo(cat *services.Catalogue) *urlMemo {
	return &urlMemo{cat: cat, m: make(map[string][]*services.Recipe)}
}

// match returns the recipes an absolute URL matches, most specific first.
// The slice is shared: callers only read it.
func (u *urlMemo) match(abs []byte) []*services.Recipe {
	if len(abs) > memoURLLen {
		return recipesOf(u.cat.URLs().Match(string(abs)))
	}
	u.mu.RLock()
	rs, ok := u.m[string(abs)] // no copy: the compiler reads the bytes in place
	u.mu.RUnlock()
	if ok {
		return rs
	}
	key := string(abs)
	rs = recipesOf(u.cat.URLs().Match(key))
	u.mu.Lock()
	if len(u.m) >= memoURLs {
		clear(u.m)
	}
	u.m[key] = rs
	u.mu.Unlock()
	return rs
}

func recipesOf(ms []services.Match) []*services.Recipe {
	if len(ms) == 0 {
		return nil
	}
	out := make([]*services.Recipe, len(ms))
	for i, m := range ms {
		out[i] = m.Recipe
	}
	return out
}
