package services

import "github.com/charte/charte/registry"

// Site returns a registry holding only this recipe's cookies, filed under
// category: what the recipe's test validates with the registry's own rules,
// so a recipe can never carry a cookie a registry would refuse.
func (r *Recipe) Site(category string) *registry.Site {
	s := &registry.Site{
		ID: "recipe-" + r.ID, Name: r.Name["en"], DefaultLanguage: "fr", Languages: []string{"fr", "en"},
		Categories: []registry.Category{{ID: "necessary", Name: registry.Text{"fr": "Nécessaires", "en": "Necessary"}, Exempt: true}},
	}
	if category != "necessary" {
		c := registry.Category{ID: category, Name: registry.Text{"fr": category, "en": category}}
		if r.Exempt() {
			c.Exempt, c.AnonymousStatistics = true, true
		}
		s.Categories = append(s.Categories, c)
	}
	for _, c := range r.Cookies {
		s.Cookies = append(s.Cookies, r.cookie(c, category))
	}
	return s
}

// cookie is the registry form of one of the recipe's cookies.
func (r *Recipe) cookie(c Cookie, category string) registry.Cookie {
	return registry.Cookie{
		Name: c.Name, Provider: r.Vendor.Name, Service: r.Name,
		Domain: c.Domain, Purpose: c.Purpose, Category: category, Lifetime: c.Lifetime, Party: c.Party,
	}
}
