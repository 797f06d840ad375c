package web

import (
	"net/http"
	"time"

	"github.com/charte/charte/internal/httpx"
	"github.com/charte/charte/internal/proof"
	"github.com/charte/charte/internal/store"
)

// proofHead publishes the end of a site's chain, signed with the
// installation's key: its seq (also as count), hash and time. Publishing a
// timestamped hash is one of the CNIL's accepted ways to prove that records
// were not rewritten afterwards; an auditor who saves these answers can later
// prove what the chain held (`charte consents verify --witness`), and the
// signature that this server said so.
func (s *Server) proofHead(w http.ResponseWriter, r *http.Request) error {
	siteID := r.PathValue("site")
	if _, err := s.revisions.Published(r.Context(), siteID); err != nil {
		return notPublished(err, siteID)
	}
	signer, err := s.signer.get(r.Context())
	if err != nil {
		return err
	}
	head, err := store.SignHead(r.Context(), s.store, signer, siteID)
	if err != nil {
		return err
	}
	w.Header().Set("Access-Control-Allow-Origin", "*")
	w.Header().Set("Cache-Control", "no-store")
	return httpx.WriteJSON(w, http.StatusOK, struct {
		proof.SignedHead
		Now string `json:"now"`
	}{head, time.Now().UTC().Format(time.RFC3339)})
}

// consentHistory gives a visitor their own records. The consent id is a
// random secret only their browser holds, so knowing it is the permission.
func (s *Server) consentHistory(w http.ResponseWriter, r *http.Request) error {
	siteID, consentID := r.PathValue("site"), r.PathValue("consent_id")
	if _, err := s.revisions.Published(r.Context(), siteID); err != nil {
		return notPublished(err, siteID)
	}
	if r.Header.Get("Origin") != "" {
		if err := s.allowOrigin(w, r, siteID); err != nil {
			return err
		}
	}
	if !proof.ValidID(consentID) {
		return errorf(http.StatusBadRequest, "consent_id", "consent_id must be 22 characters of base64url")
	}
	recs, err := s.store.ConsentHistory(r.Context(), siteID, consentID)
	if err != nil {
		return err
	}
	if recs == nil {
		recs = []proof.Record{}
	}
	w.Header().Set("Cache-Control", "no-store")
	return httpx.WriteJSON(w, http.StatusOK, struct {
		ConsentID string         `json:"consent_id"`
		Records   []proof.Record `json:"records"`
	}{consentID, recs})
}
