// Package drift compares a site's scan with the one before it and says what
// changed for the worse: cookies the registry does not declare, cookies set
// before consent, third-party hosts it does not name, all newly seen; and
// declared cookies no longer seen. Scheduled scans raise an alert when the
// answer is not empty, so the charter stays true between audits.
package drift

import (
	"fmt"
	"slices"
	"strings"

	"github.com/charte/charte/internal/i18n"
	"github.com/charte/charte/internal/scan"
)

// Changes is what a scan found changed since the previous one. Each list is
// sorted; a cookie is "name (domain)", a storage key "key (origin)".
type Changes struct {
	Undeclared   []string `json:"undeclared,omitempty"`
	Preconsent   []string `json:"preconsent,omitempty"`
	ThirdParty   []string `json:"third_party,omitempty"`
	NoLongerSeen []string `json:"no_longer_seen,omitempty"`
}

// Empty reports whether nothing changed.
func (c Changes) Empty() bool {
	return len(c.Undeclared)+len(c.Preconsent)+len(c.ThirdParty)+len(c.NoLongerSeen) == 0
}

// Compare returns what cur found that prev did not: the findings of each
// kind are keyed by what they are about, so the same cookie seen in another
// pass, or reported in another order, is no change. A nil prev (a site's
// first scan) is a baseline: nothing is new against it.
func Compare(prev, cur *scan.Report) Changes {
	if prev == nil || cur == nil {
		return Changes{}
	}
	was, is := keys(prev), keys(cur)
	added := func(kind string) []string {
		var out []string
		for k := range is[kind] {
			if !was[kind][k] {
				out = append(out, k)
			}
		}
		slices.Sort(out)
		return out
	}
	return Changes{
		Undeclared:   added(scan.KindUndeclared),
		Preconsent:   added(scan.KindPreconsent),
		ThirdParty:   added(scan.KindThirdParty),
		NoLongerSeen: added(scan.KindUnseen),
	}
}

// keys indexes a report's findings of the kinds drift follows.
func keys(r *scan.Report) map[string]map[string]bool {
	out := map[string]map[string]bool{}
	for _, f := range r.Findings {
		var k string
		switch f.Kind {
		case scan.KindUndeclared, scan.KindPreconsent:
			k = fmt.Sprintf("%s (%s)", f.Name, f.Domain)
		case scan.KindThirdParty:
			k = f.Domain
		case scan.KindUnseen:
			k = f.Name
		default:
			continue
		}
		if out[f.Kind] == nil {
			out[f.Kind] = map[string]bool{}
		}
		out[f.Kind][k] = true
	}
	return out
}

// t is alert message key in lang, from the back-office catalogue's
// "drift." messages (internal/i18n/locales/admin).
func t(lang, key string, args ...any) string { return i18n.Admin(lang, "drift."+key, args...) }

// Subject is an alert's one line, in lang (fr or en).
func Subject(lang, site string) string {
	return t(lang, "subject", "Site", site)
}

// Text is an alert as plain text in lang, for e-mail: what changed, list by
// list, and where the whole report is.
func (c Changes) Text(lang, site, scanURL, reportURL string) string {
	var b strings.Builder
	b.WriteString(t(lang, "intro", "Site", site, "URL", scanURL) + "\n")
	for _, l := range c.Lists() {
		fmt.Fprintf(&b, "\n%s%s\n", t(lang, l.Key), t(lang, "colon"))
		for _, item := range l.Items {
			fmt.Fprintf(&b, "  - %s\n", item)
		}
	}
	if reportURL != "" {
		b.WriteString("\n" + t(lang, "report", "URL", reportURL) + "\n")
	}
	return b.String()
}

// List is one non-empty list of Changes with its heading's key.
type List struct {
	Key   string
	Items []string
}

// Lists returns the non-empty lists, most serious first.
func (c Changes) Lists() []List {
	var out []List
	for _, l := range []List{{"preconsent", c.Preconsent}, {"undeclared", c.Undeclared}, {"third_party", c.ThirdParty}, {"no_longer_seen", c.NoLongerSeen}} {
		if len(l.Items) > 0 {
			out = append(out, l)
		}
	}
	return out
}

// Heading is a list's heading in lang.
func Heading(lang, key string) string { return t(lang, key) }
