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
	ID           string       `json:"id"`
	Name         string       `json:"name"`
	Description  string       `json:"description,omitempty"`
	NeedsConsent bool         `json:"needs_consent"`
	Cookies      []jsonCookie `json:"cookies"`
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
		jc := jsonCategory{ID: c.ID, Name: c.Name, Description: c.Description, NeedsConsent: c.NeedsConsent}
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
