package admin

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/charte/charte/internal/store"
	"github.com/charte/charte/registry"
	"github.com/charte/charte/services"
)

func errorsIsNotFound(err error) bool { return errors.Is(err, store.ErrNotFound) }

// draft loads the draft registry of the URL's site. The route's permission
// was checked before, against the same {site}.
func (a *Admin) draft(r *http.Request) (*registry.Site, error) {
	s, err := a.st.Site(r.Context(), r.PathValue("site"))
	if errorsIsNotFound(err) {
		return nil, errorf(http.StatusNotFound, "error.nosite", "ID", r.PathValue("site"))
	}
	return s, err
}

// sitePage is a page about one site, with its draft loaded.
func (a *Admin) sitePage(w http.ResponseWriter, r *http.Request, titleKey string) (*page, error) {
	s, err := a.draft(r)
	if err != nil {
		return nil, err
	}
	p := a.newPage(w, r, titleKey)
	p.Site = s
	return p, nil
}

// saveDraft validates an edited draft s and stores it, or returns the
// problems to show beside the form's inputs; nothing is stored when there
// is an error.
func (a *Admin) saveDraft(r *http.Request, s *registry.Site, action string, detail map[string]any) (registry.Problems, error) {
	v, problems, err := registry.Check(s)
	if err != nil {
		return problems, nil
	}
	// The store refuses a draft whose services do not expand; say why here,
	// beside the form, rather than as a failure.
	if _, err := services.Builtin().Expand(s); err != nil {
		var ve *registry.ValidationError
		if errors.As(err, &ve) {
			return ve.Problems, nil
		}
		return nil, err
	}
	return nil, a.saveChecked(r, v, action, detail)
}

// saveChecked stores a registry already checked (an import, read and
// validated by registry.Read) and audits it.
func (a *Admin) saveChecked(r *http.Request, v registry.Valid, action string, detail map[string]any) error {
	err := a.st.SaveSite(r.Context(), v)
	a.changed(v.Site().ID)
	if err != nil {
		return err
	}
	a.audit(r, v.Site().ID, action, detail)
	return nil
}

// seeOther sends the browser to a site page with a "done" message.
func seeOther(w http.ResponseWriter, r *http.Request, path, flash string) error {
	if flash != "" {
		path += "?done=" + url.QueryEscape(flash)
	}
	http.Redirect(w, r, path, http.StatusSeeOther)
	return nil
}

func sitePath(r *http.Request, rest string) string {
	return "/admin/sites/" + url.PathEscape(r.PathValue("site")) + "/" + rest
}
