package web

import (
	"errors"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/charte/charte/internal/clientaddr"
	"github.com/charte/charte/internal/httpx"
	"github.com/charte/charte/internal/proof"
	"github.com/charte/charte/internal/store"
	"github.com/charte/charte/registry"
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
	// Before anything looks the text up in the database: PostgreSQL fails a
	// query on a NUL byte or invalid UTF-8 with an error that became a 500.
	if err := checkConsentText(&req); err != nil {
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
		rec.UserAgent = cleanUserAgent(r.UserAgent())
	}
	stored, err := s.batcher.Append(r.Context(), rec)
	var fe *proof.FieldError
	if errors.As(err, &fe) {
		// The checks above should have caught it: the batcher's is the last
		// line, and its answer is still the visitor's to read.
		return errorf(http.StatusUnprocessableEntity, fe.Field, "%s %s", fe.Field, fe.Message)
	} else if err != nil {
		return err
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

// checkConsentText refuses a request whose texts cannot be stored (invalid
// UTF-8, control characters, too long: proof.Record.Check), with a 422
// naming the field. The page is checked once decoded too: "/a%00b" is
// plain text but its path holds a NUL.
func checkConsentText(req *consentRequest) error {
	// The page is checked apart: it may carry a query string, dropped
	// later, so its raw length limit is looser than the stored path's.
	rec := proof.Record{ID: req.ID, ConsentID: req.ConsentID, Action: req.Action, Revision: req.Revision,
		Language: req.Language, Decisions: req.Decisions}
	if err := rec.Check(); err != nil {
		var fe *proof.FieldError
		if errors.As(err, &fe) {
			return errorf(http.StatusUnprocessableEntity, fe.Field, "%s %s", fe.Field, fe.Message)
		}
		return err
	}
	if len(req.Page) > 4*proof.MaxPageLength {
		return errorf(http.StatusUnprocessableEntity, "page", "page is longer than %d bytes", 4*proof.MaxPageLength)
	}
	if err := registry.CheckText(req.Page, false); err != nil {
		return errorf(http.StatusUnprocessableEntity, "page", "page %v", err)
	}
	if page, err := url.Parse(req.Page); err == nil {
		if err := registry.CheckText(page.Path, false); err != nil {
			return errorf(http.StatusUnprocessableEntity, "page", "page, once decoded, %v", err)
		}
	}
	return nil
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

// checkConsent holds a request against the revision the visitor was shown:
// decisions for exactly its categories needing consent, and an action that
// says the same as the decisions.
func checkConsent(req *consentRequest, rev store.Revision) error {
	if err := checkConsentText(req); err != nil {
		return err
	}
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
	if len(wanted) == 0 {
		// No banner asks anything there: a record would prove a choice
		// nobody was offered.
		return errorf(http.StatusUnprocessableEntity, "site", "every cookie of this site is exempt from consent: there is no choice to record")
	}
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
	// The banner sends withdraw whenever a choice takes back a category the
	// previous one granted, keeping the categories still granted (withdraw
	// statistics, keep marketing): a partial withdrawal grants some. So only
	// a withdraw that refuses nothing, and therefore withdraws nothing, is
	// refused.
	case req.Action == proof.Withdraw && granted == len(wanted):
		return errorf(http.StatusUnprocessableEntity, "decisions", "withdraw must refuse at least one category")
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
