// Package admin is charte's back office: the pages where operators sign in,
// declare cookies, word the banner, publish, watch consent and export proof.
// Its route table below writes the permission beside every route; handlers
// return errors to one renderer (render.go).
package admin

import (
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/charte/charte/internal/assets"
	"github.com/charte/charte/internal/auth"
	"github.com/charte/charte/internal/scan"
	"github.com/charte/charte/internal/store"
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
		sessions: auth.NewSessions(st, secure), throttle: auth.NewThrottle(st)}
	a.scans = newScanRunner(st, log, scan.Options{Chromium: cfg.Chromium,
		Policy:      scan.AddressPolicy{PublicOnly: !cfg.ScanPrivateNetworks},
		LoadTimeout: cfg.ScanLoadTimeout, StepTimeout: cfg.ScanStepTimeout})
	if a.assets, err = assets.Load(staticFiles, "static", "/admin/static/"); err != nil {
		return nil, fmt.Errorf("admin assets: %w", err)
	}
	if a.pages, err = parsePages(a.assets.URL); err != nil {
		return nil, fmt.Errorf("admin templates: %w", err)
	}
	return a, nil
}

// handler is a back-office handler: it returns its error to the renderer.
type handler func(w http.ResponseWriter, r *http.Request) error

type route struct {
	pattern string
	perm    auth.Perm
	h       handler
}

// table is the whole back office. ViewSite and EditSite are checked against
// the {site} of the URL before the handler runs, so a handler never sees a
// site its user may not reach, whatever id is guessed.
func (a *Admin) table() []route {
	return []route{
		{"GET /admin/static/{file}", auth.Public, a.static},
		{"GET /admin/login", auth.Public, a.loginForm},
		{"POST /admin/login", auth.Public, a.login},
		{"POST /i18n/setlang", auth.Public, a.setLanguage},
		{"POST /admin/logout", auth.SignedIn, a.logout},
		{"GET /admin/{$}", auth.SignedIn, a.dashboard},
		{"GET /admin/password", auth.SignedIn, a.passwordForm},
		{"POST /admin/password", auth.SignedIn, a.changePassword},

		{"GET /admin/sites/{site}/{$}", auth.ViewSite, a.settingsForm},
		{"POST /admin/sites/{site}/{$}", auth.EditSite, a.saveSettings},
		{"GET /admin/sites/{site}/registry", auth.ViewSite, a.registryPage},
		{"GET /admin/sites/{site}/categories/{cat}", auth.EditSite, a.categoryForm},
		{"POST /admin/sites/{site}/categories/{cat}", auth.EditSite, a.saveCategory},
		{"POST /admin/sites/{site}/categories/{cat}/delete", auth.EditSite, a.deleteCategory},
		{"GET /admin/sites/{site}/cookies/{n}", auth.EditSite, a.cookieForm},
		{"POST /admin/sites/{site}/cookies/{n}", auth.EditSite, a.saveCookie},
		{"POST /admin/sites/{site}/cookies/{n}/delete", auth.EditSite, a.deleteCookie},
		{"GET /admin/sites/{site}/export.yaml", auth.ViewSite, a.exportYAML},
		{"POST /admin/sites/{site}/import", auth.EditSite, a.importYAML},
		{"GET /admin/sites/{site}/texts", auth.EditSite, a.textsForm},
		{"POST /admin/sites/{site}/texts", auth.EditSite, a.saveTexts},
		{"GET /admin/sites/{site}/preview", auth.ViewSite, a.preview},
		{"GET /admin/sites/{site}/banner-preview", auth.ViewSite, a.bannerPreview},
		{"GET /admin/sites/{site}/publish", auth.EditSite, a.publishForm},
		{"POST /admin/sites/{site}/publish", auth.EditSite, a.publish},
		{"GET /admin/sites/{site}/stats", auth.ViewSite, a.statsPage},
		{"GET /admin/sites/{site}/consents", auth.ViewSite, a.consentLog},
		{"GET /admin/sites/{site}/consents/{seq}", auth.ViewSite, a.recordPage},
		{"GET /admin/sites/{site}/consents.csv", auth.ViewSite, a.exportCSV},
		{"GET /admin/sites/{site}/consents.json", auth.ViewSite, a.exportJSON},
		{"GET /admin/sites/{site}/verify", auth.ViewSite, a.verifyChain},
		{"GET /admin/sites/{site}/scans", auth.ViewSite, a.scansPage},
		{"POST /admin/sites/{site}/scans", auth.EditSite, a.startScan},
		{"GET /admin/sites/{site}/scans/{id}", auth.ViewSite, a.scanPage},
		{"GET /admin/sites/{site}/scans/{id}/report.html", auth.ViewSite, a.scanReport},
		{"GET /admin/sites/{site}/scans/{id}/report.json", auth.ViewSite, a.scanReport},
		{"GET /admin/sites/{site}/scans/{id}/report.md", auth.ViewSite, a.scanReport},

		{"GET /admin/audit", auth.Audit, a.auditLog},
		{"GET /admin/users", auth.ManageUsers, a.usersPage},
		{"POST /admin/users", auth.ManageUsers, a.createUser},
		{"POST /admin/users/{id}", auth.ManageUsers, a.updateUser},
		{"POST /admin/users/{id}/delete", auth.ManageUsers, a.deleteUser},
		{"GET /admin/tokens", auth.ManageUsers, a.tokensPage},
		{"POST /admin/tokens", auth.ManageUsers, a.createTokenForm},
		{"POST /admin/tokens/{id}/revoke", auth.ManageUsers, a.revokeTokenForm},
		{"/admin/", auth.Public, a.notFound},
	}
}

// Routes registers the back office and its API (api.go) on mux. Each route
// runs, outermost first: security headers, a body limit, the session, for
// the API an API token (which then replaces the session), CSRF, then the
// route's permission and its handler.
func (a *Admin) Routes(mux *http.ServeMux) {
	for _, rt := range a.table() {
		h := a.guard(rt.perm, rt.h)
		h = a.csrf.Protect(h, a.fail)
		h = a.sessions.Load(h)
		mux.Handle(rt.pattern, securityHeaders(limitBody(h)))
	}
	for _, rt := range a.apiTable() {
		h := a.guard(rt.perm, rt.h)
		h = a.csrf.Protect(h, a.fail)
		h = auth.Bearer(a.st, h, a.fail)
		h = a.sessions.Load(h)
		mux.Handle(rt.pattern, securityHeaders(limitBody(h)))
	}
}

// limitBody: a registry is at most a few hundred KiB; 4 MiB leaves room
// for a YAML import and refuses anything meant to exhaust memory.
func limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 4<<20)
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
				if r.Method == http.MethodGet && !isAPI(r) {
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

func (a *Admin) notFound(w http.ResponseWriter, r *http.Request) error {
	return errorf(http.StatusNotFound, "error.notfound")
}

func (a *Admin) setLanguage(w http.ResponseWriter, r *http.Request) error {
	secure := a.cfg.BaseURL != nil && a.cfg.BaseURL.Scheme == "https"
	auth.SetLanguage(languages, secure).ServeHTTP(w, r)
	return nil
}

// Close stops a back-office scan still running, recording it as failed
// because the server shut down, and waits for that to be stored. Call it
// after the HTTP server has stopped, before closing the store.
func (a *Admin) Close() {
	a.scans.close()
}
