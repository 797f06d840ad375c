package admin

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/charte/charte/registry"
)

func (a *Admin) RegistryPage(w http.ResponseWriter, r *http.Request) error {
	p, err := a.sitePage(w, r, "registry.title")
	if err != nil {
		return err
	}
	if r.URL.Query().Get("done") == "" {
		// A stored draft is always valid; warnings are still worth showing.
		p.Problems = p.Site.Validate().Warnings()
	}
	return a.render(w, "registry", p)
}

// categoryData is the category form: Index is -1 for a new category.
type categoryData struct {
	Index int
	C     registry.Category
}

// findCategory returns the index of the URL's {cat}, -1 for "new".
func findCategory(r *http.Request, s *registry.Site) (int, error) {
	id := r.PathValue("cat")
	if id == "new" {
		return -1, nil
	}
	i := slices.IndexFunc(s.Categories, func(c registry.Category) bool { return c.ID == id })
	if i < 0 {
		return 0, errorf(http.StatusNotFound, "error.nocategory", "ID", id)
	}
	return i, nil
}

func (a *Admin) CategoryForm(w http.ResponseWriter, r *http.Request) error {
	p, err := a.sitePage(w, r, "category.title")
	if err != nil {
		return err
	}
	i, err := findCategory(r, p.Site)
	if err != nil {
		return err
	}
	d := categoryData{Index: i}
	if i >= 0 {
		d.C = p.Site.Categories[i]
	}
	p.Data = d
	return a.render(w, "category", p)
}

func (a *Admin) SaveCategory(w http.ResponseWriter, r *http.Request) error {
	p, err := a.sitePage(w, r, "category.title")
	if err != nil {
		return err
	}
	s := p.Site
	i, err := findCategory(r, s)
	if err != nil {
		return err
	}
	c := registry.Category{
		ID:                  strings.TrimSpace(r.PostFormValue("id")),
		Name:                formText(r, "name"),
		Description:         formText(r, "description"),
		Exempt:              r.PostFormValue("exempt") != "",
		AnonymousStatistics: r.PostFormValue("anonymous_statistics") != "",
	}
	e, err := a.putCategory(r, s, i, c, nil)
	if err != nil {
		return err
	}
	if e.Problems != nil {
		p.Problems = rebase(e.Problems, fmt.Sprintf("categories[%d]", e.Index))
		p.Data = categoryData{Index: i, C: c}
		return a.renderStatus(w, "category", http.StatusUnprocessableEntity, p)
	}
	return seeOther(w, r, sitePath(r, "registry"), "flash.saved")
}

// deleteCategory refuses, with the registry's own message, to delete a
// category that cookies still use.
func (a *Admin) DeleteCategory(w http.ResponseWriter, r *http.Request) error {
	p, err := a.sitePage(w, r, "registry.title")
	if err != nil {
		return err
	}
	s := p.Site
	i, err := findCategory(r, s)
	if err != nil || i < 0 {
		return errorf(http.StatusNotFound, "error.nocategory", "ID", r.PathValue("cat"))
	}
	e, err := a.deleteCategoryAt(r, s, i, nil)
	if err != nil {
		return err
	}
	if p.Problems = e.Problems; p.Problems != nil {
		p.Site, _ = a.draft(r)
		return a.renderStatus(w, "registry", http.StatusUnprocessableEntity, p)
	}
	return seeOther(w, r, sitePath(r, "registry"), "flash.deleted")
}

// formText reads the inputs NAME.fr and NAME.en into a Text.
func formText(r *http.Request, name string) registry.Text {
	t := registry.Text{}
	for _, l := range languages {
		if v := strings.TrimSpace(r.PostFormValue(name + "." + l)); v != "" {
			t[l] = v
		}
	}
	if len(t) == 0 {
		return nil
	}
	return t
}

// rebase makes the problems of the edited item relative to it
// ("cookies[3].purpose.fr" becomes "purpose.fr") so the form can show each
// beside its input; problems elsewhere keep their full path.
func rebase(ps registry.Problems, prefix string) registry.Problems {
	out := make(registry.Problems, len(ps))
	for i, p := range ps {
		if rest, ok := strings.CutPrefix(p.Field, prefix+"."); ok {
			p.Field = rest
		}
		out[i] = p
	}
	return out
}
