package services

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/charte/charte/registry"
)

var (
	idPattern      = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`)
	countryPattern = regexp.MustCompile(`^[A-Z]{2}$`)
)

// Check verifies one recipe: its fields, its cookies through the registry's
// own validation (names, domains, lifetimes, parties, texts), purposes in
// French and English, and URL patterns that compile and match each of their
// examples. It returns every problem at once.
func (r *Recipe) Check() error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if !idPattern.MatchString(r.ID) {
		bad("id: %q is not a recipe id (lower-case letters, digits and dashes)", r.ID)
	}
	if r.Version < 1 {
		bad("version: must be 1 or more")
	}
	bothLanguages(&errs, "name", r.Name)
	bothLanguages(&errs, "description", r.Description)
	if strings.TrimSpace(r.Vendor.Name) == "" {
		bad("vendor.name: must not be empty")
	}
	if !countryPattern.MatchString(r.Vendor.Country) {
		bad("vendor.country: %q is not an ISO 3166 two-letter code such as FR or US", r.Vendor.Country)
	} else if _, known := countries[r.Vendor.Country]; !known {
		bad("vendor.country: %q has no name in the catalogue's country table (countries.go)", r.Vendor.Country)
	}
	if u, err := url.Parse(r.Vendor.PrivacyPolicy); err != nil || u.Scheme != "https" || u.Host == "" {
		bad("vendor.privacy_policy: %q is not an https URL", r.Vendor.PrivacyPolicy)
	}
	if !IsCategory(r.Category) {
		bad("category: %q is not one of %v", r.Category, Categories)
	}
	if !slices.Contains(Placeholders, r.Placeholder) {
		bad("placeholder: %q is not one of %v", r.Placeholder, Placeholders)
	}
	for _, s := range r.ConsentMode {
		if !slices.Contains(registry.ConsentModeSignals, s) {
			bad("consent_mode: unknown signal %q", s)
		}
	}
	if p := r.Site(r.Category).Validate().Err(); p != nil {
		var v *registry.ValidationError
		if errors.As(p, &v) {
			for _, pr := range v.Problems {
				bad("%s: %s", pr.Field, pr.Message)
			}
		}
	}
	for i, c := range r.Cookies {
		bothLanguages(&errs, fmt.Sprintf("cookies[%d].purpose", i), c.Purpose)
		if len(strings.TrimSuffix(c.Name, "*")) < 3 && strings.HasSuffix(c.Name, "*") {
			bad("cookies[%d].name: prefix %q is too short to name this service's cookies only", i, c.Name)
		}
	}
	for i, s := range r.Storage {
		if s.Kind != "local" && s.Kind != "session" {
			bad("storage[%d].kind: %q: write local or session", i, s.Kind)
		}
		if k := strings.TrimSuffix(s.Key, "*"); strings.TrimSpace(k) == "" || (k != s.Key && len(k) < 3) {
			bad("storage[%d].key: %q is empty or a prefix too short to name this service's keys only", i, s.Key)
		}
		bothLanguages(&errs, fmt.Sprintf("storage[%d].purpose", i), s.Purpose)
	}
	if len(r.URLs) == 0 {
		bad("urls: list at least one pattern identifying the service")
	}
	r.checkURLs(bad)
	r.checkSnippets(bad)
	if r.Exemption != nil {
		bothLanguages(&errs, "exemption.conditions", r.Exemption.Conditions)
		if r.Category != "statistics" {
			bad("exemption: only audience measurement (category statistics) can be exempt")
		}
		for i, c := range r.Cookies {
			if c.Party != registry.FirstParty || c.Lifetime.Exceeds(registry.MaxLifetime) {
				bad("cookies[%d]: an exempt variant writes first-party cookies of at most 13 months", i)
			}
		}
	}
	return errors.Join(errs...)
}

func (r *Recipe) checkURLs(bad func(string, ...any)) {
	for i, u := range r.URLs {
		if !slices.Contains(URLKinds, u.Kind) {
			bad("urls[%d].kind: %q is not one of %v", i, u.Kind, URLKinds)
		}
		if len(u.Examples) == 0 {
			bad("urls[%d].examples: give at least one URL the pattern matches", i)
		}
		one := *r
		one.URLs = []URL{u}
		ix, err := NewURLIndex([]*Recipe{&one})
		if err != nil {
			bad("urls[%d].pattern: %v", i, err)
			continue
		}
		for _, ex := range u.Examples {
			if len(ix.Match(ex)) == 0 {
				bad("urls[%d].examples: %q does not match the pattern %q", i, ex, u.Pattern)
			}
		}
	}
}

func bothLanguages(errs *[]error, field string, t registry.Text) {
	for _, lang := range []string{"fr", "en"} {
		if strings.TrimSpace(t[lang]) == "" {
			*errs = append(*errs, fmt.Errorf("%s.%s: must not be empty (recipes speak French and English)", field, lang))
		}
	}
}
