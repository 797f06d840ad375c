package consent

import "strings"

// This file reads cookie headers without allocating: the middleware looks at
// every response, and most of them set no cookie at all.

// setCookieNameDomain returns the name and Domain attribute of a Set-Cookie
// line ("" when the cookie is host-only).
func setCookieNameDomain(line string) (name, domain string) {
	pair, attrs, _ := strings.Cut(line, ";")
	name, _, _ = strings.Cut(pair, "=")
	name = strings.TrimSpace(name)
	for attrs != "" {
		var a string
		a, attrs, _ = strings.Cut(attrs, ";")
		k, v, _ := strings.Cut(a, "=")
		if strings.EqualFold(strings.TrimSpace(k), "domain") {
			// The last Domain attribute wins (RFC 6265 5.3 step 1 keeps the last).
			domain = strings.TrimSpace(v)
		}
	}
	return name, domain
}

// cookieIter walks the name=value pairs of a request's Cookie header lines.
// HTTP/2 may split them into several lines; browsers join them with "; ".
type cookieIter struct {
	lines []string
	rest  string
}

func (it *cookieIter) next() (name, value string, ok bool) {
	for {
		for it.rest == "" {
			if len(it.lines) == 0 {
				return "", "", false
			}
			it.rest, it.lines = it.lines[0], it.lines[1:]
		}
		var pair string
		pair, it.rest, _ = strings.Cut(it.rest, ";")
		name, value, _ = strings.Cut(pair, "=")
		if name = strings.TrimSpace(name); name != "" {
			return name, strings.TrimSpace(value), true
		}
	}
}

// hostOnly is the request host without its port, lower-cased when it is
// already lower case (the usual case; comparisons fold case anyway).
func hostOnly(host string) string {
	if i := strings.LastIndexByte(host, ':'); i >= 0 && !strings.Contains(host[i:], "]") {
		host = host[:i]
	}
	return strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
}

// withinDomain reports whether host may set a cookie for domain: it is the
// domain or one of its subdomains. A browser ignores any other Domain.
func withinDomain(host, domain string) bool {
	domain = strings.TrimPrefix(domain, ".")
	if domain == "" || len(host) < len(domain) {
		return false
	}
	tail := host[len(host)-len(domain):]
	return strings.EqualFold(tail, domain) && (len(host) == len(domain) || host[len(host)-len(domain)-1] == '.')
}
