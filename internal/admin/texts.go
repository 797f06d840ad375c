package admin

import (
	"bytes"
	"net/http"
	"net/url"
	"strings"

	"github.com/charte/charte/internal/charter"
	"github.com/charte/charte/registry"
)

func (a *Admin) TextsForm(w http.ResponseWriter, r *http.Request) error {
	p, err := a.sitePage(w, r, "texts.title")
	if err != nil {
		return err
	}
	return a.render(w, "texts", p)
}

// saveTexts sets the banner's title and message per language of the site;
// empty fields fall back to charte's default wording.
func (a *Admin) SaveTexts(w http.ResponseWriter, r *http.Request) error {
	p, err := a.sitePage(w, r, "texts.title")
	if err != nil {
		return err
	}
	s := p.Site
	banner := map[string]registry.BannerText{}
	for _, l := range s.Languages {
		t := registry.BannerText{
			Title:   strings.TrimSpace(r.PostFormValue("title." + l)),
			Message: strings.TrimSpace(r.PostFormValue("message." + l)),
		}
		banner[l] = t
	}
	e, err := a.putBannerTexts(r, s, banner, nil)
	if err != nil {
		return err
	}
	if p.Problems = e.Problems; p.Problems != nil {
		return a.renderStatus(w, "texts", http.StatusUnprocessableEntity, p)
	}
	return seeOther(w, r, sitePath(r, "texts"), "flash.saved")
}

// preview renders the draft charter, framed by the texts and publish
// pages. It is the only back-office page that may be framed, and only by
// the back office itself.
func (a *Admin) Preview(w http.ResponseWriter, r *http.Request) error {
	s, err := a.draft(r)
	if err != nil {
		return err
	}
	l := r.URL.Query().Get("lang")
	if !has(s.Languages, l) {
		l = s.DefaultLanguage
	}
	var b bytes.Buffer
	page := charter.Page{Site: s, Revision: s.Revision(), Lang: l}
	if len(s.Languages) > 1 {
		other := "fr"
		if l == "fr" {
			other = "en"
		}
		page.OtherLangURL = "?lang=" + url.QueryEscape(other)
	}
	if err := charter.RenderHTML(&b, page); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'none'; style-src "+charter.StyleHash()+"; img-src 'self' data:; form-action 'none'; frame-ancestors 'self'; base-uri 'none'")
	h.Set("X-Frame-Options", "SAMEORIGIN")
	h.Set("Content-Type", "text/html; charset=utf-8")
	_, err = b.WriteTo(w)
	return err
}

func has(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
