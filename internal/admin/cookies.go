package admin

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/charte/charte/registry"
)

// cookieData is the cookie form: Index is -1 for a new cookie.
type cookieData struct {
	Index int
	C     registry.Cookie
}

// findCookie returns the index of the URL's {n}, -1 for "new". Cookies are
// addressed by position; the form also carries the name it was opened on,
// so an edit made meanwhile by someone else is refused rather than
// overwritten.
func findCookie(r *http.Request, s *registry.Site) (int, error) {
	n := r.PathValue("n")
	if n == "new" {
		return -1, nil
	}
	i, err := strconv.Atoi(n)
	if err != nil || i < 0 || i >= len(s.Cookies) {
		return 0, errorf(http.StatusNotFound, "error.nocookie", "ID", n)
	}
	if was := r.PostFormValue("was"); r.Method == http.MethodPost && was != s.Cookies[i].Name {
		return 0, errorf(http.StatusConflict, "error.conflict")
	}
	return i, nil
}

func (a *Admin) CookieForm(w http.ResponseWriter, r *http.Request) error {
	p, err := a.sitePage(w, r, "cookie.title")
	if err != nil {
		return err
	}
	i, err := findCookie(r, p.Site)
	if err != nil {
		return err
	}
	d := cookieData{Index: i, C: registry.Cookie{Party: registry.FirstParty}}
	if i >= 0 {
		d.C = p.Site.Cookies[i]
	}
	p.Data = d
	return a.render(w, "cookie", p)
}

func (a *Admin) SaveCookie(w http.ResponseWriter, r *http.Request) error {
	p, err := a.sitePage(w, r, "cookie.title")
	if err != nil {
		return err
	}
	s := p.Site
	i, err := findCookie(r, s)
	if err != nil {
		return err
	}
	c := registry.Cookie{
		Name:     strings.TrimSpace(r.PostFormValue("name")),
		Provider: strings.TrimSpace(r.PostFormValue("provider")),
		Service:  formText(r, "service"),
		Domain:   strings.TrimSpace(r.PostFormValue("domain")),
		Purpose:  formText(r, "purpose"),
		Category: r.PostFormValue("category"),
		Lifetime: registry.Lifetime(strings.TrimSpace(r.PostFormValue("lifetime"))),
		Party:    registry.Party(r.PostFormValue("party")),
	}
	e, err := a.putCookie(r, s, i, c, nil)
	if err != nil {
		return err
	}
	if e.Problems != nil {
		p.Problems = rebase(e.Problems, fmt.Sprintf("cookies[%d]", e.Index))
		p.Data = cookieData{Index: i, C: c}
		return a.renderStatus(w, "cookie", http.StatusUnprocessableEntity, p)
	}
	return seeOther(w, r, sitePath(r, "registry"), "flash.saved")
}

func (a *Admin) DeleteCookie(w http.ResponseWriter, r *http.Request) error {
	p, err := a.sitePage(w, r, "registry.title")
	if err != nil {
		return err
	}
	s := p.Site
	i, err := findCookie(r, s)
	if err != nil {
		return err
	}
	if i < 0 {
		return errorf(http.StatusNotFound, "error.nocookie", "ID", "new")
	}
	e, err := a.deleteCookieAt(r, s, i, nil)
	if err != nil {
		return err
	}
	if p.Problems = e.Problems; p.Problems != nil {
		p.Site, _ = a.draft(r)
		return a.renderStatus(w, "registry", http.StatusUnprocessableEntity, p)
	}
	return seeOther(w, r, sitePath(r, "registry"), "flash.deleted")
}
