package services

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
)

// A URL pattern is "host/path". The host is exact ("www.youtube.com"), a
// domain and its subdomains ("*.youtube.com"), or any host ("*"), for
// self-hosted software such as Matomo or PeerTube. The path (with the query
// string) is a prefix in which "*" stands for any run of characters:
// "www.googletagmanager.com/gtag/js?id=G-" or "*/videos/embed/".
//
// Patterns are compiled into a URLIndex keyed by host, so matching a URL
// costs a map lookup per label of its host plus the few patterns found
// there, however many recipes the catalogue holds: the proxy and the scanner
// match every request of a page.

// pattern is one compiled URL pattern.
type pattern struct {
	recipe *Recipe
	kind   string
	source string
	// parts are the literal pieces of the path between stars; parts[0] must
	// be a prefix of the path, the others must follow in order.
	parts []string
	// weight orders matches: the longer the literal text, the more specific.
	weight int
}

// URLIndex finds the recipes whose patterns match a URL.
type URLIndex struct {
	exact    map[string][]*pattern // by host
	suffix   map[string][]*pattern // by domain, for "*.domain"
	anyHost  []*pattern
	patterns int
}

// Match is one recipe whose pattern matched a URL.
type Match struct {
	Recipe  *Recipe
	Kind    string
	Pattern string
}

// NewURLIndex compiles every pattern of the recipes.
func NewURLIndex(recipes []*Recipe) (*URLIndex, error) {
	ix := &URLIndex{exact: map[string][]*pattern{}, suffix: map[string][]*pattern{}}
	for _, r := range recipes {
		for i, u := range r.URLs {
			host, p, err := compilePattern(u.Pattern)
			if err != nil {
				return nil, fmt.Errorf("recipe %s: urls[%d]: %w", r.ID, i, err)
			}
			p.recipe, p.kind = r, u.Kind
			ix.patterns++
			switch {
			case host == "*":
				ix.anyHost = append(ix.anyHost, p)
			case strings.HasPrefix(host, "*."):
				d := host[2:]
				ix.suffix[d] = append(ix.suffix[d], p)
			default:
				ix.exact[host] = append(ix.exact[host], p)
			}
		}
	}
	return ix, nil
}

// compilePattern checks a pattern and splits it into its host and its path
// parts.
func compilePattern(s string) (string, *pattern, error) {
	host, rest, ok := strings.Cut(s, "/")
	if !ok {
		return "", nil, fmt.Errorf("pattern %q: want host/path, such as www.youtube.com/embed/", s)
	}
	host = strings.ToLower(host)
	h := strings.TrimPrefix(host, "*.")
	if host != "*" && (h == "" || strings.Contains(h, "*") || !strings.Contains(h, ".") || strings.ContainsAny(h, ":@ ")) {
		return "", nil, fmt.Errorf("pattern %q: host %q must be a name such as www.example.com, *.example.com or *", s, host)
	}
	if strings.ContainsAny(rest, " \t\r\n#") {
		return "", nil, fmt.Errorf("pattern %q: the path must not contain spaces or #", s)
	}
	if host == "*" && len(strings.ReplaceAll(rest, "*", "")) < 6 {
		return "", nil, fmt.Errorf("pattern %q: a pattern for any host needs a distinctive path of at least 6 characters", s)
	}
	p := &pattern{source: s, parts: strings.Split("/"+rest, "*")}
	p.weight = len(h) + len(rest) - strings.Count(rest, "*")
	return host, p, nil
}

// matches reports whether the pattern's path matches target (path?query).
func (p *pattern) matches(target string) bool {
	if !strings.HasPrefix(target, p.parts[0]) {
		return false
	}
	rest := target[len(p.parts[0]):]
	for _, part := range p.parts[1:] {
		i := strings.Index(rest, part)
		if i < 0 {
			return false
		}
		rest = rest[i+len(part):]
	}
	return true
}

// Match returns the recipes matching a URL, most specific pattern first,
// each recipe once. A URL that does not parse, or is not http(s), matches
// nothing.
func (ix *URLIndex) Match(rawURL string) []Match {
	host, target, ok := splitURL(rawURL)
	if !ok {
		u, err := url.Parse(rawURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" {
			return nil
		}
		host, target = strings.ToLower(u.Hostname()), u.EscapedPath()
		if target == "" {
			target = "/"
		}
		if u.RawQuery != "" {
			target += "?" + u.RawQuery
		}
	}
	var buf [8]*pattern
	return dedupe(ix.candidates(buf[:0], host, &target))
}

// splitURL cuts an absolute http(s) URL into its host, in lower case, and
// its path with its query, as Match would read them from url.Parse, for
// URLs written as most are: a host name (and a port), then nothing or a
// path, in characters url.Parse keeps as they are. Any other URL (user
// info, IP v6, a fragment, percent-escapes in the path…) is left to
// url.Parse (ok false), which costs several allocations: the proxy matches
// every script, frame and image of every page.
func splitURL(raw string) (host, target string, ok bool) {
	var rest string
	switch {
	case len(raw) >= 8 && strings.EqualFold(raw[:8], "https://"):
		rest = raw[8:]
	case len(raw) >= 7 && strings.EqualFold(raw[:7], "http://"):
		rest = raw[7:]
	default:
		return "", "", false
	}
	i := 0
	for ; i < len(rest) && rest[i] != '/'; i++ {
		if c := rest[i]; !isAlnum(c) && c != '.' && c != '-' && c != ':' {
			return "", "", false
		}
	}
	host = rest[:i]
	if h, port, found := strings.Cut(host, ":"); found {
		for j := 0; j < len(port); j++ {
			if port[j] < '0' || port[j] > '9' {
				return "", "", false
			}
		}
		host = h
	}
	if host == "" {
		return "", "", false
	}
	target = rest[i:]
	query := false
	for j := 0; j < len(target); j++ {
		switch c := target[j]; {
		case isAlnum(c) || strings.IndexByte("-._~/!$&'()*+,;=:@", c) >= 0:
		case c == '?' && !query:
			if j == len(target)-1 {
				return "", "", false // an empty query: url.Parse has none
			}
			query = true
		case c == '?':
		case c == '%' && query:
		default:
			return "", "", false
		}
	}
	if target == "" {
		target = "/"
	}
	return strings.ToLower(host), target, true
}

func isAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// MatchHost returns the recipes with a pattern on that host, whatever the
// path: what a scan can say from the hosts a page contacted. Patterns for
// any host are left out, as a host alone says nothing of them.
func (ix *URLIndex) MatchHost(host string) []Match {
	return dedupe(ix.candidates(nil, strings.ToLower(strings.TrimSuffix(host, ".")), nil))
}

// candidates appends to found every pattern whose host part fits host:
// the exact host, each parent domain for "*." patterns, and, when target
// is given, the any-host patterns; with a target, only the patterns whose
// path matches it.
func (ix *URLIndex) candidates(found []*pattern, host string, target *string) []*pattern {
	add := func(ps []*pattern) {
		for _, p := range ps {
			if target == nil || p.matches(*target) {
				found = append(found, p)
			}
		}
	}
	add(ix.exact[host])
	for d := host; d != ""; {
		add(ix.suffix[d])
		_, next, ok := strings.Cut(d, ".")
		if !ok {
			break
		}
		d = next
	}
	if target != nil {
		add(ix.anyHost)
	}
	return found
}

func dedupe(found []*pattern) []Match {
	if len(found) == 0 {
		return nil
	}
	slices.SortStableFunc(found, func(a, b *pattern) int { return b.weight - a.weight })
	out := make([]Match, 0, len(found))
next:
	for _, p := range found {
		for _, m := range out {
			if m.Recipe == p.recipe {
				continue next
			}
		}
		out = append(out, Match{Recipe: p.recipe, Kind: p.kind, Pattern: p.source})
	}
	return out
}

// Len is the number of compiled patterns.
func (ix *URLIndex) Len() int { return ix.patterns }
