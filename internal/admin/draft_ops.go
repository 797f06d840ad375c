package admin

import (
	"net/http"
	"slices"

	"github.com/charte/charte/registry"
)

// The draft's use cases, one operation each, shared by the HTML form and the
// JSON API: the handlers only read their input (a form or a JSON body), call
// the operation, and render what it returns. Each operation changes the
// draft s in memory and stores it through saveDraft, which validates it,
// records the audit entry and tells the server the site changed; nothing is
// stored when the registry would not validate, and the problems come back.

// draftEdit is what an operation did: the index it touched, whether it
// created it, and the problems that kept it from being stored.
type draftEdit struct {
	Index    int
	Created  bool
	Problems registry.Problems
}

// putCategory stores c at index i of the draft's categories, or appends it
// when i < 0. Renaming a category carries its cookies along.
func (a *Admin) putCategory(r *http.Request, s *registry.Site, i int, c registry.Category, detail map[string]any) (draftEdit, error) {
	e := draftEdit{Index: i}
	if i < 0 {
		s.Categories = append(s.Categories, c)
		e.Index, e.Created = len(s.Categories)-1, true
	} else {
		old := s.Categories[i].ID
		s.Categories[i] = c
		for j := range s.Cookies {
			if s.Cookies[j].Category == old {
				s.Cookies[j].Category = c.ID
			}
		}
	}
	action := "category.update"
	if e.Created {
		action = "category.create"
	}
	var err error
	e.Problems, err = a.saveDraft(r, s, action, with(detail, "category", c.ID))
	return e, err
}

// deleteCategoryAt removes the category at index i and its Consent Mode
// mapping. The registry refuses, with its own message, to lose a category
// that cookies still use.
func (a *Admin) deleteCategoryAt(r *http.Request, s *registry.Site, i int, detail map[string]any) (draftEdit, error) {
	id := s.Categories[i].ID
	s.Categories = slices.Delete(s.Categories, i, i+1)
	if s.ConsentMode != nil {
		delete(s.ConsentMode.Mapping, id)
	}
	problems, err := a.saveDraft(r, s, "category.delete", with(detail, "category", id))
	return draftEdit{Index: i, Problems: problems}, err
}

// putCookie stores c at index i of the draft's cookies, or appends it when
// i < 0.
func (a *Admin) putCookie(r *http.Request, s *registry.Site, i int, c registry.Cookie, detail map[string]any) (draftEdit, error) {
	e := draftEdit{Index: i}
	action := "cookie.update"
	if i < 0 {
		s.Cookies = append(s.Cookies, c)
		e.Index, e.Created, action = len(s.Cookies)-1, true, "cookie.create"
	} else {
		s.Cookies[i] = c
	}
	var err error
	e.Problems, err = a.saveDraft(r, s, action, with(detail, "cookie", c.Name))
	return e, err
}

// deleteCookieAt removes the cookie at index i.
func (a *Admin) deleteCookieAt(r *http.Request, s *registry.Site, i int, detail map[string]any) (draftEdit, error) {
	name := s.Cookies[i].Name
	s.Cookies = slices.Delete(s.Cookies, i, i+1)
	problems, err := a.saveDraft(r, s, "cookie.delete", with(detail, "cookie", name))
	return draftEdit{Index: i, Problems: problems}, err
}

// putBannerTexts replaces the banner's title and message per language. A
// language left empty falls back to charte's default wording, so it is not
// stored; no text at all stores no banner section.
func (a *Admin) putBannerTexts(r *http.Request, s *registry.Site, banner map[string]registry.BannerText, detail map[string]any) (draftEdit, error) {
	for l, t := range banner {
		if t == (registry.BannerText{}) {
			delete(banner, l)
		}
	}
	s.Banner = banner
	if len(banner) == 0 {
		s.Banner = nil
	}
	problems, err := a.saveDraft(r, s, "texts.update", detail)
	return draftEdit{Index: -1, Problems: problems}, err
}

// with returns detail (which may be nil) with one more key, for the audit
// log; the API adds "via": "api" to what the forms record.
func with(detail map[string]any, key string, value any) map[string]any {
	out := make(map[string]any, len(detail)+1)
	for k, v := range detail {
		out[k] = v
	}
	out[key] = value
	return out
}

// addService names a catalogue service in the draft, filed under its
// recipe's default category. The draft is stored only if it still expands
// (a category the site lacks, a cookie the registry declares by hand…):
// the problems come back otherwise.
func (a *Admin) addService(r *http.Request, s *registry.Site, id string, detail map[string]any) (draftEdit, error) {
	s.Services = append(s.Services, registry.Service{ID: id})
	e := draftEdit{Index: len(s.Services) - 1, Created: true}
	var err error
	e.Problems, err = a.saveDraft(r, s, "service.add", with(detail, "service", id))
	return e, err
}

// removeServiceAt takes the service at index i out of the draft.
func (a *Admin) removeServiceAt(r *http.Request, s *registry.Site, i int, detail map[string]any) (draftEdit, error) {
	id := s.Services[i].ID
	s.Services = slices.Delete(s.Services, i, i+1)
	problems, err := a.saveDraft(r, s, "service.remove", with(detail, "service", id))
	return draftEdit{Index: i, Problems: problems}, err
}
