package proxy

import (
	"github.com/charte/charte/internal/lru"
	"github.com/charte/charte/services"
)

// urlMemo remembers which recipes the URLs of a site's pages match: a site
// loads the same scripts, frames and images on page after page, and
// matching a URL against the catalogue (splitting it, a map lookup per
// label of its host, the patterns for any host, sorting what matched) costs
// more than looking it up again. What a URL matches depends on the
// catalogue alone, not on the visitor, so one memo serves every request of
// a proxy. It holds memoBytes of URLs, the least recently used dropped
// first, so pages whose URLs never repeat (a cache-busting query string)
// push out only each other; URLs longer than memoURLLen are not kept.
type urlMemo struct {
	cat *services.Catalogue
	m   *lru.Cache[string, []*services.Recipe]
}

const (
	memoBytes  = 1 << 20
	memoURLLen = 512
)

func newURLMemo(cat *services.Catalogue) *urlMemo {
	return &urlMemo{cat: cat, m: lru.New[string, []*services.Recipe](memoBytes)}
}

// match returns the recipes an absolute URL matches, most specific first.
// The slice is shared: callers only read it.
func (u *urlMemo) match(abs []byte) []*services.Recipe {
	key := string(abs)
	if len(key) > memoURLLen {
		return recipesOf(u.cat.URLs().Match(key))
	}
	if rs, ok := u.m.Get(key); ok {
		return rs
	}
	rs := recipesOf(u.cat.URLs().Match(key))
	u.m.Add(key, rs, int64(len(key)+8*len(rs)+64)) // the key, the slice, the entry's bookkeeping
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
