package registry

import (
	"strconv"
	"strings"
	"time"
)

// Lifetime is how long a cookie lives, written as the charter shows it:
// "session", or a count and a unit such as "30 minutes", "2 weeks",
// "13 months". Months and years are calendar lengths, averaged.
type Lifetime string

// Session is the lifetime of a cookie deleted when the browser closes.
const Session Lifetime = "session"

// The day lengths of a unit; a month is a twelfth of a Gregorian year so that
// "12 months" and "1 year" are the same length.
var lifetimeUnits = map[string]time.Duration{
	"second":  time.Second,
	"minute":  time.Minute,
	"hour":    time.Hour,
	"day":     24 * time.Hour,
	"week":    7 * 24 * time.Hour,
	"month":   time.Duration(365.2425 / 12 * 24 * float64(time.Hour)),
	"year":    time.Duration(365.2425 * 24 * float64(time.Hour)),
	"seconds": time.Second,
	"minutes": time.Minute,
	"hours":   time.Hour,
	"days":    24 * time.Hour,
	"weeks":   7 * 24 * time.Hour,
	"months":  time.Duration(365.2425 / 12 * 24 * float64(time.Hour)),
	"years":   time.Duration(365.2425 * 24 * float64(time.Hour)),
}

// MaxLifetime is the CNIL's recommended ceiling for a cookie needing consent
// and for the choice itself.
const MaxLifetime Lifetime = "13 months"

// Parse returns the count and unit (singular), or an error saying what is
// expected. Session cookies give (0, "session").
func (l Lifetime) Parse() (int, string, error) {
	n, unit, d := l.parse()
	if d != nil {
		return 0, "", d
	}
	return n, unit, nil
}

// parse is Parse giving its error as a description, for Validate to report
// with its code.
func (l Lifetime) parse() (int, string, *description) {
	s := strings.TrimSpace(string(l))
	if s == string(Session) {
		return 0, string(Session), nil
	}
	num, unit, ok := strings.Cut(s, " ")
	n, err := strconv.Atoi(num)
	if !ok || err != nil || n <= 0 || n > 1000 {
		return 0, "", described(CodeLifetimeSyntax, "lifetime %q: want \"session\" or a count and a unit, such as \"6 months\"", []any{"Lifetime", string(l)})
	}
	if _, known := lifetimeUnits[unit]; !known {
		return 0, "", described(CodeLifetimeUnit, "lifetime %q: unknown unit %q (use minutes, hours, days, weeks, months or years)", []any{"Lifetime", string(l), "Unit", unit})
	}
	return n, strings.TrimSuffix(unit, "s"), nil
}

// Duration is the lifetime's length; zero for a session cookie.
func (l Lifetime) Duration() (time.Duration, error) {
	n, unit, err := l.Parse()
	if err != nil || unit == string(Session) {
		return 0, err
	}
	return time.Duration(n) * lifetimeUnits[unit], nil
}

// Exceeds reports whether l is longer than max. Unparseable lifetimes do not
// exceed anything: validation reports them separately.
func (l Lifetime) Exceeds(max Lifetime) bool {
	a, err1 := l.Duration()
	b, err2 := max.Duration()
	return err1 == nil && err2 == nil && a > b
}

// Localize writes the lifetime in words: words gets the count and the
// singular unit, or (0, "session") for a session cookie, and says them in
// the reader's language (internal/i18n.Lifetimes does, from the catalogue,
// with the language's plurals). A lifetime that does not parse is written
// as it is.
func (l Lifetime) Localize(words func(n int, unit string) string) string {
	n, unit, err := l.Parse()
	if err != nil {
		return string(l)
	}
	return words(n, unit)
}
