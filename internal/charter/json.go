package charter

import (
	"encoding/json"
	"io"
)

// document is the JSON form of a charter in one language: what the HTML page
// shows, for integrators who render it themselves.
type document struct {
	Site        string         `json:"site"`
	Name        string         `json:"name"`
	Lang        string         `json:"lang"`
	Revision    string         `json:"revision"`
	PublishedAt string         `json:"published_at,omitempty"`
	Categories  []jsonCategory `json:"categories"`
	Partners    []string       `json:"partners"`
}

type jsonCategory struct {
	ID           string        `json:"id"`
	Name         string        `json:"name"`
	Description  string        `json:"description,omitempty"`
	NeedsConsent bool          `json:"needs_consent"`
	Services     []jsonService `json:"services,omitempty"`
	Cookies      []jsonCookie  `json:"cookies"`
}

type jsonService struct {
	ID            string `json:"id"`
	Name          string `json:"name"`
	Description   string `json:"description,omitempty"`
	Vendor        string `json:"vendor,omitempty"`
	Country       string `json:"country,omitempty"` // ISO 3166 code
	CountryName   string `json:"country_name,omitempty"`
	PrivacyPolicy string `json:"privacy_policy,omitempty"`
	Version       int    `json:"version,omitempty"`
	Exemption     string `json:"exemption,omitempty"`
}

type jsonCookie struct {
	Name     string `json:"name"`
	Prefix   bool   `json:"prefix"`
	Domain   string `json:"domain,omitempty"`
	Provider string `json:"provider"`
	Service  string `json:"service"`
	Purpose  string `json:"purpose"`
	Lifetime string `json:"lifetime"`
	Party    string `json:"party"`
}

// RenderJSON writes the charter in one language as JSON.
func RenderJSON(w io.Writer, p Page) error {
	v := newView(p)
	d := document{Site: p.Site.ID, Name: v.SiteName, Lang: v.Lang, Revision: v.Revision,
		PublishedAt: v.PublishedAt, Partners: v.Partners, Categories: []jsonCategory{}}
	if d.Partners == nil {
		d.Partners = []string{}
	}
	for _, c := range v.Categories {
		jc := jsonCategory{ID: c.ID, Name: c.Name, Description: c.Description, NeedsConsent: c.NeedsConsent, Cookies: []jsonCookie{}}
		for _, sv := range c.Services {
			jc.Services = append(jc.Services, jsonService{ID: sv.ID, Name: sv.Name, Description: sv.Description,
				Vendor: sv.Vendor, Country: sv.CountryCode, CountryName: sv.Country, PrivacyPolicy: sv.PrivacyPolicy,
				Version: sv.Version, Exemption: sv.Exemption})
		}
		for _, k := range c.Cookies {
			party := "first"
			if k.ThirdParty {
				party = "third"
			}
			jc.Cookies = append(jc.Cookies, jsonCookie{Name: k.Name, Prefix: k.Prefix, Domain: k.Domain,
				Provider: k.Provider, Service: k.Service, Purpose: k.Purpose, Lifetime: k.Lifetime, Party: party})
		}
		d.Categories = append(d.Categories, jc)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(d)
}
