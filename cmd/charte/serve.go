package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"runtime/debug"
	"strings"
	"time"

	"github.com/charte/charte/internal/cli"
	"github.com/charte/charte/internal/proof"
	"github.com/charte/charte/internal/scan"
	"github.com/charte/charte/internal/store"
	"github.com/charte/charte/internal/web"
)

const serveHelp = `Run charte's web server: the charter pages, the JSON registry, the consent
banner and API, and the back office. Every flag can also be set with an
environment variable CHARTE_<FLAG>, e.g. CHARTE_DB, CHARTE_LISTEN,
CHARTE_BASE_URL; a flag on the command line wins.

A new database is migrated and seeded with the demo sites (opendata-pau and
demo). An existing database with pending migrations is refused unless
--migrate is given or "charte db migrate" ran.`

// softMemoryLimit is the heap size at which the GC collects whatever GOGC
// says; password hashes are bounded separately (auth/hasher.go).
const softMemoryLimit = 200 << 20

type serveFlags struct {
	listen, db, baseURL, logLevel string
	pprofListen                   string
	migrate                       bool
	shutdown, checkpointInterval  time.Duration
	csrfTrustedOrigins            string
	web                           web.Config
	alerts                        alertFlags // serve_alerts.go
}

func cmdServe(ctx context.Context, io cli.IO, args []string) error {
	fs := cli.NewFlagSet("charte serve", "charte serve [flags]", serveHelp, io.Stderr)
	var f serveFlags
	fs.StringVar(&f.listen, "listen", "127.0.0.1:8080", "address to listen on")
	fs.StringVar(&f.db, "db", cli.DefaultDB, "database: sqlite:PATH or postgres://…")
	fs.StringVar(&f.baseURL, "base-url", "", "public URL of this server, e.g. https://charte.example (default http://<listen>)")
	fs.BoolVar(&f.migrate, "migrate", false, "apply pending migrations before starting")
	fs.StringVar(&f.pprofListen, "pprof-listen", "", "serve Go's profiler (/debug/pprof/) on this separate address, e.g. 127.0.0.1:6060 (default: off)")
	fs.StringVar(&f.logLevel, "log-level", "info", "log level: debug, info, warn or error")
	fs.DurationVar(&f.shutdown, "shutdown-timeout", 15*time.Second, "how long to let requests finish on SIGINT/SIGTERM")
	fs.DurationVar(&f.checkpointInterval, "checkpoint-interval", time.Hour, "how often to record each site's signed proof head when its chain moved (0: never); see charte consents checkpoints")
	fs.IntVar(&f.web.ConsentRate, "consent-rate", 120, "consent posts allowed per client network (its /24 or /48) per minute (0: no limit)")
	fs.IntVar(&f.web.ConsentBurst, "consent-burst", 60, "consent posts a client network (its /24 or /48) may send at once")
	fs.BoolVar(&f.web.StoreUserAgent, "store-user-agent", false, "keep the browser's user-agent in consent records")
	fs.BoolVar(&f.web.TrustProxy, "trust-proxy", false, "take client addresses from X-Forwarded-For (only behind a reverse proxy): the entry --trust-proxy-hops from the right")
	fs.IntVar(&f.web.TrustProxyHops, "trust-proxy-hops", 1, "with --trust-proxy, how many reverse proxies in front of charte append to X-Forwarded-For")
	fs.IntVar(&f.web.BatchSize, "batch-size", 256, "most consent records committed in one transaction")
	fs.StringVar(&f.web.Chromium, "chromium", "", "Chromium binary for back-office scans (default: chromium on $PATH)")
	fs.BoolVar(&f.web.ScanPrivateNetworks, "scan-private-networks", false, "let back-office scans reach loopback, private, link-local and other non-public addresses (an intranet site); off, they reach only public addresses")
	fs.DurationVar(&f.web.ScanLoadTimeout, "scan-load-timeout", scan.DefaultLoadTimeout, "most time a back-office scan waits for one page to load")
	fs.DurationVar(&f.web.ScanStepTimeout, "scan-step-timeout", scan.DefaultStepTimeout, "most time a back-office scan waits for any other browser step")
	fs.StringVar(&f.csrfTrustedOrigins, "csrf-trusted-origins", "", "comma-separated origins besides --base-url allowed to post back-office forms, e.g. https://admin.example.org")
	f.alerts.register(fs)
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	if err := cli.EnvDefaults(fs, io.Getenv); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return cli.Usagef("charte serve: unexpected argument %q", fs.Arg(0))
	}
	if err := f.alerts.apply(&f.web); err != nil {
		return err
	}
	if f.web.ScanLoadTimeout <= 0 || f.web.ScanStepTimeout <= 0 {
		return cli.Usagef("charte serve: --scan-load-timeout and --scan-step-timeout must be positive durations, such as 30s")
	}
	if f.web.TrustProxyHops < 1 {
		return cli.Usagef("charte serve: --trust-proxy-hops %d: want 1 or more proxies", f.web.TrustProxyHops)
	}
	if f.checkpointInterval < 0 {
		return cli.Usagef("charte serve: --checkpoint-interval %v: want a duration such as 1h, or 0 for never", f.checkpointInterval)
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(f.logLevel)); err != nil {
		return cli.Usagef("charte serve: --log-level %q: want debug, info, warn or error", f.logLevel)
	}
	log := slog.New(slog.NewTextHandler(io.Stderr, &slog.HandlerOptions{Level: level}))
	setGCDefaults(io.Getenv)
	if f.pprofListen != "" {
		_, stopPprof, err := startPprof(f.pprofListen, log)
		if err != nil {
			return fmt.Errorf("--pprof-listen: %w", err)
		}
		defer stopPprof()
	}

	ln, err := net.Listen("tcp", f.listen)
	if err != nil {
		return err
	}
	defer ln.Close()
	base, err := baseURL(f.baseURL, ln.Addr())
	if err != nil {
		return err
	}

	st, err := store.Open(ctx, f.db)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := prepareDatabase(ctx, st, f.migrate, log); err != nil {
		return err
	}
	// The key that signs proof heads, created on the first start: every
	// node on the database reads back the same one.
	priv, err := st.ProofKey(ctx)
	if err != nil {
		return err
	}
	if f.web.Signer, err = proof.NewSigner(priv); err != nil {
		return err
	}
	if f.checkpointInterval > 0 {
		stopCheckpoints := startCheckpoints(st, f.web.Signer, f.checkpointInterval, log)
		defer stopCheckpoints()
	}
	if n, err := st.CountUsers(ctx); err == nil && n == 0 {
		log.Warn("no back-office account yet: create the first owner with: charte user add --email you@example.org --role owner")
	}

	f.web.BaseURL = base
	for _, o := range strings.Split(f.csrfTrustedOrigins, ",") {
		if o = strings.TrimSpace(o); o != "" {
			f.web.CSRFTrustedOrigins = append(f.web.CSRFTrustedOrigins, o)
		}
	}
	srv, err := web.New(f.web, st, log)
	if err != nil {
		return err
	}
	httpServer := &http.Server{
		Handler:           srv.Handler(),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	log.Info("charte is listening", "addr", ln.Addr().String(), "url", base.String(), "db", st.Engine(), "proof_key", f.web.Signer.KeyID())

	// Queued consents are committed before the store closes, whatever
	// the way out of this function.
	defer srv.Close()
	served := make(chan error, 1)
	go func() { served <- httpServer.Serve(ln) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down", "timeout", f.shutdown)
	shutdownCtx, cancel := context.WithTimeout(context.Background(), f.shutdown)
	defer cancel()
	if err := httpServer.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// prepareDatabase migrates a new database (and seeds it), and refuses to run
// on an old one with pending migrations unless asked to migrate: an operator
// with several nodes migrates once, on purpose.
func prepareDatabase(ctx context.Context, st store.Store, migrate bool, log *slog.Logger) error {
	pending, err := st.Pending(ctx)
	if err != nil {
		return err
	}
	all, err := store.MigrationNames(st.Engine())
	if err != nil {
		return err
	}
	if len(pending) > 0 && len(pending) < len(all) && !migrate {
		return fmt.Errorf("%w (pending: %v)", store.ErrPendingMigrations, pending)
	}
	applied, err := migrateAndSeed(ctx, st)
	for _, name := range applied {
		log.Info("applied migration", "name", name)
	}
	return err
}

func baseURL(flagValue string, addr net.Addr) (*url.URL, error) {
	if flagValue == "" {
		return &url.URL{Scheme: "http", Host: addr.String()}, nil
	}
	u, err := url.Parse(flagValue)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, cli.Usagef("--base-url %q: want an absolute http(s) URL such as https://charte.example", flagValue)
	}
	u.Path = ""
	return u, nil
}

// setGCDefaults tunes the collector for charte's load unless the operator's
// GOGC and GOMEMLIMIT say otherwise.
func setGCDefaults(getenv func(string) string) {
	if getenv("GOGC") == "" {
		// charte's live heap is small (tens of MB); collecting when it has
		// grown 4× rather than 2× halves the GC's share of the CPU under a
		// burst of consents, for a few tens of MB more. GOGC still wins.
		debug.SetGCPercent(400)
	}
	if getenv("GOMEMLIMIT") == "" {
		// A soft limit makes the GC work harder as the heap nears it, so a
		// burst (GOGC 400 above lets the heap grow 4× between collections)
		// stays within the 300 MB charte is meant to run in. GOMEMLIMIT
		// still wins.
		debug.SetMemoryLimit(softMemoryLimit)
	}
}
