package admin

import (
	"bytes"
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"github.com/charte/charte/internal/auth"
	"github.com/charte/charte/internal/httpx"
	"github.com/charte/charte/registry"
)

type apiSite struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	Published string `json:"published"` // "" when never published
	Draft     string `json:"draft"`     // the draft's revision
	CanEdit   bool   `json:"can_edit"`
}

// apiSites lists only the sites the caller may see, as the dashboard does.
func (a *Admin) APISites(w http.ResponseWriter, r *http.Request) error {
	id, _ := auth.FromContext(r.Context())
	all, err := a.st.ListSites(r.Context())
	if err != nil {
		return err
	}
	out := []apiSite{}
	for _, s := range all {
		if !auth.Can(id.User, auth.ViewSite, s.ID) {
			continue
		}
		line := apiSite{ID: s.ID, Name: s.Name, Published: s.Published, CanEdit: auth.Can(id.User, auth.EditSite, s.ID)}
		if d, err := a.st.Site(r.Context(), s.ID); err == nil {
			line.Draft = d.Revision()
		}
		out = append(out, line)
	}
	return httpx.WriteJSON(w, http.StatusOK, out)
}

// writeSite answers a registry as registry.EncodeJSON writes it, the form
// PUT .../draft takes back.
func writeSite(w http.ResponseWriter, status int, s *registry.Site) error {
	var b bytes.Buffer
	if err := registry.EncodeJSON(&b, s); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, err := b.WriteTo(w)
	return err
}

func (a *Admin) APIDraft(w http.ResponseWriter, r *http.Request) error {
	s, err := a.draft(r)
	if err != nil {
		return err
	}
	return writeSite(w, http.StatusOK, s)
}

// problemsError turns failed validation into a 422 naming the first field
// at fault, with every problem listed.
func problemsError(ps registry.Problems) error {
	errs := ps
	if i := slices.IndexFunc(ps, func(p registry.Problem) bool { return p.Severity == registry.Error }); i >= 0 {
		errs = ps[i:]
	}
	return &httpError{status: http.StatusUnprocessableEntity, key: "error.problems", worded: &errs[0],
		field: errs[0].Field, problems: ps}
}

// viaAPI marks in the audit log a change made through the API.
var viaAPI = map[string]any{"via": "api"}

// answerDraft answers an API change of the draft: the whole draft once it
// is stored, or 422 with the problems that kept it from being stored.
func answerDraft(w http.ResponseWriter, s *registry.Site, status int, e draftEdit, err error) error {
	if err != nil {
		return err
	}
	if e.Problems != nil {
		return problemsError(e.Problems)
	}
	return writeSite(w, status, s)
}

// apiPutDraft replaces the draft, like a YAML import: the document must
// describe this very site.
func (a *Admin) APIPutDraft(w http.ResponseWriter, r *http.Request) error {
	cur, err := a.draft(r)
	if err != nil {
		return err
	}
	v, problems, err := registry.Read(r.Body)
	if err != nil {
		if problems != nil {
			return problemsError(problems)
		}
		return &httpError{status: http.StatusBadRequest, key: "error.json", args: []any{"Reason", err.Error()}}
	}
	site := v.Site()
	if site.ID != cur.ID {
		return &httpError{status: http.StatusUnprocessableEntity, key: "error.otherid", args: []any{"File", strconv.Quote(site.ID), "Site", strconv.Quote(cur.ID)}, field: "id"}
	}
	err = a.saveChecked(r, v, "registry.import", with(viaAPI, "revision", v.Revision()))
	return answerDraft(w, site, http.StatusOK, draftEdit{Index: -1}, err)
}

func (a *Admin) APICategories(w http.ResponseWriter, r *http.Request) error {
	s, err := a.draft(r)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, orEmpty(s.Categories))
}

// apiPutCategory creates {cat} or replaces it; a different id in the body
// renames the category and carries its cookies along, as the form does.
func (a *Admin) APIPutCategory(w http.ResponseWriter, r *http.Request) error {
	s, err := a.draft(r)
	if err != nil {
		return err
	}
	var c registry.Category
	if err := readJSON(r, &c); err != nil {
		return err
	}
	if c.ID == "" {
		c.ID = r.PathValue("cat")
	}
	i := slices.IndexFunc(s.Categories, func(x registry.Category) bool { return x.ID == r.PathValue("cat") })
	e, err := a.putCategory(r, s, i, c, viaAPI)
	status := http.StatusOK
	if e.Created {
		status = http.StatusCreated
	}
	return answerDraft(w, s, status, e, err)
}

func (a *Admin) APIDeleteCategory(w http.ResponseWriter, r *http.Request) error {
	s, err := a.draft(r)
	if err != nil {
		return err
	}
	id := r.PathValue("cat")
	i := slices.IndexFunc(s.Categories, func(x registry.Category) bool { return x.ID == id })
	if i < 0 {
		return &httpError{status: http.StatusNotFound, key: "error.nocategory", args: []any{"ID", id}, field: "cat"}
	}
	e, err := a.deleteCategoryAt(r, s, i, viaAPI)
	return answerDraft(w, s, http.StatusOK, e, err)
}

func (a *Admin) APICookies(w http.ResponseWriter, r *http.Request) error {
	s, err := a.draft(r)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, orEmpty(s.Cookies))
}

// cookieAt finds the URL's {n}. Unlike the form, the API has no "was"
// field: a script that wants to be sure reads the draft's revision first.
func cookieAt(r *http.Request, s *registry.Site) (int, error) {
	i, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || i < 0 || i >= len(s.Cookies) {
		return 0, &httpError{status: http.StatusNotFound, key: "error.nocookie", args: []any{"ID", r.PathValue("n")}, field: "n"}
	}
	return i, nil
}

// APIAddCookie appends a cookie: 201 with its Location.
func (a *Admin) APIAddCookie(w http.ResponseWriter, r *http.Request) error {
	return a.apiPutCookie(w, r, false)
}

// APIPutCookie replaces the cookie at {n}.
func (a *Admin) APIPutCookie(w http.ResponseWriter, r *http.Request) error {
	return a.apiPutCookie(w, r, true)
}

func (a *Admin) apiPutCookie(w http.ResponseWriter, r *http.Request, replace bool) error {
	s, err := a.draft(r)
	if err != nil {
		return err
	}
	i := -1
	if replace {
		if i, err = cookieAt(r, s); err != nil {
			return err
		}
	}
	var c registry.Cookie
	if err := readJSON(r, &c); err != nil {
		return err
	}
	e, err := a.putCookie(r, s, i, c, viaAPI)
	if err != nil {
		return err
	}
	if e.Problems != nil {
		return problemsError(rebase(e.Problems, fmt.Sprintf("cookies[%d]", e.Index)))
	}
	if !e.Created {
		return httpx.WriteJSON(w, http.StatusOK, c)
	}
	w.Header().Set("Location", fmt.Sprintf("/api/v1/sites/%s/draft/cookies/%d", s.ID, e.Index))
	return httpx.WriteJSON(w, http.StatusCreated, c)
}

func (a *Admin) APIDeleteCookie(w http.ResponseWriter, r *http.Request) error {
	s, err := a.draft(r)
	if err != nil {
		return err
	}
	i, err := cookieAt(r, s)
	if err != nil {
		return err
	}
	e, err := a.deleteCookieAt(r, s, i, viaAPI)
	return answerDraft(w, s, http.StatusOK, e, err)
}

func (a *Admin) APITexts(w http.ResponseWriter, r *http.Request) error {
	s, err := a.draft(r)
	if err != nil {
		return err
	}
	if s.Banner == nil {
		return httpx.WriteJSON(w, http.StatusOK, map[string]registry.BannerText{})
	}
	return httpx.WriteJSON(w, http.StatusOK, s.Banner)
}

func (a *Admin) APIPutTexts(w http.ResponseWriter, r *http.Request) error {
	s, err := a.draft(r)
	if err != nil {
		return err
	}
	var banner map[string]registry.BannerText
	if err := readJSON(r, &banner); err != nil {
		return err
	}
	e, err := a.putBannerTexts(r, s, banner, viaAPI)
	return answerDraft(w, s, http.StatusOK, e, err)
}

// orEmpty makes a nil list encode as [] rather than null.
func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
