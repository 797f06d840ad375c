package web

import (
	"encoding/json"
	"errors"
	"github.com/charte/charte/internal/httpx"
	"io"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/charte/charte/internal/clientaddr"
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

var idPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{22}$`)

// consentRequest is the body the banner posts.
type consentRequest struct {
	ID        string          `json:"id"`
	ConsentID string          `json:"consent_id"`
	Revision  string          `json:"revision"`
	Action    string          `json:"action"`
	Decisions map[string]bool `json:"decisions"`
	Language  string          `json:"language"`
	Page      string          `json:"page"`
	GPC       bool            `json:"gpc"`
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
	if ok, wait := s.consentLimit.allow(ip, start); !ok {
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
	rev, err := s.revisions.Revision(r.Context(), siteID, req.Revision)
	if errors.Is(err, store.ErrNotFound) {
		return errorf(http.StatusUnprocessableEntity, "revision", "revision %q was never published for this site", req.Revision)
	} else if err != nil {
		return err
	}
	if err := checkConsent(&req, rev); err != nil {
		return err
	}
	rec := proof.Record{
		ID: req.ID, SiteID: siteID, ConsentID: req.ConsentID, Time: start,
		Action: req.Action, Decisions: req.Decisions, Revision: req.Revision, Language: req.Language,
		Page: req.Page, IP: proof.TruncateIP(ip),
		GPC: req.GPC || r.Header.Get("Sec-GPC") == "1",
	}
	if s.cfg.StoreUserAgent {
		rec.UserAgent = truncate(r.UserAgent(), 512)
	}
	stored, err := s.batcher.Append(r.Context(), rec)
	if err != nil {
		return err
	}
	// The server stamps each request's record with its own arrival time, to
	// the microsecond: a stored record carrying this request's time and
	// visitor is the one just written; any other is the first of a resend.
	status := http.StatusOK
	if stored.Time.Equal(start.UTC().Truncate(time.Microsecond)) && stored.ConsentID == rec.ConsentID {
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
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxConsentBody))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return req, errorf(http.StatusRequestEntityTooLarge, "", "the body is larger than %d bytes", maxConsentBody)
	} else if err != nil {
		return req, errorf(http.StatusBadRequest, "", "could not read the body")
	}
	dec := json.NewDecoder(strings.NewReader(string(body)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return req, errorf(http.StatusBadRequest, te.Field, "%s must be a %s", te.Field, te.Type)
		}
		return req, errorf(http.StatusBadRequest, "", "the body is not a consent object: %v", err)
	}
	if dec.More() {
		return req, errorf(http.StatusBadRequest, "", "unexpected data after the consent object")
	}
	return req, nil
}

// checkConsent holds a request against the revision the visitor was shown:
// decisions for exactly its categories needing consent, and an action that
// says the same as the decisions.
func checkConsent(req *consentRequest, rev store.Revision) error {
	switch {
	case !idPattern.MatchString(req.ID):
		return errorf(http.StatusUnprocessableEntity, "id", "id must be 22 characters of base64url")
	case !idPattern.MatchString(req.ConsentID):
		return errorf(http.StatusUnprocessableEntity, "consent_id", "consent_id must be 22 characters of base64url")
	case !slices.Contains(proof.Actions, req.Action):
		return errorf(http.StatusUnprocessableEntity, "action", "action must be one of %s", strings.Join(proof.Actions, ", "))
	case !slices.Contains(rev.Site.Languages, req.Language):
		return errorf(http.StatusUnprocessableEntity, "language", "language must be one of %s", strings.Join(rev.Site.Languages, ", "))
	}
	page, err := url.Parse(req.Page)
	if err != nil || !strings.HasPrefix(page.Path, "/") || page.Host != "" || len(page.Path) > 512 {
		return errorf(http.StatusUnprocessableEntity, "page", "page must be the path of the page, such as /datasets")
	}
	req.Page = page.Path // the query string may hold personal data: dropped
	wanted := rev.Site.ConsentCategories()
	if len(req.Decisions) != len(wanted) {
		return errorf(http.StatusUnprocessableEntity, "decisions", "decisions must cover exactly %v", wanted)
	}
	granted := 0
	for _, c := range wanted {
		g, ok := req.Decisions[c]
		if !ok {
			return errorf(http.StatusUnprocessableEntity, "decisions", "decisions must cover exactly %v", wanted)
		}
		if g {
			granted++
		}
	}
	switch {
	case req.Action == proof.AcceptAll && granted != len(wanted):
		return errorf(http.StatusUnprocessableEntity, "decisions", "accept_all must grant every category")
	case (req.Action == proof.RejectAll || req.Action == proof.GPC) && granted != 0:
		return errorf(http.StatusUnprocessableEntity, "decisions", "%s must refuse every category", req.Action)
	}
	return nil
}

// clientAddr is the server's one rule for client addresses (package
// clientaddr): the consent rate limit and records, and through the back
// office, login throttling, sessions and the audit log.
func (s *Server) clientAddr() clientaddr.Policy {
	return clientaddr.Policy{TrustProxy: s.cfg.TrustProxy, Hops: s.cfg.TrustProxyHops}
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
