// Package admin is charte's back office: the pages where operators sign in,
// declare cookies, word the banner, publish, watch consent and export proof.
// Its routes are in the server's one table (internal/web/routes.go), each
// wrapped by Page or API; handlers return errors to one renderer (render.go).
package admin

import (
	"cmp"
	"context"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/charte/charte/internal/alert"
	"github.com/charte/charte/internal/assets"
	"github.com/charte/charte/internal/auth"
	"github.com/charte/charte/internal/clientaddr"
	"github.com/charte/charte/internal/httpx"
	"github.com/charte/charte/internal/scan"
	"github.com/charte/charte/internal/store"
	"github.com/charte/charte/registry"
)

// Config is where the back office runs.
type Config struct {
	// BaseURL is the public URL of charte: its origin is trusted for CSRF,
	// and cookies are Secure when it is HTTPS.
	BaseURL *url.URL
	// TrustedOrigins are further origins allowed to post forms, like
	// Django's CSRF_TRUSTED_ORIGINS ("https://*.example.org" allowed).
	TrustedOrigins []string
	// Params are the argon2id costs for new passwords (auth.DefaultParams
	// when zero); tests lower them.
	Params auth.Params
	// Chromium is the browser the back office's scans drive; "" finds
	// chromium on $PATH.
	Chromium string
	// ScanPrivateNetworks lets back-office scans reach loopback, private,
	// link-local and other special addresses. Off, an editor cannot turn
	// the scanner on the server's own network (the report's screenshot
	// would show what it found there).
	ScanPrivateNetworks bool
	// ScanLoadTimeout and ScanStepTimeout bound a back-office scan's page
	// loads and other browser steps (scan.Options; defaults when zero).
	ScanLoadTimeout, ScanStepTimeout time.Duration
	// SiteChanged, when set, is called after the back office changes a
	// site's draft or publishes it, so the server drops what it cached of
	// the site: an operator sees a publish take effect at once on this node.
	SiteChanged func(site string)
	// ClientAddr tells the client's address for throttling, sessions and
	// the audit log, the same way the rest of the server does.
	ClientAddr clientaddr.Policy
	// Webhook and Mailer deliver the alerts scheduled scans raise (nil:
	// that channel is off; alerts still show in the back office).
	// AlertLanguage is the e-mail's first language, one of the back
	// office's (fr when "" or another); English or French follows.
	Webhook       *alert.Webhook
	Mailer        *alert.Mailer
	AlertLanguage string
	// ScheduleEvery is how often due scheduled scans are looked for (a
	// minute when zero; tests shorten it).
	ScheduleEvery time.Duration
}

// Admin serves the back office.
type Admin struct {
	cfg      Config
	st       store.Store
	log      *slog.Logger
	sessions *auth.Sessions
	csrf     *auth.CSRF
	throttle *auth.Throttle
	pages    map[string]*template.Template
	assets   *assets.Set
	scans    *scanRunner // scan_runner.go: one scan at a time
	// stopSchedules stops looking for due scheduled scans (schedule.go).
	stopSchedules func()
}

// New builds the back office on st.
func New(cfg Config, st store.Store, log *slog.Logger) (*Admin, error) {
	if cfg.Params == (auth.Params{}) {
		cfg.Params = auth.DefaultParams
	}
	secure := cfg.BaseURL != nil && cfg.BaseURL.Scheme == "https"
	csrf, err := auth.NewCSRF(cfg.BaseURL, cfg.TrustedOrigins)
	if err != nil {
		return nil, err
	}
	a := &Admin{cfg: cfg, st: st, log: log, csrf: csrf,
		sessions: auth.NewSessions(st, secure, cfg.ClientAddr), throttle: auth.NewThrottle(st)}
	a.scans = newScanRunner(st, log, scan.Options{Chromium: cfg.Chromium,
		Policy:      scan.AddressPolicy{PublicOnly: !cfg.ScanPrivateNetworks},
		LoadTimeout: cfg.ScanLoadTimeout, StepTimeout: cfg.ScanStepTimeout})
	a.scans.done = a.scanDone
	schedCtx, stop := context.WithCancel(context.Background())
	scheduled := make(chan struct{})
	go func() { defer close(scheduled); a.runSchedules(schedCtx, cmp.Or(cfg.ScheduleEvery, time.Minute)) }()
	a.stopSchedules = func() { stop(); <-scheduled }
	if a.assets, err = assets.Load(staticFiles, "static", "/admin/static/"); err != nil {
		return nil, fmt.Errorf("admin assets: %w", err)
	}
	if a.pages, err = parsePages(a.assets.URL); err != nil {
		return nil, fmt.Errorf("admin templates: %w", err)
	}
	return a, nil
}

// handler is the shape of every back-office handler: it returns its error
// to the one renderer, fail.
type handler = httpx.Handler

// Page wraps a back-office page handler. Outermost first: security headers,
// a body limit, the session, CSRF, then the route's permission. Site
// permissions are checked against the {site} of the URL before the handler
// runs, so a handler never sees a site its user may not reach, whatever id
// is guessed.
func (a *Admin) Page(perm auth.Perm, h httpx.Handler) http.Handler {
	g := a.guard(perm, h)
	g = a.csrf.Protect(g, a.fail)
	g = a.sessions.Load(g)
	limit := int64(signedInBody)
	if perm == auth.Public {
		limit = publicBody
	}
	return securityHeaders(limitBody(limit, g))
}

// API wraps a handler of the private JSON API like Page, with an API token
// ("Authorization: Bearer") accepted in place of the session: a token
// replaces the session and needs no CSRF token.
func (a *Admin) API(perm auth.Perm, h httpx.Handler) http.Handler {
	g := a.guard(perm, h)
	g = a.csrf.Protect(g, a.fail)
	g = auth.Bearer(a.st, g, a.fail)
	g = a.sessions.Load(g)
	return securityHeaders(limitBody(signedInBody, g))
}

// Body limits. A registry is at most a few hundred KiB; 4 MiB leaves room
// for a YAML import and refuses anything meant to exhaust memory. Routes
// anyone may post to (the login and language forms) carry a few short
// fields: 64 KiB is plenty, and an anonymous client cannot make the server
// buffer more.
const (
	signedInBody = 4 << 20
	publicBody   = 64 << 10
)

func limitBody(limit int64, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		next.ServeHTTP(w, r)
	})
}

// securityHeaders: a strict CSP with no inline script; frame-src 'self'
// lets the texts page show the draft's charter and banner previews, which
// set their own CSP.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self' data:; script-src 'self'; connect-src 'self'; form-action 'self'; frame-src 'self'; frame-ancestors 'none'; base-uri 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cache-Control", "no-store")
		next.ServeHTTP(w, r)
	})
}

// guard checks the route's permission, then runs the handler.
func (a *Admin) guard(perm auth.Perm, h handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if perm != auth.Public {
			id, ok := auth.FromContext(r.Context())
			if !ok {
				if r.Method == http.MethodGet && !httpx.IsAPI(r) {
					http.Redirect(w, r, "/admin/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
					return
				}
				a.fail(w, r, errorf(http.StatusUnauthorized, "error.signin"))
				return
			}
			if !auth.Can(id.User, perm, r.PathValue("site")) {
				a.fail(w, r, errorf(http.StatusForbidden, "error.forbidden"))
				return
			}
		}
		if err := h(w, r); err != nil {
			a.fail(w, r, err)
		}
	})
}

func (a *Admin) NotFound(w http.ResponseWriter, r *http.Request) error {
	return errorf(http.StatusNotFound, "error.notfound")
}

// SetLanguage remembers a language chosen on a charter or in the back
// office: any of charte's languages, since a charter may be in any; the
// back office, speaking fewer, falls back from the ones it lacks.
func (a *Admin) SetLanguage(w http.ResponseWriter, r *http.Request) error {
	secure := a.cfg.BaseURL != nil && a.cfg.BaseURL.Scheme == "https"
	auth.SetLanguage(registry.Languages, secure).ServeHTTP(w, r)
	return nil
}

// Close stops a back-office scan still running, recording it as failed
// because the server shut down, and waits for that to be stored. Call it
// after the HTTP server has stopped, before closing the store.
func (a *Admin) Close() {
	a.stopSchedules()
	a.scans.close()
}
