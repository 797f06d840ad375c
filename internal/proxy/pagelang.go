package proxy

import (
	"html"
	"net/url"
	"strings"
	"sync/atomic"

	"github.com/charte/charte/internal/i18n"
)

// bannerTag is the element the proxy puts in a page to load the banner,
// with the page's CSP nonce when it has one (cspNonce).
func bannerTag(src, nonce string) []byte {
	if nonce != "" {
		return []byte(`<script src="` + html.EscapeString(src) + `" nonce="` + html.EscapeString(nonce) + `" defer></script>`)
	}
	return []byte(`<script src="` + html.EscapeString(src) + `" defer></script>`)
}

// langTag is the banner's tag naming lang. Without a nonce it is the last
// one made when that was for the same banner and language (a site's pages
// nearly all name the same one): making it parses the URL and escapes it,
// several allocations for every page. The tag is shared: read it only.
func langTag(banner, lang, nonce string) []byte {
	if nonce != "" {
		return bannerTag(withLang(banner, lang), nonce)
	}
	if last := lastTag.Load(); last != nil && last.banner == banner && last.lang == lang {
		return last.tag
	}
	tag := bannerTag(withLang(banner, lang), "")
	lastTag.Store(&tagAnswer{banner, lang, tag})
	return tag
}

var lastTag atomic.Pointer[tagAnswer]

type tagAnswer struct {
	banner, lang string
	tag          []byte
}

// pageLang is the site's language a page's <html lang> names, matched as
// banner.js?lang= is (BCP 47: de-AT gives de, no gives nb), or "" when it
// names none of them or is not a language tag at all. Only a language of
// langs comes out, so nothing of the page's value reaches the tag.
func pageLang(value string, langs []string) string {
	value = strings.TrimSpace(value)
	if value == "" || len(value) > 35 || len(langs) < 2 { // 35: BCP 47's longest useful tag
		return "" // one language: the plain tag gives it already
	}
	m := matcherFor(langs)
	if last := lastLang.Load(); last != nil && last.m == m && last.value == value {
		return last.lang
	}
	lang := m.Match(value)
	lastLang.Store(&langAnswer{m, value, lang})
	return lang
}

// lastLang is the last answer pageLang gave: a site's pages nearly all
// name the same language, and matching it (golang.org/x/text's matcher)
// was 2 % of a proxied request's CPU time (BENCHMARKS.md).
var lastLang atomic.Pointer[langAnswer]

type langAnswer struct {
	m           *i18n.Matcher
	value, lang string
}

// lastMatcher is the matcher of the languages last asked for: a site's
// pages all ask with the same ones, and building it anew for each page
// was 7% of a proxied request's CPU time (BENCHMARKS.md).
var lastMatcher atomic.Pointer[i18n.Matcher]

// matcherFor returns a matcher for langs, the last one when it was made
// for the same languages (a changed configuration makes a new one).
func matcherFor(langs []string) *i18n.Matcher {
	if m := lastMatcher.Load(); m != nil && m.For(langs) {
		return m
	}
	m := i18n.NewMatcher(langs)
	lastMatcher.Store(m)
	return m
}

// withLang is the banner URL naming lang, unless it names one already (an
// operator's --banner-url fixing the language).
func withLang(banner, lang string) string {
	u, err := url.Parse(banner)
	if err != nil || u.Query().Has("lang") {
		return banner
	}
	sep := "?"
	if strings.Contains(banner, "?") {
		sep = "&"
	}
	return banner + sep + "lang=" + url.QueryEscape(lang)
}
