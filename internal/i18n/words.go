package i18n

import (
	"strconv"
	"strings"
	"time"
)

// Lifetime writes a cookie lifetime in words: unit is "session" or the
// singular unit ("month"), n the count, with the language's plural.
func Lifetime(lang string, n int, unit string) string {
	if unit == "session" {
		return T(lang, "lifetime.session")
	}
	return N(lang, "lifetime."+unit, n)
}

// Lifetimes returns Lifetime in lang, in the shape registry.Lifetime's
// Localize takes.
func Lifetimes(lang string) func(n int, unit string) string {
	return func(n int, unit string) string { return Lifetime(lang, n, unit) }
}

// Date writes a day as the language writes it in running text ("1 décembre
// 2026", "1. Dezember 2026", "2026年12月1日"), in UTC.
func Date(lang string, t time.Time) string {
	t = t.UTC()
	months := strings.Split(T(lang, "date.months"), "|")
	month := strconv.Itoa(int(t.Month()))
	if len(months) == 12 {
		month = months[t.Month()-1]
	}
	return T(lang, "date.format", "Day", t.Day(), "Month", month, "Year", t.Year())
}

// List joins items with the language's separator: "list.semicolon" for
// items that may hold commas (category names), else "list.comma".
func List(lang, sep string, items []string) string {
	return strings.Join(items, T(lang, "list."+sep))
}
