package services

import (
	"fmt"
	"slices"

	"github.com/charte/charte/registry"
)

// The codes of the problems Expand reports, beside the registry's own
// (registry/codes.go), under the same rule: stable, and worded in every
// language of the back office.
const (
	CodeUnknownService       registry.Code = "service.unknown"
	CodeUndeclaredCategory   registry.Code = "service.category_undeclared"
	CodeExemptVariantOutside registry.Code = "service.exempt_variant_outside"
	CodeConsentInExempt      registry.Code = "service.consent_in_exempt"
)

// Expand returns the site with each of its services (Site.Services) turned
// into cookies from the recipe, as publishing stores it: the recipe's
// cookies filed under the service's category (the override, else the
// recipe's default), capped by the override lifetime, the extra cookies
// completed with the vendor, and each service's vendor, country, privacy
// policy, version and exemption conditions copied in. Cookies from an
// earlier expansion are replaced, so expanding an expanded site gives the
// same site with the current recipes. site itself is not modified.
//
// The error is a *registry.ValidationError whose problems name the
// services[i] field: an unknown recipe, a category the site lacks, an exempt
// variant outside an exempt category or a consent-needing service inside
// one, or a cookie another declaration already holds.
func (c *Catalogue) Expand(site *registry.Site) (*registry.Site, error) {
	out := *site
	out.Cookies = slices.DeleteFunc(slices.Clone(site.Cookies), func(k registry.Cookie) bool { return k.ServiceID != "" })
	out.Services = make([]registry.Service, len(site.Services))
	var problems registry.Problems
	bad := func(field string, code registry.Code, format string, args ...any) {
		problems = append(problems, registry.NewProblem(registry.Error, field, code, format, args...))
	}
	for i, sv := range site.Services {
		f := fmt.Sprintf("services[%d]", i)
		r, ok := c.Get(sv.ID)
		if !ok {
			bad(f+".id", CodeUnknownService, "unknown service %q: charte services list shows the catalogue", "ID", sv.ID)
			continue
		}
		cat := sv.Category
		if cat == "" {
			cat = r.Category
		}
		sc, ok := site.Category(cat)
		switch {
		case !ok:
			bad(f+".category", CodeUndeclaredCategory, "%s files its cookies under %q, a category the site does not declare: declare it, or set category: on the service", "Service", sv.ID, "Category", cat)
			continue
		case r.Exempt() && !sc.Exempt:
			bad(f+".category", CodeExemptVariantOutside, "%s runs without consent only in a category exempt from consent (statistics with exempt: true and anonymous_statistics: true); %q asks for consent, so use %s instead", "Service", sv.ID, "Category", cat, "Variant", r.Exemption.Of)
		case !r.Exempt() && sc.Exempt && cat != "necessary":
			bad(f+".category", CodeConsentInExempt, "%s needs the visitor's consent, but category %q is exempt from consent: file it under another category", "Service", sv.ID, "Category", cat)
		}
		for _, k := range r.Cookies {
			rc := r.cookie(k, cat)
			if sv.Lifetime != "" && rc.Lifetime != registry.Session && rc.Lifetime.Exceeds(sv.Lifetime) {
				rc.Lifetime = sv.Lifetime
			}
			rc.ServiceID = sv.ID
			out.Cookies = append(out.Cookies, rc)
		}
		for _, k := range sv.Cookies {
			if k.Provider == "" {
				k.Provider = r.Vendor.Name
			}
			if k.Category == "" {
				k.Category = cat
			}
			if len(k.Service) == 0 {
				k.Service = r.Name
			}
			k.ServiceID = sv.ID
			out.Cookies = append(out.Cookies, k)
		}
		e := registry.Service{ID: sv.ID, Category: cat, Lifetime: sv.Lifetime, Cookies: sv.Cookies,
			Version: r.Version, Name: r.Name, Description: r.Description, Vendor: r.Vendor.Name,
			Country: r.Vendor.Country, PrivacyPolicy: r.Vendor.PrivacyPolicy, Placeholder: r.Placeholder,
			ConsentMode: r.ConsentMode}
		if r.Exempt() {
			e.Exemption = r.Exemption.Conditions
		}
		out.Services[i] = e
	}
	if len(problems) > 0 {
		return nil, &registry.ValidationError{Problems: problems}
	}
	if err := out.Validate().Err(); err != nil {
		return nil, err
	}
	return &out, nil
}

// Outdated lists the services of a published site whose recipe has a newer
// version than the one published: publishing again would change them.
func (c *Catalogue) Outdated(site *registry.Site) []registry.Service {
	var out []registry.Service
	for _, sv := range site.Services {
		if r, ok := c.Get(sv.ID); ok && sv.Expanded() && r.Version > sv.Version {
			out = append(out, sv)
		}
	}
	return out
}
