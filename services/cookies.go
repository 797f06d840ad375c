package services

import (
	"sort"
	"strings"

	"github.com/charte/charte/registry"
)

// cookieIndex finds the recipes declaring a cookie: exact names in a map,
// prefixes in a list sorted longest first (a few dozen), so that
// "_pk_id.1.abcd" finds "_pk_id*" before a shorter prefix would.
type cookieIndex struct {
	exact    map[string][]cookieRef
	prefixes []cookieRef
}

type cookieRef struct {
	recipe *Recipe
	name   string // without the star for prefixes
	domain string
}

// newStorageIndex indexes the recipes' localStorage and sessionStorage keys
// the same way: a key has no domain, so only the name counts.
func newStorageIndex(recipes []*Recipe) *cookieIndex {
	ix := &cookieIndex{exact: map[string][]cookieRef{}}
	for _, r := range recipes {
		if r.Exempt() {
			continue
		}
		for _, s := range r.Storage {
			ref := cookieRef{recipe: r, name: strings.TrimSuffix(s.Key, "*")}
			if strings.HasSuffix(s.Key, "*") {
				ix.prefixes = append(ix.prefixes, ref)
			} else {
				ix.exact[s.Key] = append(ix.exact[s.Key], ref)
			}
		}
	}
	sort.SliceStable(ix.prefixes, func(i, j int) bool { return len(ix.prefixes[i].name) > len(ix.prefixes[j].name) })
	return ix
}

func newCookieIndex(recipes []*Recipe) *cookieIndex {
	ix := &cookieIndex{exact: map[string][]cookieRef{}}
	for _, r := range recipes {
		if r.Exempt() {
			continue
		}
		for _, c := range r.Cookies {
			ref := cookieRef{recipe: r, name: strings.TrimSuffix(c.Name, "*"), domain: c.Domain}
			if strings.HasSuffix(c.Name, "*") {
				ix.prefixes = append(ix.prefixes, ref)
			} else {
				ix.exact[c.Name] = append(ix.exact[c.Name], ref)
			}
		}
	}
	sort.SliceStable(ix.prefixes, func(i, j int) bool { return len(ix.prefixes[i].name) > len(ix.prefixes[j].name) })
	return ix
}

// match prefers a declaration with a domain (it says more) to one without,
// and an exact name to a prefix.
func (ix *cookieIndex) match(name, domain string) []*Recipe {
	var withDomain, without []*Recipe
	add := func(ref cookieRef) {
		if !registry.DomainMatches(ref.domain, domain) {
			return
		}
		if ref.domain != "" {
			withDomain = appendOnce(withDomain, ref.recipe)
		} else {
			without = appendOnce(without, ref.recipe)
		}
	}
	for _, ref := range ix.exact[name] {
		add(ref)
	}
	for _, ref := range ix.prefixes {
		if strings.HasPrefix(name, ref.name) {
			add(ref)
		}
	}
	for _, r := range without {
		withDomain = appendOnce(withDomain, r)
	}
	return withDomain
}

func appendOnce(list []*Recipe, r *Recipe) []*Recipe {
	for _, x := range list {
		if x == r {
			return list
		}
	}
	return append(list, r)
}
