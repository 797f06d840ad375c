// Package web is charte's HTTP layer: the public pages and JSON API, the
// banner, the consent endpoint and the back office. It turns requests into
// calls on the store and renders what comes back; it holds no business rule
// of its own.
package web

import (
	"cmp"
	"context"
	"embed"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/charte/charte/internal/banner"

	"github.com/charte/charte/internal/admin"
	"github.com/charte/charte/internal/alert"
	"github.com/charte/charte/internal/assets"
	"github.com/charte/charte/internal/auth"
	"github.com/charte/charte/internal/i18n"
	"github.com/charte/charte/internal/proof"
	"github.com/charte/charte/internal/store"
	"github.com/charte/charte/registry"
)

//go:embed templates/*.html
var templateFiles embed.FS

// Config is what the server needs to know about where it runs.
type Config struct {
	// BaseURL is the public URL of this charte server, e.g.
	// https://charte.example; it makes absolute banner URLs and decides
	// whether cookies are Secure.
	BaseURL *url.URL
	// ConsentRate limits consent posts per client network (the /24 or /48
	// the proof stores: consent.go says why), per minute
	// (0: no limit), with ConsentBurst requests allowed at once.
	ConsentRate, ConsentBurst int
	// StoreUserAgent keeps the browser's user-agent in consent records.
	StoreUserAgent bool
	// TrustProxy takes the client address from X-Forwarded-For, for a
	// charte behind TrustProxyHops reverse proxies (clientaddr.Policy).
	TrustProxy     bool
	TrustProxyHops int
	// BatchSize caps the consent records committed per transaction.
	BatchSize int
	// Chromium is the browser back-office scans drive ("" finds chromium
	// on $PATH).
	Chromium string
	// ScanPrivateNetworks, ScanLoadTimeout and ScanStepTimeout are the
	// back office's scan settings (admin.Config).
	ScanPrivateNetworks              bool
	ScanLoadTimeout, ScanStepTimeout time.Duration
	// CSRFTrustedOrigins may post back-office forms besides BaseURL's.
	CSRFTrustedOrigins []string
	// PasswordParams are the argon2id costs of new passwords
	// (auth.DefaultParams when zero); tests lower them.
	PasswordParams auth.Params
	// Signer signs the published heads; nil loads the installation's key
	// from the store on first need.
	Signer *proof.Signer
	// RevisionTTL is how long the server serves a site's published
	// revision from memory before asking the database again (5 s when
	// zero): the longest another node's publish takes to show here when
	// notifications are not carried (SQLite, a lost connection).
	RevisionTTL time.Duration
	// Webhook, Mailer and AlertLanguage deliver the alerts of scheduled
	// scans; ScheduleEvery is how often due ones are looked for
	// (admin.Config).
	Webhook       *alert.Webhook
	Mailer        *alert.Mailer
	AlertLanguage string
	ScheduleEvery time.Duration
}

// Server serves charte over HTTP.
type Server struct {
	cfg    Config
	store  store.Store
	log    *slog.Logger
	pages  *template.Template
	assets *assets.Set
	mux    *http.ServeMux

	revisions    *revisionCache
	rendered     *renderCache
	csrf         *auth.CSRF // the charter page's language form
	batcher      *proof.Batcher
	metrics      *metrics
	consentLimit *rateLimiter
	escrow       *escrower     // escrow.go: banner scripts kept as served
	scripts      *banner.Cache // banner.go: the scripts built, each escrowed on its first serving
	signer       *signerCache  // proofkey.go: the key that signs heads
	admin        *admin.Admin

	stopWatch func() // sitenotify.go: stops hearing other nodes' publishes
}

// New builds a server on st. It starts nothing: call Handler and serve it.
func New(cfg Config, st store.Store, log *slog.Logger) (*Server, error) {
	s := &Server{cfg: cfg, store: st, log: log, mux: http.NewServeMux(),
		revisions:    newRevisionCache(st, cmp.Or(cfg.RevisionTTL, 5*time.Second)),
		rendered:     newRenderCache(renderBytes),
		metrics:      newMetrics(),
		consentLimit: newRateLimiter(cfg.ConsentRate, cfg.ConsentBurst),
		signer:       &signerCache{st: st, signer: cfg.Signer},
	}
	var err error
	if s.csrf, err = auth.NewCSRF(cfg.BaseURL, cfg.CSRFTrustedOrigins); err != nil {
		return nil, err
	}
	if s.assets, err = assets.Load(staticFiles, "static", "/static/"); err != nil {
		return nil, fmt.Errorf("static assets: %w", err)
	}
	s.pages, err = template.New("").Funcs(template.FuncMap{
		"t":     func(lang, key string) string { return messages.T(lang, key) },
		"asset": s.assets.URL,
		"dict":  dict,
	}).ParseFS(templateFiles, "templates/*.html")
	if err != nil {
		return nil, err
	}
	s.escrow = newEscrower(st, log, s.metrics.escrows)
	// Each script built is escrowed (escrow.go): a miss is a first serving.
	s.scripts = banner.NewCache(s.escrow.built)
	s.escrow.cache = s.scripts
	s.batcher = proof.NewBatcher(st, cfg.BatchSize, func(n int) { s.metrics.batchSize.Observe(float64(n)) })
	if s.admin, err = admin.New(admin.Config{BaseURL: cfg.BaseURL, TrustedOrigins: cfg.CSRFTrustedOrigins, Chromium: cfg.Chromium, Params: cfg.PasswordParams,
		ClientAddr: s.clientAddr(), SiteChanged: s.siteChanged,
		ScanPrivateNetworks: cfg.ScanPrivateNetworks, ScanLoadTimeout: cfg.ScanLoadTimeout, ScanStepTimeout: cfg.ScanStepTimeout,
		Webhook: cfg.Webhook, Mailer: cfg.Mailer, AlertLanguage: cfg.AlertLanguage, ScheduleEvery: cfg.ScheduleEvery}, st, log); err != nil {
		return nil, err
	}
	s.routes()
	// Publishes on other nodes reach this one's cache as they happen. The
	// server starts once it hears them (or after a few seconds, the TTL
	// then covering until it does), so a publish made as it starts is not
	// missed.
	watchCtx, stopWatch := context.WithCancel(context.Background())
	ready, watched := make(chan struct{}), make(chan struct{})
	go func() { defer close(watched); s.watchSites(watchCtx, ready) }()
	s.stopWatch = func() { stopWatch(); <-watched }
	select {
	case <-ready:
	case <-time.After(5 * time.Second):
		log.Warn("not yet hearing other nodes' publishes: serving meanwhile, with revisions cached at most 5 s")
	}
	return s, nil
}

// Close commits the consent records still queued and waits for the banner
// escrows under way. Call it after the HTTP server has shut down, before
// closing the store.
func (s *Server) Close() error {
	s.stopWatch()
	s.admin.Close()
	s.escrow.close()
	s.batcher.Close()
	return nil
}

// dict builds a map from key, value pairs so a template can pass several
// values to another.
func dict(kv ...any) map[string]any {
	m := make(map[string]any, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		m[fmt.Sprint(kv[i])] = kv[i+1]
	}
	return m
}

// Handler returns the server's handler with its outer middleware:
// recovery first so no panic reaches a visitor, then security headers, then
// the URL text check.
func (s *Server) Handler() http.Handler {
	return s.recoverPanics(securityHeaders(s.checkURLText(s.mux)))
}

// checkURLText answers 400 to a request whose decoded path or query holds
// text no handler can use: invalid UTF-8 or a control character (NUL
// included), "/sites/a%00b/charter" or "?since=%FF". Handlers pass path
// values and parameters to the database, where PostgreSQL refuses them
// with an error that became a 500; one check here covers every route, the
// back office's included. A query that does not parse (a stray %) is left
// to the handlers, which see those parameters as absent, as before.
func (s *Server) checkURLText(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := registry.CheckText(r.URL.Path, false); err != nil {
			s.fail(w, r, errorf(http.StatusBadRequest, "path", "the path %v", err))
			return
		}
		query, _ := url.ParseQuery(r.URL.RawQuery)
		for key, values := range query {
			if err := registry.CheckText(key, false); err != nil {
				s.fail(w, r, errorf(http.StatusBadRequest, "query", "a query parameter's name %v", err))
				return
			}
			for _, v := range values {
				if err := registry.CheckText(v, false); err != nil {
					s.fail(w, r, errorf(http.StatusBadRequest, key, "the query parameter %q %v", key, err))
					return
				}
			}
		}
		next.ServeHTTP(w, r)
	})
}

// lang picks the language of a response among supported (all of charte's
// languages when nil): ?lang=, then django_language, then Accept-Language.
func (s *Server) lang(r *http.Request, supported []string) string {
	if supported == nil {
		supported = []string{"fr", "en"}
	}
	explicit := []string{r.URL.Query().Get("lang")}
	if c, err := r.Cookie("django_language"); err == nil {
		explicit = append(explicit, c.Value)
	}
	return i18n.Negotiate(supported, supported[0], explicit, r.Header.Get("Accept-Language"))
}

// secure reports whether cookies must be Secure: the public URL is HTTPS.
func (s *Server) secure() bool {
	return s.cfg.BaseURL != nil && strings.EqualFold(s.cfg.BaseURL.Scheme, "https")
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) error {
	if _, err := s.store.ListSites(r.Context()); err != nil {
		return errorf(http.StatusServiceUnavailable, "", "database unavailable")
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, err := w.Write([]byte("ok\n"))
	return err
}

func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("panic", "path", r.URL.Path, "panic", v)
				s.fail(w, r, errorf(http.StatusInternalServerError, "", "internal error"))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// securityHeaders sets the defaults every response gets; handlers that serve
// something else (the banner script, the charter's inline style) override
// Content-Security-Policy.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self' data:; script-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
		next.ServeHTTP(w, r)
	})
}
