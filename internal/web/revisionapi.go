package web

import (
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/charte/charte/internal/httpx"
	"github.com/charte/charte/internal/i18n"
	"github.com/charte/charte/internal/store"
	"github.com/charte/charte/registry"
)

// The proof of what a visitor was shown: a published revision as it was
// snapshotted, and each banner script charte served for it, byte for byte
// (escrow.go). Both are public, like the registry itself, so an auditor
// needs no account to replay a consent record.

// escrowedJSON is one escrowed banner as the revision snapshot lists it.
type escrowedJSON struct {
	Language    string    `json:"language"`
	SHA256      string    `json:"sha256"`
	Version     string    `json:"charte_version"`
	FirstServed time.Time `json:"first_served"`
	Size        int       `json:"size"`
	URL         string    `json:"url"`
}

// revisionSnapshot answers GET /api/v1/sites/{site}/revisions/{revision}.
func (s *Server) revisionSnapshot(w http.ResponseWriter, r *http.Request) error {
	siteID, id := r.PathValue("site"), r.PathValue("revision")
	rev, err := s.revisions.Revision(r.Context(), siteID, id)
	if errors.Is(err, store.ErrNotFound) {
		return errorf(http.StatusNotFound, "revision", "%s", i18n.T(s.lang(r, nil), "web.revision.unknown", "Site", siteID, "Revision", id))
	}
	if err != nil {
		return err
	}
	escrowed, err := s.store.BannerEscrow(r.Context(), siteID, id)
	if err != nil {
		return err
	}
	banners := []escrowedJSON{}
	for _, b := range escrowed {
		banners = append(banners, escrowedJSON{b.Lang, b.SHA256, b.Version, b.FirstServed.UTC(), b.Size,
			s.bannerOptions(r).APIBase + escrowedBannerPath(siteID, id, b.SHA256)})
	}
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", "*")
	// The snapshot never changes, but a language served for the first time
	// adds a banner to the list.
	h.Set("Cache-Control", "no-cache")
	return httpx.WriteJSON(w, http.StatusOK, struct {
		Site        string         `json:"site"`
		Revision    string         `json:"revision"`
		PublishedAt time.Time      `json:"published_at"`
		Registry    *registry.Site `json:"registry"`
		Banners     []escrowedJSON `json:"banners"`
	}{siteID, rev.ID, rev.PublishedAt.UTC(), rev.Site, banners})
}

var sha256Hex = regexp.MustCompile(`^[0-9a-f]{64}$`)

// escrowedBanner answers GET …/revisions/{revision}/banners/{sha256}.js with
// the bytes kept. They are evidence to download and hash, not a script to
// run from here: text/plain as an attachment (with nosniff, set for every
// response), so no browser executes them from charte's origin.
func (s *Server) escrowedBanner(w http.ResponseWriter, r *http.Request) error {
	siteID, id := r.PathValue("site"), r.PathValue("revision")
	sha, ok := strings.CutSuffix(r.PathValue("file"), ".js")
	var b store.EscrowedBanner
	err := store.ErrNotFound
	if ok && sha256Hex.MatchString(sha) {
		b, err = s.store.BannerScript(r.Context(), siteID, id, sha)
	}
	if errors.Is(err, store.ErrNotFound) {
		return errorf(http.StatusNotFound, "sha256", "%s", i18n.T(s.lang(r, nil), "web.banner.unknown", "File", r.PathValue("file"), "Site", siteID, "Revision", id))
	}
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="charte-banner-`+sha+`.js"`)
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Set("ETag", `"`+sha+`"`)
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("X-Charte-Version", b.Version)
	if etagMatch(r.Header.Get("If-None-Match"), `"`+sha+`"`) {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	_, err = w.Write(b.Script)
	return err
}

// escrowedBannerPath is where the escrowed script of a revision with this
// SHA-256 is served (the back office's record page builds the same links).
func escrowedBannerPath(site, revision, sha string) string {
	return revisionPath(site, revision) + "/banners/" + sha + ".js"
}

// revisionPath is where a published revision's snapshot is served.
func revisionPath(site, revision string) string {
	return "/api/v1/sites/" + url.PathEscape(site) + "/revisions/" + url.PathEscape(revision)
}
