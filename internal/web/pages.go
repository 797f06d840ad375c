package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/charte/charte/internal/charter"
	"github.com/charte/charte/internal/i18n"
	"github.com/charte/charte/internal/store"
)

// published returns the revision visitors of a site see (through the
// revision cache: every visitor loads these pages), or a 404 naming it.
func (s *Server) published(r *http.Request, lang string) (store.Revision, error) {
	id := r.PathValue("site")
	rev, err := s.revisions.Published(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		return rev, errorf(http.StatusNotFound, "site", "%s", i18n.T(lang, "web.site.unknown", "Site", id))
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
	// The page carries a CSRF token for its language form, masked from the
	// browser's csrftoken secret: the ETag names that secret too (hashed), so
	// a page revalidated after the secret changed (at a back-office login)
	// is sent again with a token that still works. A first visit, which has
	// no secret yet, gets no ETag.
	secret, _ := r.Cookie("csrftoken")
	etag := ""
	if secret != nil {
		sum := sha256.Sum256([]byte(secret.Value))
		etag = fmt.Sprintf(`"%s-%s-%x"`, rev.ID, lang, sum[:4])
	}
	h := w.Header()
	if etag != "" {
		h.Set("ETag", etag)
	}
	h.Set("Vary", "Cookie, Accept-Language")
	h.Set("Cache-Control", "no-cache")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src "+charter.StyleHash()+"; script-src 'self'; connect-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	if etag != "" && r.Header.Get("If-None-Match") == etag {
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
		page.LanguageForm = &charter.LanguageForm{Action: "/i18n/setlang", Next: r.URL.Path,
			CSRFToken: csrfPlaceholder, Languages: site.Languages}
	}
	body, err := s.rendered.get("charter\x00"+site.ID+"\x00"+rev.ID+"\x00"+lang, func() ([]byte, error) {
		var buf bytes.Buffer
		err := charter.RenderHTML(&buf, page)
		return buf.Bytes(), err
	})
	if err != nil {
		return err
	}
	if page.LanguageForm != nil {
		// The cached page is the same for everyone but its token.
		body = bytes.Replace(body, []byte(csrfPlaceholder), []byte(s.csrf.Token(w, r)), 1)
	}
	h.Set("Content-Type", "text/html; charset=utf-8")
	_, err = w.Write(body)
	return err
}

// csrfPlaceholder stands for the CSRF token in cached charter pages; it
// needs no escaping in an HTML attribute.
const csrfPlaceholder = "CHARTE-CSRF-TOKEN-PLACEHOLDER"

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
