package scan

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/charte/charte/internal/i18n"
	"github.com/charte/charte/registry"
	"github.com/charte/charte/services"
)

// T is report message key in lang, from the "scan." messages of the
// back-office catalogue (internal/i18n/locales/admin), with its named
// arguments; a language the back office lacks gets English.
func T(lang, key string, args ...any) string { return i18n.Admin(lang, "scan."+key, args...) }

// has reports whether the catalogue words key.
func has(key string) bool { return T("en", key) != "scan."+key }

// Message is the finding as a sentence an operator reads, in lang.
func (f Finding) Message(lang string) string {
	if f.Kind == KindNoBanner {
		return T(lang, KindNoBanner)
	}
	var whens []string
	for _, p := range f.Passes {
		whens = append(whens, T(lang, "when-"+p))
	}
	and := T(lang, "and")
	what := f.Vendor
	if what == "" {
		what = T(lang, "unknown-vendor")
	}
	if f.Category != "" {
		what += ", " + f.Category
	}
	life := HumanLifetime(f.LifetimeSeconds, lang)
	declared := f.DeclaredLife.Localize(i18n.Lifetimes(lang))
	key := f.Kind
	note := ""
	name := f.Name
	switch f.Kind {
	case KindBlocked:
		// The kind of address, in the reader's language.
		if has("addr-" + f.Name) {
			name = T(lang, "addr-"+f.Name)
		}
	case KindEarlyScript:
		if f.BeforeBanner {
			key += "-banner"
		}
		if name == "" {
			name = T(lang, "inline-snippet")
		}
	case KindPreconsent:
		key += "-" + f.Subject
		if f.Transient {
			key += "-transient"
		}
	case KindUndeclared:
		if f.Transient {
			note = T(lang, "transient-note")
		}
	case KindUnresponsive:
		// A page that loaded but stopped answering is the general case.
		key += "-" + UnresponsiveScript
		if f.Name == UnresponsiveLoad {
			key = KindUnresponsive + "-" + UnresponsiveLoad
		}
	case KindLifetime:
		if f.Transient {
			note = T(lang, "transient-note")
		}
		key = "lifetime-max"
		observed := time.Duration(f.LifetimeSeconds) * time.Second
		if d, err := f.DeclaredLife.Duration(); err == nil && f.DeclaredLife != "" && observed > d+lifetimeSlack(d) {
			key = "lifetime-declared"
		}
	}
	if f.Service != "" {
		note += T(lang, "service-note", "Service", ServiceName(f.Service, lang), "ID", f.Service)
	}
	// Every message takes the arguments it needs from the same list; a
	// "Count" picks the plural form of those that show one.
	return T(lang, key, "Name", name, "Domain", f.Domain, "When", strings.Join(whens, and), "What", what,
		"Lifetime", life, "Declared", declared, "Page", f.Page, "Text", f.Text, "Count", f.Count, "Address", f.Address) + note
}

// ServiceName is a recipe's name in lang, or its id for a recipe the
// catalogue no longer has (an old stored report).
func ServiceName(id, lang string) string {
	if r, ok := services.Builtin().Get(id); ok {
		return r.Name.In(lang, "en")
	}
	return id
}

// lifetimeUnits are the units a lifetime is written in, largest first, with
// the smallest length from which each is used.
var lifetimeUnits = []struct {
	unit string
	size time.Duration
	from time.Duration
}{
	{"year", 365*24*time.Hour + 6*time.Hour, 2 * 365 * 24 * time.Hour},
	{"month", (365*24*time.Hour + 6*time.Hour) / 12, 60 * 24 * time.Hour},
	{"week", 7 * 24 * time.Hour, 14 * 24 * time.Hour},
	{"day", 24 * time.Hour, 48 * time.Hour},
	{"hour", time.Hour, 2 * time.Hour},
	{"minute", time.Minute, 0},
}

// LifetimeOf writes a duration as a registry lifetime. roundUp is for drafts,
// where the declared lifetime must not be shorter than what was observed.
func LifetimeOf(d time.Duration, roundUp bool) registry.Lifetime {
	if d <= 0 {
		return registry.Session
	}
	for _, u := range lifetimeUnits {
		if d < u.from {
			continue
		}
		n := float64(d) / float64(u.size)
		if roundUp {
			// Observed lifetimes are a little short of what was set (read
			// after being written), so rounding up lands on the set value.
			n = math.Ceil(n - 1e-9)
		} else {
			n = math.Round(n)
		}
		n = max(n, 1)
		unit := u.unit
		if n > 1 {
			unit += "s"
		}
		return registry.Lifetime(fmt.Sprintf("%d %s", int(n), unit))
	}
	return "1 minute"
}

// HumanLifetime is an observed lifetime in words, in lang.
func HumanLifetime(seconds int64, lang string) string {
	if seconds <= 0 {
		return T(lang, "session")
	}
	return LifetimeOf(time.Duration(seconds)*time.Second, false).Localize(i18n.Lifetimes(lang))
}
