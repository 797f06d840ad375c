package web

import (
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/charte/charte/internal/banner"
	"github.com/charte/charte/internal/i18n"
	"github.com/charte/charte/internal/store"
)

// bannerLatest serves the published revision. A new revision reaches
// visitors within max-age; the ETag makes the check free in between.
//
// Its language (docs/banner.md): a URL naming one (?lang=) gets that
// language, matched among the site's by BCP 47, else the site's default, so
// the answer depends on the URL alone and varies on Accept-Encoding only; a
// URL naming none gets the browser's preference among the site's languages
// (Accept-Language), else the default. Never the django_language cookie: a
// shared cache or CDN may keep the script, which varies on no cookie. The
// script then follows the page's <html lang> itself (banner.js).
func (s *Server) bannerLatest(w http.ResponseWriter, r *http.Request) error {
	scripts := s.scripts
	rev, err := s.published(r, s.lang(r, nil))
	if err != nil {
		return bannerError(err)
	}
	site := rev.Site
	h := w.Header()
	var lang string
	if named := r.URL.Query().Get("lang"); named != "" {
		lang = i18n.Negotiate(site.Languages, site.DefaultLanguage, []string{named}, "")
		h.Set("Vary", "Accept-Encoding")
	} else {
		lang = i18n.Negotiate(site.Languages, site.DefaultLanguage, nil, r.Header.Get("Accept-Language"))
		h.Set("Vary", "Accept-Language, Accept-Encoding")
	}
	script, err := scripts.Get(site, rev.ID, lang, s.bannerOptions(r))
	if err != nil {
		return err
	}
	h.Set("Cache-Control", "public, max-age=300")
	h.Set("Content-Language", lang)
	h.Set("Link", "<"+s.bannerURL(r, rev.SiteID, rev.ID, lang)+">; rel=canonical")
	return serveScript(w, r, script)
}

// bannerRevision serves one revision by name, the script (LANG.js) or its
// second layer's details (LANG.json, which the script fetches when the
// preferences first open): what they hold never changes, so browsers and
// CDNs may keep them for a year. A built script is served without touching
// the store.
func (s *Server) bannerRevision(w http.ResponseWriter, r *http.Request) error {
	scripts := s.scripts
	id, revision, file := r.PathValue("site"), r.PathValue("revision"), r.PathValue("file")
	lang, js := strings.CutSuffix(file, ".js")
	if !js {
		var ok bool
		if lang, ok = strings.CutSuffix(file, ".json"); !ok {
			return bannerError(store.ErrNotFound)
		}
	}
	opts := s.bannerOptions(r)
	script, found := scripts.Lookup(id, revision, lang, opts)
	if !found {
		rev, err := s.revisions.Revision(r.Context(), id, revision)
		if err != nil {
			return bannerError(err)
		}
		if !slices.Contains(rev.Site.Languages, lang) {
			return bannerError(store.ErrNotFound)
		}
		if script, err = scripts.Get(rev.Site, rev.ID, lang, opts); err != nil {
			return err
		}
	}
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	w.Header().Set("Vary", "Accept-Encoding")
	if !js {
		w.Header().Set("Content-Type", "application/json")
		return serveScript(w, r, script.Details)
	}
	return serveScript(w, r, script)
}

// serveScript writes a built script, or its details, compressed as the
// client accepts.
func serveScript(w http.ResponseWriter, r *http.Request, script *banner.Script) error {
	h := w.Header()
	if h.Get("Content-Type") == "" {
		h.Set("Content-Type", "text/javascript; charset=utf-8")
	}
	// Weak: the gzipped and the plain body are the same script.
	h.Set("ETag", "W/"+script.ETag)
	// Sites on other origins load the script; CORP lets them under COEP,
	// and ACAO lets them add integrity="" to the revision URL and the
	// script fetch its details.
	h.Set("Cross-Origin-Resource-Policy", "cross-origin")
	h.Set("Access-Control-Allow-Origin", "*")
	if etagMatch(r.Header.Get("If-None-Match"), script.ETag) {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	body := script.Body
	switch {
	case accepts(r, "br"):
		h.Set("Content-Encoding", "br")
		body = script.Brotli
	case accepts(r, "gzip"):
		h.Set("Content-Encoding", "gzip")
		body = script.Gzip
	}
	_, err := w.Write(body)
	return err
}

// bannerError turns a missing site or revision into a 404 that says why in
// a header too, since a failing <script> tag shows no page to anyone.
func bannerError(err error) error {
	var e *Error
	if errors.Is(err, store.ErrNotFound) {
		e = &Error{Status: http.StatusNotFound, Message: "unknown site, revision or language"}
	} else if !errors.As(err, &e) || e.Status != http.StatusNotFound {
		return err
	}
	e.Header = http.Header{"X-Charte-Error": {"unknown or unpublished site, revision or language"}}
	return e
}

// bannerOptions tells the script where charte is: the configured public
// URL, else the origin the request came to.
func (s *Server) bannerOptions(r *http.Request) banner.Options {
	if s.cfg.BaseURL != nil {
		return banner.Options{APIBase: strings.TrimSuffix(s.cfg.BaseURL.String(), "/")}
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return banner.Options{APIBase: scheme + "://" + r.Host}
}

// bannerURL is the revision-named URL of a site's banner.
func (s *Server) bannerURL(r *http.Request, site, revision, lang string) string {
	return s.bannerOptions(r).APIBase + "/sites/" + site + "/banner/" + revision + "/" + lang + ".js"
}

// etagMatch is If-None-Match's weak comparison.
func etagMatch(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		if t = strings.TrimPrefix(strings.TrimSpace(t), "W/"); t == etag || t == "*" {
			return true
		}
	}
	return false
}

// accepts reports whether Accept-Encoding lists coding with a q-value
// above zero.
func accepts(r *http.Request, coding string) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		c, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(c), coding) && !zeroQ(params) {
			return true
		}
	}
	return false
}

// zeroQ reports whether Accept-Encoding parameters say q=0 (q=0.0, q=0.000).
func zeroQ(params string) bool {
	q, ok := strings.CutPrefix(strings.ReplaceAll(params, " ", ""), "q=")
	return ok && strings.Trim(q, "0.") == "" && q != ""
}
