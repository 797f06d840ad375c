// Package registry describes a site's cookies: the one declaration from which
// charte renders the charter, configures the banner and enforces choices.
//
// It knows nothing of storage or HTTP, so other Go programs can import it to
// read and validate a charte registry file.
package registry

import "strings"

// Languages charte speaks to visitors: a site may list any of them. Every
// text of charte's own exists in each (internal/i18n/locales, one file per
// language; a test keeps the two lists equal). They are the 24 official
// languages of the EU, the regional languages of France and Spain's public
// sites, and those of large visitor groups.
var Languages = []string{
	"ar", "bg", "br", "ca", "co", "cs", "da", "de", "el", "en", "es", "et", "eu", "fa", "fi",
	"fr", "ga", "gl", "he", "hr", "hu", "is", "it", "ja", "ko", "lt", "lv", "mt", "nb", "nl",
	"oc", "pl", "pt", "ro", "ru", "sk", "sl", "sq", "sr", "sv", "tr", "uk", "vi", "zh",
}

// Text is a string per language code ("fr", "en").
type Text map[string]string

// In returns the text in lang, falling back to fallback, then to any language,
// so a visitor never sees an empty cell because one translation is missing.
func (t Text) In(lang, fallback string) string {
	if s := t[lang]; s != "" {
		return s
	}
	if s := t[fallback]; s != "" {
		return s
	}
	for _, l := range Languages {
		if s := t[l]; s != "" {
			return s
		}
	}
	return ""
}

// Party says whether a cookie is set by the visited site or by someone else.
type Party string

const (
	FirstParty Party = "first"
	ThirdParty Party = "third"
)

// Site is one website's registry: what it stores in browsers and why.
type Site struct {
	ID              string   `json:"id" yaml:"id"`
	Name            string   `json:"name" yaml:"name"`
	URL             string   `json:"url,omitempty" yaml:"url,omitempty"`
	Origins         []string `json:"origins,omitempty" yaml:"origins,omitempty"`
	DefaultLanguage string   `json:"default_language" yaml:"default_language"`
	Languages       []string `json:"languages" yaml:"languages"`
	// ChoiceLifetime is how long the visitor's choice is kept before the banner
	// asks again (CNIL: 6 months recommended, 13 at most).
	ChoiceLifetime Lifetime `json:"choice_lifetime,omitempty" yaml:"choice_lifetime,omitempty"`
	// CookieDomain is the Domain attribute of cookies_preferences, for a choice
	// shared by subdomains; empty means the visited host only.
	CookieDomain string `json:"cookie_domain,omitempty" yaml:"cookie_domain,omitempty"`
	// IgnoreGPC turns off treating Global Privacy Control as a refusal. The
	// zero value respects GPC, which is the safe default.
	IgnoreGPC   bool                  `json:"ignore_gpc,omitempty" yaml:"ignore_gpc,omitempty"`
	ConsentMode *ConsentMode          `json:"consent_mode,omitempty" yaml:"consent_mode,omitempty"`
	Banner      map[string]BannerText `json:"banner,omitempty" yaml:"banner,omitempty"`
	Categories  []Category            `json:"categories" yaml:"categories"`
	Cookies     []Cookie              `json:"cookies" yaml:"cookies"`
	// Services are ready-made services of charte's catalogue; publishing
	// adds their cookies to Cookies (see Service).
	Services []Service `json:"services,omitempty" yaml:"services,omitempty"`
	// Theme is the banner's markup: empty for charte's own look, ThemeDSFR
	// for the French state design system's consent manager.
	Theme string `json:"theme,omitempty" yaml:"theme,omitempty"`
	// Blocking is BlockingObserve when the banner itself blocks the tags of
	// the site's services that the page adds after it, for sites not
	// served through charte proxy; empty, the page gates its tags itself
	// (or the proxy does).
	Blocking string `json:"blocking,omitempty" yaml:"blocking,omitempty"`
}

// BlockingObserve is the Blocking of a site whose banner watches the page
// and holds back its services' scripts and frames until consent.
const BlockingObserve = "observe"

// ThemeDSFR is the theme of the DSFR (système de design de l'État): the
// banner and its dialog use its consent manager's classes and anatomy.
const ThemeDSFR = "dsfr"

// BannerText overrides the banner's default wording in one language.
type BannerText struct {
	Title   string `json:"title,omitempty" yaml:"title,omitempty"`
	Message string `json:"message,omitempty" yaml:"message,omitempty"`
}

// ConsentMode maps categories to Google Consent Mode v2 signals.
type ConsentMode struct {
	Enabled bool                `json:"enabled" yaml:"enabled"`
	Mapping map[string][]string `json:"mapping,omitempty" yaml:"mapping,omitempty"`
}

// ConsentModeSignals are the Consent Mode v2 storage types a category may grant.
var ConsentModeSignals = []string{
	"ad_storage", "ad_user_data", "ad_personalization", "analytics_storage",
	"functionality_storage", "personalization_storage", "security_storage",
}

// DefaultConsentModeMapping is the mapping compliance.md recommends.
func DefaultConsentModeMapping() map[string][]string {
	return map[string][]string{
		"statistics":  {"analytics_storage"},
		"marketing":   {"ad_storage", "ad_user_data", "ad_personalization"},
		"preferences": {"functionality_storage", "personalization_storage"},
	}
}

// Category groups cookies that share a purpose and a consent rule.
type Category struct {
	ID          string `json:"id" yaml:"id"`
	Name        Text   `json:"name" yaml:"name"`
	Description Text   `json:"description,omitempty" yaml:"description,omitempty"`
	// Exempt means no consent is needed: always for "necessary"; for
	// "statistics" only when AnonymousStatistics is declared too.
	Exempt bool `json:"exempt,omitempty" yaml:"exempt,omitempty"`
	// AnonymousStatistics is the operator's statement that the CNIL
	// conditions for consent-free audience measurement are met.
	AnonymousStatistics bool `json:"anonymous_statistics,omitempty" yaml:"anonymous_statistics,omitempty"`
}

// Cookie is one declared cookie (or family of cookies sharing a prefix).
type Cookie struct {
	// Name is exact, or a prefix written with a trailing star: "_pk_id*".
	Name     string `json:"name" yaml:"name"`
	Provider string `json:"provider" yaml:"provider"`
	// Service is the charter's "service and location" column.
	Service  Text     `json:"service,omitempty" yaml:"service,omitempty"`
	Domain   string   `json:"domain,omitempty" yaml:"domain,omitempty"`
	Purpose  Text     `json:"purpose" yaml:"purpose"`
	Category string   `json:"category" yaml:"category"`
	Lifetime Lifetime `json:"lifetime" yaml:"lifetime"`
	Party    Party    `json:"party" yaml:"party"`
	// ServiceID names the service of Site.Services this cookie comes from:
	// set by publishing, which replaces such cookies on every expansion.
	ServiceID string `json:"service_id,omitempty" yaml:"service_id,omitempty"`
}

// IsPrefix reports whether the cookie declares a family of names.
func (c Cookie) IsPrefix() bool { return strings.HasSuffix(c.Name, "*") }

// BaseName is the name without the prefix star.
func (c Cookie) BaseName() string { return strings.TrimSuffix(c.Name, "*") }

// Category returns the category with that id.
func (s *Site) Category(id string) (Category, bool) {
	for _, c := range s.Categories {
		if c.ID == id {
			return c, true
		}
	}
	return Category{}, false
}

// NeedsConsent reports whether cookies of that category need the visitor's
// consent. An unknown category needs consent: the safe answer.
func (s *Site) NeedsConsent(category string) bool {
	c, ok := s.Category(category)
	return !ok || !c.Exempt
}

// ConsentCategories lists the ids of categories the banner must ask about,
// in registry order.
func (s *Site) ConsentCategories() []string {
	var ids []string
	for _, c := range s.Categories {
		if !c.Exempt {
			ids = append(ids, c.ID)
		}
	}
	return ids
}

// CookiesIn lists the cookies of one category, in registry order.
func (s *Site) CookiesIn(category string) []Cookie {
	var out []Cookie
	for _, c := range s.Cookies {
		if c.Category == category {
			out = append(out, c)
		}
	}
	return out
}

// Providers lists the distinct third-party providers, in registry order: the
// charter's list of partners.
func (s *Site) Providers() []string {
	seen := map[string]bool{}
	var out []string
	for _, c := range s.Cookies {
		if c.Party == ThirdParty && !seen[c.Provider] {
			seen[c.Provider] = true
			out = append(out, c.Provider)
		}
	}
	return out
}

// Lifetime of the visitor's choice, with the CNIL's 6 months by default.
func (s *Site) ChoiceDuration() Lifetime {
	if s.ChoiceLifetime == "" {
		return "6 months"
	}
	return s.ChoiceLifetime
}

// ConsentModeMapping returns the configured mapping, or the default one.
func (s *Site) ConsentModeMapping() map[string][]string {
	if s.ConsentMode != nil && len(s.ConsentMode.Mapping) > 0 {
		return s.ConsentMode.Mapping
	}
	return DefaultConsentModeMapping()
}
