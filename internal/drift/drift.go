// Package drift compares a site's scan with the one before it and says what
// changed for the worse: cookies the registry does not declare, cookies set
// before consent, services' scripts left free to run before consent,
// third-party hosts it does not name, all newly seen; and declared cookies
// no longer seen. Scheduled scans raise an alert when the answer is not
// empty, so the charter stays true between audits.
package drift

import (
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/charte/charte/internal/i18n"
	"github.com/charte/charte/internal/scan"
)

// Changes is what a scan found changed since the previous one. Each list is
// sorted; a cookie is "name (domain)", a storage key "key (origin)", an
// early script "address (service)" (see scriptKey).
type Changes struct {
	Undeclared   []string `json:"undeclared,omitempty"`
	Preconsent   []string `json:"preconsent,omitempty"`
	EarlyScript  []string `json:"early_script,omitempty"`
	ThirdParty   []string `json:"third_party,omitempty"`
	NoLongerSeen []string `json:"no_longer_seen,omitempty"`
}

// Empty reports whether nothing changed.
func (c Changes) Empty() bool {
	return len(c.Undeclared)+len(c.Preconsent)+len(c.EarlyScript)+len(c.ThirdParty)+len(c.NoLongerSeen) == 0
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
		if !prev.Checked(kind) {
			// The previous scan could not have found it (a kind added
			// since): this one is the baseline.
			return nil
		}
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
		EarlyScript:  added(scan.KindEarlyScript),
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
		case scan.KindEarlyScript:
			k = scriptKey(f)
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

// inline stands for a script's address in the key of a script written in
// the page (a loader snippet), which has none. Shown, it is worded.
const inline = "inline"

// scriptKey is what an early-script finding is about: the service and the
// script's address without its query or fragment, so that a version
// parameter changed by a deployment is not a new script; an inline
// snippet is "inline (service)". The page and whether the script stands
// before the banner tag are left out: the same script on another page is
// the same problem, with the same cure, and the report says where.
func scriptKey(f scan.Finding) string {
	addr := f.Name
	if addr == "" {
		addr = inline
	} else if u, err := url.Parse(addr); err == nil {
		u.RawQuery, u.ForceQuery, u.Fragment, u.RawFragment = "", false, "", ""
		addr = u.String()
	}
	return fmt.Sprintf("%s (%s)", addr, f.Service)
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
	for _, l := range c.Lists(lang) {
		fmt.Fprintf(&b, "\n%s%s\n", l.Heading, t(lang, "colon"))
		for _, item := range l.Items {
			fmt.Fprintf(&b, "  - %s\n", item)
		}
		if l.Note != "" {
			b.WriteString(l.Note + "\n")
		}
	}
	if reportURL != "" {
		b.WriteString("\n" + t(lang, "report", "URL", reportURL) + "\n")
	}
	return b.String()
}

// List is one non-empty list of Changes, worded in a language.
type List struct {
	Key     string // the list's name in JSON, and its heading's message
	Heading string
	Items   []string
	// Note says what the list means and what to do about it, for a list
	// whose heading cannot say it all.
	Note string
}

// Lists returns the non-empty lists worded in lang, most serious first.
func (c Changes) Lists(lang string) []List {
	var out []List
	for _, l := range []struct {
		key   string
		items []string
	}{
		{"preconsent", c.Preconsent}, {"early_script", c.EarlyScript}, {"undeclared", c.Undeclared},
		{"third_party", c.ThirdParty}, {"no_longer_seen", c.NoLongerSeen},
	} {
		if len(l.items) == 0 {
			continue
		}
		n := len(l.items)
		w := List{Key: l.key, Heading: t(lang, l.key, "Count", n), Items: l.items}
		if l.key == "early_script" {
			w.Items = scriptItems(lang, l.items)
			w.Note = t(lang, "early_script_note", "Count", n)
		}
		out = append(out, w)
	}
	return out
}

// scriptItems words the keys of early scripts in lang: an inline
// snippet's key names no address.
func scriptItems(lang string, keys []string) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		if rest, ok := strings.CutPrefix(k, inline+" ("); ok {
			k = t(lang, "inline_script") + " (" + rest
		}
		out[i] = k
	}
	return out
}
