package scan

import (
	"strings"

	"github.com/charte/charte/registry"
	"github.com/charte/charte/services"
)

// Where a classification came from, most trusted first.
const (
	SourceRegistry = "registry"  // the site's own registry declares it
	SourceBuiltin  = "builtin"   // charte's list of well-known cookies
	SourceService  = "service"   // a recipe of charte's service catalogue
	SourceCookieDB = "cookie-db" // the Open Cookie Database given by --cookie-db
	SourceUnknown  = "unknown"
)

// Class is what the scanner knows about one observed cookie or storage key.
type Class struct {
	Source   string `json:"source"`
	Vendor   string `json:"vendor,omitempty"`
	Category string `json:"category,omitempty"`
	// Declared is the registry entry's name (maybe a "prefix*") when Source
	// is "registry"; DeclaredLifetime its lifetime.
	Declared string `json:"declared,omitempty"`
	// Known is the built-in entry's name (maybe a "prefix*") when Source is
	// "builtin", so a registry draft declares "_pk_id*" rather than one
	// visitor's "_pk_id.1.abcd".
	Known            string            `json:"known,omitempty"`
	DeclaredLifetime registry.Lifetime `json:"declared_lifetime,omitempty"`
	// Purpose is known for registry and built-in entries; it seeds the
	// registry draft of --emit-registry.
	Purpose registry.Text `json:"purpose,omitempty"`
	// NeedsConsent is decided by the site's categories when there is a
	// registry, else by charte's defaults (only "necessary" is exempt).
	NeedsConsent bool `json:"needs_consent"`
	// Service is the catalogue recipe the cookie belongs to: the service
	// the registry declares it under, else the recipe declaring that name
	// on that domain (charte services show ID), else empty.
	Service string `json:"service,omitempty"`
}

// Classifier holds what classification consults, in order: the site's
// registry, the built-in list, the optional cookie database.
type Classifier struct {
	Site *registry.Site // nil when scanning without a registry
	DB   *CookieDB      // nil without --cookie-db
}

// Classify names the cookie's vendor and category. The registry always wins,
// so an operator who declares "sessionid" never sees it reported as
// Instagram's because a database says so.
func (c Classifier) Classify(name, domain string) Class {
	if c.Site != nil {
		if d, ok := c.Site.Match(name, domain); ok {
			return Class{
				Source: SourceRegistry, Vendor: d.Provider, Category: d.Category,
				Declared: d.Name, DeclaredLifetime: d.Lifetime, Purpose: d.Purpose,
				NeedsConsent: c.Site.NeedsConsent(d.Category), Service: cmpOr(d.ServiceID, recipeOf(name, domain)),
			}
		}
	}
	if k, ok := lookupKnown(name, domain); ok {
		return Class{Source: SourceBuiltin, Known: k.Name, Vendor: k.Vendor, Category: k.Category, Purpose: k.Purpose,
			NeedsConsent: c.needsConsent(k.Category), Service: recipeOf(name, domain)}
	}
	if rs := services.Builtin().MatchCookie(name, domain); len(rs) > 0 {
		r := rs[0]
		cl := Class{Source: SourceService, Vendor: r.Vendor.Name, Category: r.Category, NeedsConsent: c.needsConsent(r.Category), Service: r.ID}
		for _, k := range r.Cookies {
			if k.Name == name || (strings.HasSuffix(k.Name, "*") && strings.HasPrefix(name, strings.TrimSuffix(k.Name, "*"))) {
				cl.Known, cl.Purpose = k.Name, k.Purpose
				break
			}
		}
		return cl
	}
	if e, ok := c.DB.Lookup(name, domain); ok {
		vendor := e.Platform
		if vendor == "" {
			vendor = e.Controller
		}
		return Class{Source: SourceCookieDB, Vendor: vendor, Category: e.Category, NeedsConsent: c.needsConsent(e.Category)}
	}
	return Class{Source: SourceUnknown, NeedsConsent: true}
}

// recipeOf names the catalogue recipe declaring the cookie, or "".
func recipeOf(name, domain string) string {
	if rs := services.Builtin().MatchCookie(name, domain); len(rs) > 0 {
		return rs[0].ID
	}
	return ""
}

// needsConsent applies the site's own rule for a category it defines (so a
// site declaring anonymous statistics exempt keeps that), and otherwise the
// law's default: only strictly necessary storage is exempt.
func (c Classifier) needsConsent(category string) bool {
	if c.Site != nil {
		if _, ok := c.Site.Category(category); ok {
			return c.Site.NeedsConsent(category)
		}
	}
	return category != catNecessary
}
