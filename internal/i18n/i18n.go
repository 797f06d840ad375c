// Package i18n chooses the language of a page and holds charte's own
// wording in French and English.
package i18n

import (
	"slices"
	"strconv"
	"strings"
)

// Negotiate picks the language of a response: an explicit choice (the ?lang=
// parameter, then the django_language cookie) wins, then the browser's
// Accept-Language preferences, then fallback. Only supported languages are
// ever returned.
func Negotiate(supported []string, fallback string, explicit []string, acceptLanguage string) string {
	for _, l := range explicit {
		if l = strings.ToLower(strings.TrimSpace(l)); slices.Contains(supported, l) {
			return l
		}
	}
	best, bestQ := "", 0.0
	for _, part := range strings.Split(acceptLanguage, ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				q = f
			}
		}
		base, _, _ := strings.Cut(strings.ToLower(tag), "-")
		if q > bestQ && slices.Contains(supported, base) {
			best, bestQ = base, q
		}
	}
	if best != "" {
		return best
	}
	if slices.Contains(supported, fallback) || len(supported) == 0 {
		return fallback
	}
	return supported[0]
}

// Catalog is charte's wording: message key → language → text.
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
