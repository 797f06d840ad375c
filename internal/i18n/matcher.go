package i18n

import (
	"slices"

	"golang.org/x/text/language"
)

// Matcher is Match for one list of languages, made once: building x/text's
// matcher costs more than scanning a page's whole head, so a caller that
// matches often (the proxy, for every page's <html lang>) keeps one.
// It is safe for concurrent use.
type Matcher struct {
	supported []string
	tags      []language.Tag
	m         language.Matcher
}

// NewMatcher makes a Matcher for supported, which it copies.
func NewMatcher(supported []string) *Matcher {
	supported = slices.Clone(supported)
	tags := make([]language.Tag, 0, len(supported))
	for _, s := range supported {
		tags = append(tags, language.Make(s))
	}
	return &Matcher{supported: supported, tags: tags, m: language.NewMatcher(tags)}
}

// Match is Match(supported, tag) for the Matcher's languages.
func (m *Matcher) Match(tag string) string { return match(m.supported, m.tags, m.m, tag) }

// For tells whether the Matcher was made for exactly these languages.
func (m *Matcher) For(supported []string) bool { return slices.Equal(m.supported, supported) }
