package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/charte/charte/internal/cli"
	"github.com/charte/charte/internal/i18n"
	"github.com/charte/charte/internal/scan"
	"github.com/charte/charte/internal/store"
	"github.com/charte/charte/registry"
)

const scanSynopsis = "charte scan URL [--site ID [--db DSN] | --registry FILE] [--pages 20] [--depth 3] [--concurrency 2]\n" +
	"                   [--format text|json|md|html] [--out FILE] [--fail-on preconsent,undeclared,lifetime]\n" +
	"                   [--chromium PATH] [--cookie-db FILE] [--emit-registry] [--lang de|en|es|fr|it]\n" +
	"                   [--load-timeout 30s] [--step-timeout 10s] [--public-only]"

const scanDescription = `Crawl a site in headless Chromium three times, each in a fresh profile: on arrival (nothing
clicked), after "reject all" and after "accept all". Every cookie (HttpOnly and third-party ones
included), web storage key and third-party host is collected, classified (the site's registry,
charte's list of well-known cookies, the Open Cookie Database with --cookie-db) and checked:

  preconsent   a cookie needing consent present on arrival or after a refusal
  early-script a service's script needing consent left free to run on arrival or after a refusal
               (before charte's banner tag: move the tag first in <head>, or use charte proxy)
  undeclared   a cookie the registry does not declare
  lifetime     a cookie living over 13 months, or longer than declared
  third-party  a third-party host the registry does not name
  no-banner    no button to refuse was found
  unseen       a declared cookie never observed (information)

  blocked      a request to a loopback, private or link-local address was refused (--public-only)
  unresponsive a page did not load within --load-timeout, or stopped answering within --step-timeout
  dialog       a page opened a JavaScript dialog (alert, confirm, prompt), which was dismissed

Every step has a deadline, so a scan of N pages per pass ends within
3 × (37s + 6 × step + N × (load + step + 6s)) (load, step: the timeouts): 50m51s for the defaults.
--public-only refuses every request to a non-public address, as the back office does.

--fail-on makes the exit status 1 when a listed finding occurs, so the scan can gate CI.
--emit-registry writes a registry draft (YAML) of what was seen on standard output; the
report then goes only to --out. Services of charte's catalogue recognised by their cookies
or by the URLs the pages loaded (charte services list) are declared by their recipes, as
services: [youtube, …], rather than cookie by cookie.`

func cmdScan(ctx context.Context, io cli.IO, args []string) error {
	fs := cli.NewFlagSet("charte scan", scanSynopsis, scanDescription, io.Stderr)
	siteID := fs.String("site", "", "check against the published registry of this site (from --db)")
	regFile := fs.String("registry", "", `check against this registry file, YAML or JSON ("-" for standard input)`)
	db := cli.DBFlag(fs)
	pages := fs.Int("pages", 20, "most pages visited per pass")
	depth := fs.Int("depth", 3, "most links followed from the start page")
	concurrency := fs.Int("concurrency", 2, "pages loaded at once")
	format := fs.String("format", "text", "report format: text, json, md or html")
	out := fs.String("out", "", "write the report to this file instead of standard output")
	failOn := fs.String("fail-on", "", "exit 1 when a finding of these kinds occurs (comma-separated: "+strings.Join(scan.Kinds, ",")+")")
	chromium := fs.String("chromium", "", "Chromium executable (default: chromium on $PATH)")
	cookieDB := fs.String("cookie-db", "", "Open Cookie Database CSV, to classify cookies charte does not know")
	emit := fs.Bool("emit-registry", false, "write a registry draft (YAML) of what was seen on standard output")
	lang := fs.String("lang", "en", "report language: "+strings.Join(i18n.AdminLanguages(), ", "))
	loadTimeout := fs.Duration("load-timeout", scan.DefaultLoadTimeout, "most time one page may take to load")
	stepTimeout := fs.Duration("step-timeout", scan.DefaultStepTimeout, "most time any other browser step may take (reading a page, the banner, the choice)")
	publicOnly := fs.Bool("public-only", false, "refuse requests to loopback, private, link-local and other non-public addresses")

	url, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if err := cli.EnvDefaults(fs, io.Getenv, "db", "chromium", "cookie-db"); err != nil {
		return err
	}
	kinds, err := parseFailOn(*failOn)
	switch {
	case err != nil:
		return err
	case url == "":
		return cli.Usagef("charte scan: the URL to scan is required")
	case *siteID != "" && *regFile != "":
		return cli.Usagef("charte scan: give --site or --registry, not both")
	case !slices.Contains(scan.Formats, *format):
		return cli.Usagef("charte scan: --format %q: want text, json, md or html", *format)
	case !slices.Contains(i18n.AdminLanguages(), *lang):
		return cli.Usagef("charte scan: --lang %q: want one of %s", *lang, strings.Join(i18n.AdminLanguages(), ", "))
	case *pages < 1 || *depth < 1 || *concurrency < 1 || *concurrency > 16:
		return cli.Usagef("charte scan: --pages, --depth and --concurrency must be at least 1 (concurrency at most 16)")
	case *loadTimeout <= 0 || *stepTimeout <= 0:
		return cli.Usagef("charte scan: --load-timeout and --step-timeout must be positive durations, such as 30s")
	}

	opts := scan.Options{URL: url, Pages: *pages, Depth: *depth, Concurrency: *concurrency, Chromium: *chromium,
		LoadTimeout: *loadTimeout, StepTimeout: *stepTimeout, Policy: scan.AddressPolicy{PublicOnly: *publicOnly}}
	if opts.Site, err = loadScanRegistry(ctx, io, *siteID, *regFile, *db); err != nil {
		return err
	}
	if *cookieDB != "" {
		f, err := os.Open(*cookieDB)
		if err != nil {
			return err
		}
		opts.CookieDB, err = scan.LoadCookieDB(f)
		f.Close()
		if err != nil {
			return err
		}
	}
	if isTerminal(io.Stderr) {
		opts.Progress = scan.ProgressBar(io.Stderr, *lang)
	}
	report, err := scan.Run(ctx, opts)
	if err != nil {
		return err
	}
	if err := writeScanReport(io, report, *out, *format, *lang, *emit); err != nil {
		return err
	}
	if *emit {
		if err := registry.EncodeYAML(io.Stdout, scan.Draft(report, opts.Site)); err != nil {
			return err
		}
	}
	if len(kinds) > 0 && report.Has(kinds...) {
		return errSilentFailure
	}
	return nil
}

// parseInterspersed lets the URL come before the flags, as in
// "charte scan https://example.org --site demo": package flag stops at the
// first argument that is not a flag, so parsing resumes after it.
func parseInterspersed(fs *flag.FlagSet, args []string) (string, error) {
	var positional []string
	for {
		if err := cli.Parse(fs, args); err != nil {
			return "", err
		}
		if fs.NArg() == 0 {
			break
		}
		positional = append(positional, fs.Arg(0))
		args = fs.Args()[1:]
	}
	switch len(positional) {
	case 0:
		return "", nil
	case 1:
		return positional[0], nil
	}
	return "", cli.Usagef("charte scan: one URL at a time, got %d arguments", len(positional))
}

func parseFailOn(s string) ([]string, error) {
	var kinds []string
	for k := range strings.SplitSeq(s, ",") {
		if k = strings.TrimSpace(k); k == "" {
			continue
		}
		if !slices.Contains(scan.Kinds, k) {
			return nil, cli.Usagef("charte scan: --fail-on %q: want some of %s", k, strings.Join(scan.Kinds, ","))
		}
		kinds = append(kinds, k)
	}
	return kinds, nil
}

// loadScanRegistry returns the registry to check against: a published site
// from the database, a file, or none (only the law's rules are checked).
func loadScanRegistry(ctx context.Context, io cli.IO, siteID, file, dsn string) (*registry.Site, error) {
	switch {
	case siteID != "":
		st, err := openStore(ctx, dsn)
		if err != nil {
			return nil, err
		}
		defer st.Close()
		rev, err := st.Published(ctx, siteID)
		if errors.Is(err, store.ErrNotFound) {
			return nil, fmt.Errorf("site %q has no published registry in %s", siteID, dsn)
		}
		if err != nil {
			return nil, err
		}
		return rev.Site, nil
	case file != "":
		f, err := cli.Open(file, io.Stdin)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		site, _, err := registry.Load(f)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		return site, nil
	}
	return nil, nil
}

// writeScanReport writes the report to --out, or to standard output unless
// standard output carries the registry draft.
func writeScanReport(io cli.IO, r *scan.Report, out, format, lang string, emit bool) error {
	if out == "" {
		if emit {
			return nil
		}
		return scan.Render(io.Stdout, r, format, lang)
	}
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	if err := scan.Render(f, r, format, lang); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// isTerminal reports whether w is a terminal, where a progress bar redrawn
// in place is welcome; in a log or a pipe it would only be noise.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
