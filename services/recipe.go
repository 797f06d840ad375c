// Package services is charte's catalogue of ready-made service recipes: for
// each third-party service a site may embed (a video player, an audience
// measurement tool, a map, a chat…), the cookies and storage keys it writes,
// the URLs that identify it, its vendor and the placeholder its embeds need.
//
// Recipes are data files (recipes/*.yaml) embedded in the binary, so adding
// a service is adding a file, and the catalogue's test checks every file.
// The package knows no storage and no HTTP; it imports only the registry,
// whose validation recipes pass.
package services

import (
	"slices"

	"github.com/charte/charte/registry"
)

// Recipe describes one service as the catalogue ships it.
type Recipe struct {
	ID string `json:"id" yaml:"id"`
	// Version grows when the recipe's facts change; a site keeps the version
	// it published until it publishes again.
	Version     int           `json:"version" yaml:"version"`
	Name        registry.Text `json:"name" yaml:"name"`
	Description registry.Text `json:"description" yaml:"description"`
	Vendor      Vendor        `json:"vendor" yaml:"vendor"`
	// Category is the default category: necessary, statistics, preferences
	// or marketing. A registry may override it.
	Category string `json:"category" yaml:"category"`
	// Placeholder is the kind of placeholder blocked embeds show.
	Placeholder string `json:"placeholder" yaml:"placeholder"`
	// ConsentMode lists the Google Consent Mode v2 signals the service reads.
	ConsentMode []string  `json:"consent_mode,omitempty" yaml:"consent_mode,omitempty"`
	Cookies     []Cookie  `json:"cookies,omitempty" yaml:"cookies,omitempty"`
	Storage     []Storage `json:"storage,omitempty" yaml:"storage,omitempty"`
	URLs        []URL     `json:"urls" yaml:"urls"`
	// Snippets are the loader snippets sites paste inline, by which the
	// proxy recognises the service in a page's inline scripts.
	Snippets  []Snippet  `json:"snippets,omitempty" yaml:"snippets,omitempty"`
	Exemption *Exemption `json:"exemption,omitempty" yaml:"exemption,omitempty"`
}

// Vendor is who receives the data: the legal entity, its country (ISO 3166
// alpha-2) and its privacy policy.
type Vendor struct {
	Name          string `json:"name" yaml:"name"`
	Country       string `json:"country" yaml:"country"`
	PrivacyPolicy string `json:"privacy_policy" yaml:"privacy_policy"`
}

// Cookie is one cookie the service writes. Name is exact or a prefix with a
// trailing star, as in a registry.
type Cookie struct {
	Name     string            `json:"name" yaml:"name"`
	Domain   string            `json:"domain,omitempty" yaml:"domain,omitempty"`
	Lifetime registry.Lifetime `json:"lifetime" yaml:"lifetime"`
	Party    registry.Party    `json:"party" yaml:"party"`
	Purpose  registry.Text     `json:"purpose" yaml:"purpose"`
}

// Storage is one localStorage or sessionStorage key (exact or "prefix*").
type Storage struct {
	Key     string        `json:"key" yaml:"key"`
	Kind    string        `json:"kind" yaml:"kind"` // "local" or "session"
	Purpose registry.Text `json:"purpose" yaml:"purpose"`
}

// URL is one pattern identifying the service's scripts, frames, images or
// requests, with example URLs the pattern must match (the test checks them).
type URL struct {
	Kind     string   `json:"kind" yaml:"kind"` // script, iframe, image or request
	Pattern  string   `json:"pattern" yaml:"pattern"`
	Examples []string `json:"examples" yaml:"examples"`
}

// Exemption marks a variant that may run without consent under the CNIL's
// audience-measurement exemption (deliberation 2020-092, updated July 2025),
// provided the operator meets the conditions it states; they go on the
// charter. Of is the id of the variant that needs consent.
type Exemption struct {
	Of         string        `json:"of" yaml:"of"`
	Conditions registry.Text `json:"conditions" yaml:"conditions"`
}

// Categories a recipe may default to: charte's standard ones.
var Categories = []string{"necessary", "statistics", "preferences", "marketing"}

// Placeholders are the kinds of placeholder a blocked embed can show.
var Placeholders = []string{"none", "video", "audio", "map", "document", "social", "form", "chat", "captcha", "generic"}

// URLKinds are the kinds of URL a recipe names.
var URLKinds = []string{"script", "iframe", "image", "request"}

// Exempt reports whether the recipe is an exempt variant.
func (r *Recipe) Exempt() bool { return r.Exemption != nil }

// IsCategory reports whether c is one of the standard categories.
func IsCategory(c string) bool { return slices.Contains(Categories, c) }
