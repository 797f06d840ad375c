package consent

import (
	"sort"

	"github.com/charte/charte/registry"
)

// index answers, for a cookie a browser sends, which declared cookie it is,
// without walking the registry: request cookies carry no domain, so a
// lookup by name is registry.Site.Match with an empty domain, precomputed.
type index struct {
	exact    map[string]int // name → position in Site.Cookies (the first wins, as in Match)
	prefixes []int          // prefix cookies, longest prefix first, then registry order
}

func newIndex(site *registry.Site) index {
	ix := index{exact: map[string]int{}}
	for i, c := range site.Cookies {
		if c.IsPrefix() {
			ix.prefixes = append(ix.prefixes, i)
		} else if _, dup := ix.exact[c.Name]; !dup {
			ix.exact[c.Name] = i
		}
	}
	sort.SliceStable(ix.prefixes, func(a, b int) bool {
		return len(site.Cookies[ix.prefixes[a]].BaseName()) > len(site.Cookies[ix.prefixes[b]].BaseName())
	})
	return ix
}

// lookup returns the position in site.Cookies of the declared cookie name
// belongs to, or -1. It agrees with site.Match(name, "").
func (ix index) lookup(site *registry.Site, name string) int {
	if i, ok := ix.exact[name]; ok {
		return i
	}
	for _, i := range ix.prefixes {
		b := site.Cookies[i].BaseName()
		if len(name) >= len(b) && name[:len(b)] == b {
			return i
		}
	}
	return -1
}
