package web

import (
	"errors"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/charte/charte/internal/clientaddr"
	"github.com/charte/charte/internal/httpx"
	"github.com/charte/charte/internal/proof"
	"github.com/charte/charte/internal/store"
)

// The consent API is cross-origin by design: the banner runs on the
// operator's site and posts here without cookies (credentials: 'omit'). It
// is therefore outside CSRF protection, which guards cookie-authenticated
// requests; what protects it is the Origin check against the site's declared
// origins, CORS answering only those, the body checks and the rate limit.

// maxConsentBody bounds a consent request: a real one is about 300 bytes.
const maxConsentBody = 4 << 10

// consentRequest is the body the banner posts.
type consentRequest struct {
	ID        string          `json:"id"`
	ConsentID string          `json:"consent_id"`
	Revision  string          `json:"revision"`
	Action    string          `json:"action"`
	Decisions map[string]bool `json:"decisions"`
	// Services decide per service, on a site with services (optional).
	Services map[string]bool `json:"services,omitempty"`
	Language string          `json:"language"`
	Page     string          `json:"page"`
	GPC      bool            `json:"gpc"`
}

// consentResponse acknowledges a durable record.
type consentResponse struct {
	ID   string `json:"id"`
	Seq  int64  `json:"seq"`
	Hash string `json:"hash"`
}

// allowOrigin checks the request's Origin against the site's declared
// origins and charte's own (its demo page), and answers CORS for it.
func (s *Server) allowOrigin(w http.ResponseWriter, r *http.Request, site string) error {
	w.Header().Add("Vary", "Origin")
	origins, err := s.revisions.Origins(r.Context(), site)
	if err != nil {
		return err
	}
	origin := r.Header.Get("Origin")
	if origin == "" {
		return errorf(http.StatusForbidden, "origin", "the Origin header is missing: consents are accepted from the site's pages only")
	}
	own := s.cfg.BaseURL != nil && strings.EqualFold(origin, s.cfg.BaseURL.Scheme+"://"+s.cfg.BaseURL.Host)
	if !own && !slices.ContainsFunc(origins, func(o string) bool { return strings.EqualFold(o, origin) }) {
		return errorf(http.StatusForbidden, "origin", "origin %s is not declared for this site", origin)
	}
	w.Header().Set("Access-Control-Allow-Origin", origin)
	return nil
}

func (s *Server) consentPreflight(w http.ResponseWriter, r *http.Request) error {
	if _, err := s.revisions.Published(r.Context(), r.PathValue("site")); err != nil {
		return notPublished(err, r.PathValue("site"))
	}
	if err := s.allowOrigin(w, r, r.PathValue("site")); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Access-Control-Allow-Methods", "POST")
	h.Set("Access-Control-Allow-Headers", "Content-Type")
	h.Set("Access-Control-Max-Age", "86400")
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func notPublished(err error, site string) error {
	if errors.Is(err, store.ErrNotFound) {
		return errorf(http.StatusNotFound, "site", "unknown or unpublished site %q", site)
	}
	return err
}

// postConsent records a visitor's choice and answers once it is durable.
func (s *Server) postConsent(w http.ResponseWriter, r *http.Request) (err error) {
	start := time.Now()
	defer func() {
		var e *Error
		if errors.As(err, &e) {
			s.metrics.refused.WithLabelValues(strconv.Itoa(e.Status)).Inc()
		}
	}()
	siteID := r.PathValue("site")
	ip := s.clientAddr().From(r)
	// The limit counts per network, the one the proof stores
	// (proof.TruncateIP: /24 for IPv4, /48 for IPv6), not per exact address:
	// one IPv6 subscriber is routinely given a /64 or a /56 and up to a /48,
	// and a /24 is typically one organisation, so counting exact addresses
	// let one visitor walk around the limit by changing address. /48 rather
	// than /64 so the limit holds against every allocation a subscriber may
	// have; it is the same network the record keeps, so what is limited is
	// what the proof can tell apart anyway. A peer address that does not
	// parse (a test's pipe) is its own key.
	key := proof.TruncateIP(ip)
	if key == "" {
		key = ip
	}
	if ok, wait := s.consentLimit.allow(key, start); !ok {
		e := errorf(http.StatusTooManyRequests, "", "too many consent requests from this address; retry later")
		e.Header = http.Header{"Retry-After": {strconv.Itoa(int(wait.Seconds()) + 1)}}
		return e
	}
	if _, err := s.revisions.Published(r.Context(), siteID); err != nil {
		return notPublished(err, siteID)
	}
	if err := s.allowOrigin(w, r, siteID); err != nil {
		return err
	}
	req, err := decodeConsent(w, r)
	if err != nil {
		return err
	}
	rec := proof.Record{
		ID: req.ID, SiteID: siteID, ConsentID: req.ConsentID, Time: start,
		Action: req.Action, Decisions: req.Decisions, Services: req.Services, Revision: req.Revision, Language: req.Language,
		Page: req.Page, IP: proof.TruncateIP(ip),
		GPC: req.GPC || r.Header.Get("Sec-GPC") == "1",
	}
	// Before anything looks the text up in the database: PostgreSQL fails a
	// query on a NUL byte or invalid UTF-8 with an error that became a 500.
	if err := rec.CheckSent(); err != nil {
		return fieldError(err)
	}
	rev, err := s.revisions.Revision(r.Context(), siteID, req.Revision)
	if errors.Is(err, store.ErrNotFound) {
		return errorf(http.StatusUnprocessableEntity, "revision", "revision %q was never published for this site", req.Revision)
	} else if err != nil {
		return err
	}
	if err := proof.CheckAgainst(&rec, rev.Site); err != nil {
		return fieldError(err)
	}
	if s.cfg.StoreUserAgent {
		rec.UserAgent = cleanUserAgent(r.UserAgent())
	}
	stored, err := s.batcher.Append(r.Context(), rec)
	if err != nil {
		// A FieldError here escaped the checks above: the batcher's is the
		// last line, and its answer is still the visitor's to read.
		return fieldError(err)
	}
	// 201 for a record this request stored, 200 with the first record for
	// a resend: the append says which.
	status := http.StatusOK
	if stored.Created {
		status = http.StatusCreated
		s.metrics.consents.WithLabelValues(siteID, rec.Action).Inc()
	}
	s.metrics.latency.Observe(time.Since(start).Seconds())
	return httpx.WriteJSON(w, status, consentResponse{ID: stored.ID, Seq: stored.Seq, Hash: stored.Hash})
}

func decodeConsent(w http.ResponseWriter, r *http.Request) (consentRequest, error) {
	var req consentRequest
	// text/plain is accepted too: it lets a page send the record without a
	// CORS preflight, which matters for keepalive requests sent on unload.
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct != "application/json" && ct != "text/plain" {
		return req, errorf(http.StatusUnsupportedMediaType, "", "send the consent as application/json")
	}
	if err := httpx.DecodeJSON(http.MaxBytesReader(w, r.Body, maxConsentBody), maxConsentBody, &req); err != nil {
		var e *httpx.JSONError
		if errors.As(err, &e) {
			return req, errorf(e.Status, e.Field, "%s", e.Message)
		}
		return req, err
	}
	return req, nil
}

// fieldError answers a record proof refuses (*proof.FieldError) with a 422
// naming the field; other errors pass unchanged.
func fieldError(err error) error {
	var fe *proof.FieldError
	if errors.As(err, &fe) {
		return errorf(http.StatusUnprocessableEntity, fe.Field, "%s", fe.Message)
	}
	return err
}

// cleanUserAgent makes a browser's User-Agent header storable: it is kept
// for information, not a field the visitor chose, so it is cleaned rather
// than refused. HTTP headers may carry any byte from 0x80 up and tabs.
func cleanUserAgent(ua string) string {
	ua = strings.Map(func(r rune) rune {
		if r < 0x20 || (r >= 0x7f && r < 0xa0) {
			return -1
		}
		return r
	}, strings.ToValidUTF8(ua, "\ufffd"))
	for len(ua) > proof.MaxUserAgentLength {
		// Cut on a character boundary: a cut UTF-8 sequence is invalid.
		_, n := utf8.DecodeLastRuneInString(ua)
		ua = ua[:len(ua)-n]
	}
	return ua
}

// clientAddr is the server's one rule for client addresses (package
// clientaddr): the consent rate limit and records, and through the back
// office, login throttling, sessions and the audit log.
func (s *Server) clientAddr() clientaddr.Policy {
	return clientaddr.Policy{TrustProxy: s.cfg.TrustProxy, Hops: s.cfg.TrustProxyHops}
}
