package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/charte/charte/consent"
	"github.com/charte/charte/internal/cli"
	"github.com/charte/charte/internal/demo"
	"github.com/charte/charte/internal/proxy"
	"github.com/charte/charte/services"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

const proxyHelp = `Run a reverse proxy in front of an existing site (Django, PHP, anything
HTTP): it drops the Set-Cookie headers visitors did not consent to, expires
the cookies of categories they refused, and adds the banner's script tag to
HTML pages. For a site whose registry declares services, it also blocks
their tags automatically: a script, inline loader, frame, tracking image or
connection hint of a service the visitor has not consented to waits in the
form the banner activates after consent (--block=false turns this off; with
--log-level debug each page carries a Charte-Blocked header listing what was
rewritten). Every flag can also be set with CHARTE_<FLAG>, e.g.
CHARTE_UPSTREAM; a flag on the command line wins.

The registry comes from --server (a charte server, refreshed with
If-None-Match, the last good one kept when it is down) or --registry (a YAML
or JSON file, reloaded when it changes). With neither, the demo sites built
into charte (demo, opendata-pau) can be used.

Example:
  charte proxy --site demo --upstream http://127.0.0.1:9000 --server http://127.0.0.1:8080`

type proxyFlags struct {
	site, upstream, listen, registry, server, bannerURL, undeclared, metricsListen, logLevel string
	preserveHost, block                                                                      bool
	refresh, upstreamTimeout, shutdown                                                       time.Duration
}

func cmdProxy(ctx context.Context, io cli.IO, args []string) error {
	fs := cli.NewFlagSet("charte proxy", "charte proxy --site ID --upstream URL [flags]", proxyHelp, io.Stderr)
	var f proxyFlags
	fs.StringVar(&f.site, "site", "", "id of the site whose registry is enforced (required)")
	fs.StringVar(&f.upstream, "upstream", "", "URL of the site behind the proxy, e.g. http://127.0.0.1:9000 (required)")
	fs.StringVar(&f.listen, "listen", "127.0.0.1:8081", "address to listen on")
	fs.StringVar(&f.registry, "registry", "", "registry file (YAML or JSON), instead of --server")
	fs.StringVar(&f.server, "server", "", "charte server URL to read the registry from, e.g. https://charte.example")
	fs.StringVar(&f.bannerURL, "banner-url", "", `banner script URL (default <server>/sites/<site>/banner.js, or http://127.0.0.1:8080/… without --server; "none": no banner)`)
	fs.StringVar(&f.undeclared, "undeclared", "block", "what to do with cookies the registry does not declare: block, report or allow")
	fs.DurationVar(&f.refresh, "refresh", time.Minute, "how often the registry is reloaded")
	fs.BoolVar(&f.block, "block", true, "block the tags of the registry's services until consent (sites whose registry declares services)")
	fs.BoolVar(&f.preserveHost, "preserve-host", false, "send the visitor's Host header upstream instead of the upstream's")
	fs.DurationVar(&f.upstreamTimeout, "upstream-timeout", time.Minute, "how long to wait for the upstream's response headers (then 504)")
	fs.StringVar(&f.metricsListen, "metrics-listen", "", "address serving Prometheus /metrics (off when empty)")
	fs.StringVar(&f.logLevel, "log-level", "info", "log level: debug, info, warn or error")
	fs.DurationVar(&f.shutdown, "shutdown-timeout", 15*time.Second, "how long to let requests finish on SIGINT/SIGTERM")
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	if err := cli.EnvDefaults(fs, io.Getenv); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return cli.Usagef("charte proxy: unexpected argument %q", fs.Arg(0))
	}
	upstream, policy, err := f.check()
	if err != nil {
		return err
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(f.logLevel)); err != nil {
		return cli.Usagef("charte proxy: --log-level %q: want debug, info, warn or error", f.logLevel)
	}
	log := slog.New(slog.NewTextHandler(io.Stderr, &slog.HandlerOptions{Level: level}))

	src, err := f.source(ctx, log)
	if err != nil {
		return err
	}
	metrics := prometheus.NewRegistry()
	// The visitor's choice rides on the request for automatic blocking.
	enforcer, err := consent.New(src, consent.Options{Undeclared: policy, Metrics: metrics, Logger: log, Context: f.block})
	if err != nil {
		return err
	}
	var blocking *services.Catalogue
	if f.block {
		blocking = services.Builtin()
	}
	handler, err := proxy.New(proxy.Config{
		Upstream: upstream, Enforcer: enforcer, BannerURL: f.banner(), PreserveHost: f.preserveHost,
		Transport: proxy.NewTransport(f.upstreamTimeout), Logger: log,
		Blocking: blocking, Debug: level <= slog.LevelDebug, Metrics: metrics,
	})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", f.listen)
	if err != nil {
		return err
	}
	defer ln.Close()
	if f.metricsListen != "" {
		mln, err := net.Listen("tcp", f.metricsListen)
		if err != nil {
			return err
		}
		msrv := &http.Server{Handler: promhttp.HandlerFor(metrics, promhttp.HandlerOpts{}), ReadHeaderTimeout: 5 * time.Second}
		go msrv.Serve(mln)
		defer msrv.Close()
	}
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		// No ReadTimeout or WriteTimeout: uploads, downloads and WebSockets
		// may be long; the upstream transport bounds the waits instead.
		IdleTimeout:    120 * time.Second,
		MaxHeaderBytes: 64 << 10,
		ErrorLog:       slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	log.Info("charte proxy is listening", "addr", ln.Addr().String(), "upstream", upstream.Redacted(),
		"site", f.site, "revision", enforcer.Registry().Revision, "banner", f.banner(), "undeclared", policy,
		"blocking", f.block && len(enforcer.Registry().Site.Services) > 0)
	return serveUntilDone(ctx, srv, ln, f.shutdown, log)
}

// check validates the flags that need more than their type.
func (f *proxyFlags) check() (*url.URL, consent.Policy, error) {
	if f.site == "" || f.upstream == "" {
		return nil, "", cli.Usagef("charte proxy: --site and --upstream are required (see charte proxy -h)")
	}
	u, err := url.Parse(f.upstream)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, "", cli.Usagef("charte proxy: --upstream %q: want an http:// or https:// URL", f.upstream)
	}
	if f.registry != "" && f.server != "" {
		return nil, "", cli.Usagef("charte proxy: give --registry or --server, not both")
	}
	if f.server != "" {
		if s, err := url.Parse(f.server); err != nil || (s.Scheme != "http" && s.Scheme != "https") || s.Host == "" {
			return nil, "", cli.Usagef("charte proxy: --server %q: want an http:// or https:// URL", f.server)
		}
	}
	policy, err := consent.ParsePolicy(f.undeclared)
	if err != nil {
		return nil, "", cli.Usagef("charte proxy: --undeclared: %v", err)
	}
	if f.refresh < time.Second {
		return nil, "", cli.Usagef("charte proxy: --refresh %s: at least 1s", f.refresh)
	}
	return u, policy, nil
}

// source loads the registry and, for a file or a server, keeps it fresh.
func (f *proxyFlags) source(ctx context.Context, log *slog.Logger) (consent.Source, error) {
	var r *consent.Refresher
	var err error
	switch {
	case f.server != "":
		r, err = consent.NewServerSource(strings.TrimSuffix(f.server, "/"), f.site, nil, log)
	case f.registry != "":
		r, err = consent.NewFileSource(f.registry, f.site, log)
	default:
		sites, err := demo.Sites()
		if err != nil {
			return nil, err
		}
		for _, s := range sites {
			if s.ID == f.site {
				return consent.Static(s), nil
			}
		}
		return nil, cli.Usagef("charte proxy: site %q is not a built-in demo site; give --server or --registry", f.site)
	}
	if err != nil {
		return nil, err
	}
	go r.Run(ctx, f.refresh)
	return r, nil
}

func (f *proxyFlags) banner() string {
	switch {
	case f.bannerURL == "none":
		return ""
	case f.bannerURL != "":
		return f.bannerURL
	case f.server != "":
		return strings.TrimSuffix(f.server, "/") + "/sites/" + url.PathEscape(f.site) + "/banner.js"
	}
	return "http://127.0.0.1:8080/sites/" + url.PathEscape(f.site) + "/banner.js"
}

// serveUntilDone serves until ctx ends, then lets requests finish.
func serveUntilDone(ctx context.Context, srv *http.Server, ln net.Listener, grace time.Duration, log *slog.Logger) error {
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down", "timeout", grace)
	shutdownCtx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
