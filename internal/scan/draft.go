package scan

import (
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/charte/charte/registry"
	"github.com/charte/charte/services"
)

// draftCategories are the categories a draft may need, named as the seed
// charter names them; only those used are kept.
var draftCategories = []registry.Category{
	{ID: catNecessary, Exempt: true, Name: registry.Text{
		"fr": "Cookies nécessaires au bon fonctionnement de la plateforme / cookies fonctionnels",
		"en": "Cookies necessary for the platform to work / functional cookies"}},
	{ID: catStatistics, Name: registry.Text{"fr": "Mesure d'audience", "en": "Audience measurement"}},
	{ID: catPreferences, Name: registry.Text{"fr": "Préférences", "en": "Preferences"}},
	{ID: catMarketing, Name: registry.Text{"fr": "Publicité et contenus tiers", "en": "Advertising and third-party content"}},
	{ID: catUnclassified, Name: registry.Text{"fr": "À classer", "en": "To classify"}},
}

// catUnclassified holds what nothing could classify: it needs consent until
// the operator moves each cookie to its real category.
const catUnclassified = "unclassified"

// toComplete marks the texts the operator must write.
var toComplete = registry.Text{"fr": "À compléter", "en": "To be completed"}

var nonSlug = regexp.MustCompile(`[^a-z0-9]+`)

// Draft builds a registry from what the scan saw, for the operator to
// complete and import. A service of charte's catalogue recognised by its
// cookies or by the URLs the pages loaded is declared by its recipe
// (services: [youtube]) rather than cookie by cookie. With a registry (base), the draft is that registry
// plus the cookies it does not declare; without, a new one. Cookies are
// declared under their known family name ("_pk_id*"), with the longest
// lifetime observed rounded up, so the draft does not itself cause a
// lifetime finding.
func Draft(r *Report, base *registry.Site) *registry.Site {
	var s registry.Site
	if base != nil {
		s = *base
		s.Cookies = slices.Clone(base.Cookies)
		s.Categories = slices.Clone(base.Categories)
	} else {
		u, _ := url.Parse(r.URL)
		host := u.Hostname()
		s = registry.Site{
			ID:   strings.Trim(nonSlug.ReplaceAllString(strings.ToLower(host), "-"), "-"),
			Name: host, URL: u.Scheme + "://" + u.Host, Origins: []string{u.Scheme + "://" + u.Host},
			DefaultLanguage: "fr", Languages: []string{"fr", "en"},
		}
		if s.ID == "" {
			s.ID = "site"
		}
	}
	added := addServices(r, &s)
	index := map[string]int{} // name\x00domain → index in s.Cookies
	for i, c := range s.Cookies {
		index[c.Name+"\x00"+c.Domain] = i
	}
	for _, p := range r.Passes {
		for _, c := range p.Cookies {
			if c.Class.Source == SourceRegistry || added[c.Class.Service] {
				continue
			}
			d := draftCookie(c)
			k := d.Name + "\x00" + d.Domain
			if i, ok := index[k]; ok {
				if longer(d.Lifetime, s.Cookies[i].Lifetime) {
					s.Cookies[i].Lifetime = d.Lifetime
				}
				continue
			}
			index[k] = len(s.Cookies)
			s.Cookies = append(s.Cookies, d)
		}
	}
	for _, c := range s.Cookies {
		if _, ok := s.Category(c.Category); ok {
			continue
		}
		for _, dc := range draftCategories {
			if dc.ID == c.Category {
				s.Categories = append(s.Categories, dc)
			}
		}
	}
	if _, ok := s.Category(catNecessary); !ok {
		s.Categories = append([]registry.Category{draftCategories[0]}, s.Categories...)
	}
	return &s
}

// addServices adds to s the catalogue services the scan recognised and s
// does not name yet, each only if the site still expands with it (a
// service whose cookie the registry declares by hand, or one needing
// consent where statistics are exempt, stays as cookies). It returns the
// services added, whose cookies the draft then leaves to the recipe.
func addServices(r *Report, s *registry.Site) map[string]bool {
	var ids []string
	for _, p := range r.Passes {
		for _, c := range p.Cookies {
			if c.Class.Source != SourceRegistry && c.Class.Service != "" {
				ids = append(ids, c.Class.Service)
			}
		}
		for _, d := range p.Services {
			ids = append(ids, d.ID)
		}
	}
	slices.Sort(ids)
	added := map[string]bool{}
	cat := services.Builtin()
	for _, id := range slices.Compact(ids) {
		rec, ok := cat.Get(id)
		if _, named := s.Service(id); !ok || named || rec.Exempt() {
			continue
		}
		trial := *s
		trial.Services = append(slices.Clone(s.Services), registry.Service{ID: id})
		trial.Categories = slices.Clone(s.Categories)
		if _, ok := trial.Category(rec.Category); !ok {
			for _, dc := range draftCategories {
				if dc.ID == rec.Category {
					trial.Categories = append(trial.Categories, dc)
				}
			}
		}
		if _, ok := trial.Category(catNecessary); !ok {
			trial.Categories = append([]registry.Category{draftCategories[0]}, trial.Categories...)
		}
		if _, err := cat.Expand(&trial); err == nil {
			*s = trial
			added[id] = true
		}
	}
	return added
}

func draftCookie(c Cookie) registry.Cookie {
	d := registry.Cookie{
		Name: c.Name, Provider: c.Class.Vendor, Category: c.Class.Category,
		Purpose: c.Class.Purpose, Party: registry.FirstParty,
		Lifetime: LifetimeOf(time.Duration(c.LifetimeSeconds)*time.Second, true),
	}
	if c.Class.Known != "" {
		d.Name = c.Class.Known
	}
	if d.Provider == "" {
		d.Provider = toComplete["fr"] + " / " + toComplete["en"]
	}
	if d.Category == "" {
		d.Category = catUnclassified
	}
	if len(d.Purpose) == 0 {
		d.Purpose = toComplete
	}
	if c.ThirdParty {
		d.Party = registry.ThirdParty
		d.Domain = strings.TrimPrefix(c.Domain, ".")
	}
	return d
}

func longer(a, b registry.Lifetime) bool {
	da, err1 := a.Duration()
	db, err2 := b.Duration()
	return err1 == nil && err2 == nil && da > db
}
