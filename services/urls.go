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
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" {
		return nil
	}
	target := u.EscapedPath()
	if target == "" {
		target = "/"
	}
	if u.RawQuery != "" {
		target += "?" + u.RawQuery
	}
	var found []*pattern
	ix.candidates(strings.ToLower(u.Hostname()), true, func(p *pattern) {
		if p.matches(target) {
			found = append(found, p)
		}
	})
	return dedupe(found)
}

// MatchHost returns the recipes with a pattern on that host, whatever the
// path: what a scan can say from the hosts a page contacted. Patterns for
// any host are left out, as a host alone says nothing of them.
func (ix *URLIndex) MatchHost(host string) []Match {
	var found []*pattern
	ix.candidates(strings.ToLower(strings.TrimSuffix(host, ".")), false, func(p *pattern) {
		found = append(found, p)
	})
	return dedupe(found)
}

// candidates calls f with every pattern whose host part fits host: the
// exact host, each parent domain for "*." patterns, and (withAny) the
// any-host patterns.
func (ix *URLIndex) candidates(host string, withAny bool, f func(*pattern)) {
	for _, p := range ix.exact[host] {
		f(p)
	}
	for d := host; d != ""; {
		for _, p := range ix.suffix[d] {
			f(p)
		}
		_, next, ok := strings.Cut(d, ".")
		if !ok {
			break
		}
		d = next
	}
	if withAny {
		for _, p := range ix.anyHost {
			f(p)
		}
	}
}

func dedupe(found []*pattern) []Match {
	slices.SortStableFunc(found, func(a, b *pattern) int { return b.weight - a.weight })
	var out []Match
	seen := map[*Recipe]bool{}
	for _, p := range found {
		if !seen[p.recipe] {
			seen[p.recipe] = true
			out = append(out, Match{Recipe: p.recipe, Kind: p.kind, Pattern: p.source})
		}
	}
	return out
}

// Len is the number of compiled patterns.
func (ix *URLIndex) Len() int { return ix.patterns }
