package services

import (
	"regexp"
	"strings"
)

// URLRegexp is the recipe's URL patterns as one regular expression over
// "host/path?query" (a URL without its scheme, port and fragment, the host
// in lower case), matching exactly the URLs URLIndex.Match gives this
// recipe for. It is written in the syntax RE2 and JavaScript share, for the
// banner: a site that asks its banner to block its services' tags
// (registry blocking: observe) ships the expressions of its own services,
// never the catalogue's index. Empty when the recipe names no URL.
func (r *Recipe) URLRegexp() string {
	var alts []string
	for _, u := range r.URLs {
		host, p, err := compilePattern(u.Pattern)
		if err != nil {
			continue // Check refused it already; a catalogue recipe has none
		}
		var h string
		switch {
		case host == "*":
			h = `[^/]*`
		case strings.HasPrefix(host, "*."):
			// The domain itself and its subdomains, as URLIndex.candidates.
			h = `(?:[^/]*\.)?` + regexp.QuoteMeta(host[2:])
		default:
			h = regexp.QuoteMeta(host)
		}
		parts := make([]string, len(p.parts))
		for i, s := range p.parts {
			parts[i] = regexp.QuoteMeta(s)
		}
		alts = append(alts, h+strings.Join(parts, ".*"))
	}
	if len(alts) == 0 {
		return ""
	}
	return "^(?:" + strings.Join(alts, "|") + ")"
}
