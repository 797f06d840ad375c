// Package i18n chooses the language of a page and holds charte's own
// wording: the visitor's catalogue (catalogue.go, one file per language
// under locales/), the back office's (admin.go, locales/admin/), and
// Catalog, a small table for texts that are data rather than charte's
// wording (the demo site's own texts).
package i18n

import (
	"strings"

	"golang.org/x/text/language"
)

// Negotiate picks the language of a response among supported: an explicit
// choice (the ?lang= parameter, then the django_language cookie) wins, then
// the browser's Accept-Language preferences, then fallback. Matching is
// BCP 47's (golang.org/x/text/language): pt-BR finds pt, no finds nb,
// zh-Hans finds zh. Only supported languages are ever returned.
func Negotiate(supported []string, fallback string, explicit []string, acceptLanguage string) string {
	if len(supported) == 0 {
		return fallback
	}
	tags := make([]language.Tag, 0, len(supported))
	for _, s := range supported {
		tags = append(tags, language.Make(s))
	}
	m := language.NewMatcher(tags)
	for _, e := range explicit {
		if l := match(supported, tags, m, e); l != "" {
			return l
		}
	}
	if prefs, _, err := language.ParseAcceptLanguage(acceptLanguage); err == nil && len(prefs) > 0 {
		// A browser's preference accepts a neighbour x/text is sure of
		// (French for an Occitan reader), and a weaker match only within
		// the language itself (zh for zh-TW, sr for sr-Latn): never a
		// language picked for lack of anything better.
		got, i, c := m.Match(prefs...)
		if c >= language.High || c == language.Low && sameBase(got, prefs) {
			return supported[i]
		}
	}
	for _, s := range supported {
		if s == fallback {
			return fallback
		}
	}
	return supported[0]
}

// Match returns the language of supported that tag names, matched as an
// explicit choice is in Negotiate, or "" when it names none of them.
func Match(supported []string, tag string) string {
	tags := make([]language.Tag, 0, len(supported))
	for _, s := range supported {
		tags = append(tags, language.Make(s))
	}
	return match(supported, tags, language.NewMatcher(tags), tag)
}

// match is Match with supported's tags and matcher made already.
func match(supported []string, tags []language.Tag, m language.Matcher, e string) string {
	t, err := language.Parse(strings.TrimSpace(e))
	if err != nil || e == "" || len(tags) == 0 {
		return ""
	}
	// An explicit choice names a language: a regional variant of it (de-AT
	// for de) will do, a mere neighbour (French for Occitan, which x/text
	// rates High) will not.
	_, i, c := m.Match(t)
	want, _ := t.Base()
	got, _ := tags[i].Base()
	if c == language.Exact || (c != language.No && want == got) {
		return supported[i]
	}
	return ""
}

// Catalog is a message table of its own: message key → language → text,
// for texts that belong to data, such as the demo site's.
type Catalog map[string]map[string]string

// T returns the text of key in lang, else in English, else the key itself so
// a missing translation is visible rather than blank.
func (c Catalog) T(lang, key string) string {
	if m, ok := c[key]; ok {
		if s := m[lang]; s != "" {
			return s
		}
		if s := m["en"]; s != "" {
			return s
		}
	}
	return key
}

// sameBase reports whether a matched tag has the base language of one of
// the preferences.
func sameBase(got language.Tag, prefs []language.Tag) bool {
	b, _ := got.Base()
	for _, p := range prefs {
		if pb, _ := p.Base(); pb == b {
			return true
		}
	}
	return false
}
