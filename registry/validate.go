package registry

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
)

// Limits keep a registry small enough for a banner and for a hostile file to
// be refused before it costs anything.
const (
	MaxCategories = 32
	MaxCookies    = 1000
	MaxText       = 4000
	MaxOrigins    = 64
)

var (
	siteIDPattern     = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`)
	categoryIDPattern = regexp.MustCompile(`^[a-z][a-z0-9_-]{0,31}$`)
	domainPattern     = regexp.MustCompile(`^\.?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)
)

// IsSiteID reports whether s has the form of a site id; a string that does
// not names no site.
func IsSiteID(s string) bool { return siteIDPattern.MatchString(s) }

// IsToken reports whether s is an RFC 6265 cookie name: an RFC 2616 token,
// printable ASCII without separators.
func IsToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= 0x20 || c >= 0x7f || strings.IndexByte("()<>@,;:\\\"/[]?={}", c) >= 0 {
			return false
		}
	}
	return true
}

// Validate checks a registry and returns every problem found; it stops at
// nothing so the operator sees all of them at once.
func (s *Site) Validate() Problems {
	v := &validator{}
	s.validateSite(v)
	if s.Theme != "" && s.Theme != ThemeDSFR {
		v.errorf("theme", CodeThemeUnknown, "unknown theme %q: leave it out for charte's own look, or write %q", "Theme", s.Theme, "Known", ThemeDSFR)
	}
	switch {
	case s.Blocking != "" && s.Blocking != BlockingObserve:
		v.errorf("blocking", CodeBlockingUnknown, "unknown blocking %q: leave it out, or write %q for the banner to hold back the services' tags the page adds after it", "Blocking", s.Blocking, "Known", BlockingObserve)
	case s.Blocking == BlockingObserve && len(s.Services) == 0:
		v.warnf("blocking", CodeBlockingNoService, "the banner blocks the tags of the site's services, and the registry names none (services:): nothing is blocked")
	}
	cats := map[string]bool{}
	for i, c := range s.Categories {
		s.validateCategory(v, i, c, cats)
		cats[c.ID] = true
	}
	seen := map[string]int{}
	for i, c := range s.Cookies {
		s.validateCookie(v, fmt.Sprintf("cookies[%d]", i), c, cats, false)
		key := c.Name + "\x00" + strings.ToLower(strings.TrimPrefix(c.Domain, "."))
		if j, dup := seen[key]; dup {
			v.errorf(fmt.Sprintf("cookies[%d].name", i), CodeCookieDuplicate, "cookie %q on domain %q is already declared as %s", "Name", c.Name, "Domain", c.Domain, "Declared", fmt.Sprintf("cookies[%d]", j))
		} else {
			seen[key] = i
		}
	}
	s.validateServices(v, cats)
	s.validateTranslations(v)
	return v.problems
}

type validator struct{ problems Problems }

// errorf and warnf report a problem of code at field; args are pairs of
// argument name and value, one for each verb of format (NewProblem).
func (v *validator) errorf(field string, code Code, format string, args ...any) {
	v.add(Error, field, described(code, format, args))
}

func (v *validator) warnf(field string, code Code, format string, args ...any) {
	v.add(Warning, field, described(code, format, args))
}

// add reports a problem described already: the error of a check shared
// with other packages (checkText, Lifetime.parse).
func (v *validator) add(severity Severity, field string, d *description) {
	v.problems = append(v.problems, d.problem(severity, field))
}

// str checks the characters of a free string field (CheckText); the other
// checks of the field (empty, length, syntax) stay with the field.
func (v *validator) str(field, s string, multiline bool) {
	if err := checkText(s, multiline); err != nil {
		v.add(Error, field, err)
	}
}

// text checks a translated text. Names are one line; descriptions, purposes
// and services may be written as YAML blocks over several lines.
func (v *validator) text(field string, t Text, required string, multiline bool) {
	for lang, s := range t {
		if !slices.Contains(Languages, lang) {
			v.errorf(field+"."+lang, CodeLanguageUnknown, "unknown language %q (use one of %s)", "Language", lang, "Known", strings.Join(Languages, ", "))
		}
		if len(s) > MaxText {
			v.errorf(field+"."+lang, CodeTextTooLong, "text is %d bytes long, more than %d", "Length", len(s), "Max", MaxText)
		}
		v.str(field+"."+lang, s, multiline)
	}
	if required != "" && strings.TrimSpace(t[required]) == "" {
		v.errorf(field+"."+required, CodeTextRequired, "must not be empty in the site's default language (%s)", "Language", required)
	}
}

func (s *Site) validateSite(v *validator) {
	if !siteIDPattern.MatchString(s.ID) {
		v.errorf("id", CodeSiteID, "%q is not a site id: use lower-case letters, digits and dashes, at most 63", "ID", s.ID)
	}
	if strings.TrimSpace(s.Name) == "" {
		v.errorf("name", CodeEmpty, "must not be empty")
	} else if len(s.Name) > 200 {
		v.errorf("name", CodeTooLong, "is longer than %d bytes", "Max", 200)
	}
	v.str("name", s.Name, false)
	v.str("url", s.URL, false)
	if s.URL != "" {
		if u, err := url.Parse(s.URL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			v.errorf("url", CodeURLInvalid, "%q is not an http(s) URL", "URL", s.URL)
		}
	}
	if len(s.Origins) > MaxOrigins {
		v.errorf("origins", CodeOriginsTooMany, "%d origins, more than %d", "Count", len(s.Origins), "Max", MaxOrigins)
	}
	for i, o := range s.Origins {
		v.str(fmt.Sprintf("origins[%d]", i), o, false)
		if u, err := url.Parse(o); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.Path != "" || u.RawQuery != "" {
			v.errorf(fmt.Sprintf("origins[%d]", i), CodeOriginInvalid, "%q is not an origin such as https://www.example.org", "Origin", o)
		}
	}
	if len(s.Languages) == 0 {
		v.errorf("languages", CodeLanguagesEmpty, "list at least one language (%s)", "Known", strings.Join(Languages, ", "))
	}
	for i, l := range s.Languages {
		if !slices.Contains(Languages, l) {
			v.errorf(fmt.Sprintf("languages[%d]", i), CodeLanguageUnknown, "unknown language %q (use one of %s)", "Language", l, "Known", strings.Join(Languages, ", "))
		}
	}
	if !slices.Contains(s.Languages, s.DefaultLanguage) {
		v.errorf("default_language", CodeDefaultLanguage, "%q must be one of the site's languages [%s]", "Language", s.DefaultLanguage, "Languages", strings.Join(s.Languages, " "))
	}
	if s.ChoiceLifetime != "" {
		if _, _, err := s.ChoiceLifetime.parse(); err != nil {
			v.add(Error, "choice_lifetime", err)
		} else if s.ChoiceLifetime == Session || s.ChoiceLifetime.Exceeds(MaxLifetime) {
			v.errorf("choice_lifetime", CodeChoiceLifetime, "%q: the choice must be kept for a duration of at most 13 months", "Lifetime", string(s.ChoiceLifetime))
		}
	}
	if s.CookieDomain != "" && !domainPattern.MatchString(s.CookieDomain) {
		v.errorf("cookie_domain", CodeDomainInvalid, "%q is not a domain name", "Domain", s.CookieDomain)
	}
	for lang, b := range s.Banner {
		if !slices.Contains(Languages, lang) {
			v.errorf("banner."+lang, CodeBannerLanguage, "unknown language %q", "Language", lang)
		}
		// Each text is named on its own, so a form shows the error beside
		// the input at fault.
		for _, f := range [...]struct{ part, text string }{{"title", b.Title}, {"message", b.Message}} {
			if len(f.text) > MaxText {
				v.errorf("banner."+lang+"."+f.part, CodeTextTooLong, "text is %d bytes long, more than %d", "Length", len(f.text), "Max", MaxText)
			}
		}
		v.str("banner."+lang+".title", b.Title, false)
		v.str("banner."+lang+".message", b.Message, true)
	}
	if s.ConsentMode != nil {
		for cat, signals := range s.ConsentMode.Mapping {
			if _, ok := s.Category(cat); !ok {
				v.errorf("consent_mode.mapping."+cat, CodeCategoryUnknown, "unknown category %q", "Category", cat)
			}
			for _, sig := range signals {
				if !slices.Contains(ConsentModeSignals, sig) {
					v.errorf("consent_mode.mapping."+cat, CodeConsentModeSignal, "unknown Consent Mode signal %q", "Signal", sig)
				}
			}
		}
	}
	if len(s.Categories) == 0 {
		v.errorf("categories", CodeCategoriesEmpty, "declare at least the \"necessary\" category")
	}
	if len(s.Categories) > MaxCategories {
		v.errorf("categories", CodeCategoriesTooMany, "%d categories, more than %d", "Count", len(s.Categories), "Max", MaxCategories)
	}
	if len(s.Cookies) > MaxCookies {
		v.errorf("cookies", CodeCookiesTooMany, "%d cookies, more than %d", "Count", len(s.Cookies), "Max", MaxCookies)
	}
}

func (s *Site) validateCategory(v *validator, i int, c Category, seen map[string]bool) {
	f := fmt.Sprintf("categories[%d]", i)
	if !categoryIDPattern.MatchString(c.ID) {
		v.errorf(f+".id", CodeCategoryID, "%q is not a category id: lower-case letters, digits, _ and -", "ID", c.ID)
	}
	if seen[c.ID] {
		v.errorf(f+".id", CodeCategoryDuplicate, "category %q is declared twice", "ID", c.ID)
	}
	v.text(f+".name", c.Name, s.DefaultLanguage, false)
	v.text(f+".description", c.Description, "", true)
	switch {
	case c.AnonymousStatistics && c.ID != "statistics":
		v.errorf(f+".anonymous_statistics", CodeCategoryAnonymousOnlyStat, "only the \"statistics\" category can be declared anonymous audience measurement")
	case c.Exempt && c.ID == "statistics" && !c.AnonymousStatistics:
		v.errorf(f+".exempt", CodeCategoryStatisticsExempt, "statistics are exempt from consent only when you declare anonymous_statistics: true (the CNIL conditions are met)")
	case c.Exempt && c.ID != "necessary" && c.ID != "statistics":
		v.errorf(f+".exempt", CodeCategoryExempt, "only \"necessary\" cookies and declared anonymous \"statistics\" are exempt from consent, not %q", "ID", c.ID)
	case c.ID == "necessary" && !c.Exempt:
		v.warnf(f+".exempt", CodeCategoryNecessaryConsent, "necessary cookies are normally exempt from consent; the banner will ask about them")
	}
}

// validateCookie checks one cookie at field f. A service's extra cookie
// (ofService) may leave its provider and category empty: publishing fills
// them from the service's recipe.
func (s *Site) validateCookie(v *validator, f string, c Cookie, cats map[string]bool, ofService bool) {
	if !IsToken(c.BaseName()) || strings.Contains(c.BaseName(), "*") {
		v.errorf(f+".name", CodeCookieName, "%q is not a valid cookie name (an RFC 6265 token, with an optional trailing * for a prefix)", "Name", c.Name)
	}
	if ofService && c.Provider == "" {
		// filled from the recipe
	} else if strings.TrimSpace(c.Provider) == "" {
		v.errorf(f+".provider", CodeEmpty, "must not be empty")
	} else if len(c.Provider) > 200 {
		v.errorf(f+".provider", CodeTooLong, "is longer than %d bytes", "Max", 200)
	}
	v.str(f+".provider", c.Provider, false)
	if c.Domain != "" && !domainPattern.MatchString(c.Domain) {
		v.errorf(f+".domain", CodeDomainInvalid, "%q is not a domain name", "Domain", c.Domain)
	}
	v.text(f+".service", c.Service, "", true)
	v.text(f+".purpose", c.Purpose, s.DefaultLanguage, true)
	if !cats[c.Category] && !(ofService && c.Category == "") {
		if _, later := s.Category(c.Category); !later {
			v.errorf(f+".category", CodeCategoryUnknown, "unknown category %q", "Category", c.Category)
		}
	}
	if _, _, err := c.Lifetime.parse(); err != nil {
		v.add(Error, f+".lifetime", err)
	} else if s.NeedsConsent(c.Category) && c.Lifetime.Exceeds(MaxLifetime) {
		v.warnf(f+".lifetime", CodeCookieLifetimeLong, "%q is longer than the 13 months the CNIL recommends for a cookie needing consent", "Lifetime", string(c.Lifetime))
	}
	if c.Party != FirstParty && c.Party != ThirdParty {
		v.errorf(f+".party", CodeCookieParty, "%q: write \"first\" or \"third\"", "Party", string(c.Party))
	}
}
