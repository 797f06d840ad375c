package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/charte/charte/internal/charter"
	"github.com/charte/charte/internal/store"
)

// published returns the revision visitors of a site see (through the
// revision cache: every visitor loads these pages), or a 404 naming it.
func (s *Server) published(r *http.Request, lang string) (store.Revision, error) {
	id := r.PathValue("site")
	rev, err := s.revisions.Published(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		return rev, errorf(http.StatusNotFound, "site", messages.T(lang, "site.unknown"), id)
	}
	return rev, err
}

func (s *Server) home(w http.ResponseWriter, r *http.Request) error {
	lang := s.lang(r, nil)
	sites, err := s.store.ListSites(r.Context())
	if err != nil {
		return err
	}
	var listed []store.SiteSummary
	for _, site := range sites {
		if site.Published != "" {
			listed = append(listed, site)
		}
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	return s.pages.ExecuteTemplate(w, "home.html", map[string]any{"Lang": lang, "Sites": listed})
}

// charterPage serves the charter in the visitor's language, with an ETag
// made of the revision and language so browsers revalidate for free.
func (s *Server) charterPage(w http.ResponseWriter, r *http.Request) error {
	rev, err := s.published(r, s.lang(r, nil))
	if err != nil {
		return err
	}
	site := rev.Site
	lang := s.lang(r, site.Languages)
	etag := fmt.Sprintf(`"%s-%s"`, rev.ID, lang)
	h := w.Header()
	h.Set("ETag", etag)
	h.Set("Vary", "Cookie, Accept-Language")
	h.Set("Cache-Control", "no-cache")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src "+charter.StyleHash()+"; script-src 'self'; connect-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	other := "en"
	if lang == "en" {
		other = "fr"
	}
	page := charter.Page{
		Site: site, Revision: rev.ID, PublishedAt: rev.PublishedAt, Lang: lang,
		// The page knows its language: the banner must speak it too, whatever
		// the browser's Accept-Language says.
		BannerURL: "/sites/" + url.PathEscape(site.ID) + "/banner.js?lang=" + lang,
	}
	if len(site.Languages) > 1 {
		page.OtherLangURL = "?lang=" + other
	}
	body, err := s.rendered.get("charter\x00"+site.ID+"\x00"+etag, func() ([]byte, error) {
		var buf bytes.Buffer
		err := charter.RenderHTML(&buf, page)
		return buf.Bytes(), err
	})
	if err != nil {
		return err
	}
	h.Set("Content-Type", "text/html; charset=utf-8")
	_, err = w.Write(body)
	return err
}

// cookiesJSON serves a site's published registry as open data: every column
// in every language, readable from any origin.
func (s *Server) cookiesJSON(w http.ResponseWriter, r *http.Request) error {
	rev, err := s.published(r, "en")
	if err != nil {
		return err
	}
	etag := `"` + rev.ID + `"`
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("ETag", etag)
	h.Set("Cache-Control", "public, max-age=60")
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	body, err := s.rendered.get("cookies\x00"+rev.SiteID+"\x00"+rev.ID, func() ([]byte, error) {
		return json.Marshal(struct {
			Revision          string    `json:"revision"`
			PublishedAt       time.Time `json:"published_at"`
			ConsentCategories []string  `json:"consent_categories"`
			Site              any       `json:"site"`
		}{rev.ID, rev.PublishedAt.UTC(), nonNil(rev.Site.ConsentCategories()), rev.Site})
	})
	if err != nil {
		return err
	}
	h.Set("Content-Type", "application/json")
	_, err = w.Write(body)
	return err
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
