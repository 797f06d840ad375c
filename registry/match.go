package registry

import "strings"

// Match finds the declared cookie a browser cookie belongs to. name is the
// cookie's name; domain is its Domain attribute or host ("" when unknown, as
// for a Set-Cookie without Domain), with or without a leading dot.
//
// An exact name wins over a prefix, and a longer prefix over a shorter one, so
// "_pk_id.1.abcd" matches "_pk_id*" rather than "_pk*". A declared cookie with
// no domain belongs to the site itself and matches any domain.
func (s *Site) Match(name, domain string) (Cookie, bool) {
	best, bestLen, found := Cookie{}, -1, false
	for _, c := range s.Cookies {
		if !DomainMatches(c.Domain, domain) {
			continue
		}
		switch {
		case !c.IsPrefix() && c.Name == name:
			return c, true
		case c.IsPrefix() && strings.HasPrefix(name, c.BaseName()) && len(c.BaseName()) > bestLen:
			best, bestLen, found = c, len(c.BaseName()), true
		}
	}
	return best, found
}

// DomainMatches reports whether an observed cookie domain fits a declared one.
// Either being empty matches; otherwise one must be the other or a subdomain
// of it, because a cookie declared for "pau.fr" is the same cookie whether a
// browser shows it on "opendata.pau.fr" or ".pau.fr".
func DomainMatches(declared, observed string) bool {
	d := strings.ToLower(strings.TrimPrefix(declared, "."))
	o := strings.ToLower(strings.TrimPrefix(observed, "."))
	if d == "" || o == "" || d == o {
		return true
	}
	return strings.HasSuffix(o, "."+d) || strings.HasSuffix(d, "."+o)
}
