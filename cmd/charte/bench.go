package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/charte/charte/internal/cli"
)

const benchHelp = `Measure durable consent writes through HTTP: post consents to a running charte
server from many connections for a while, then print the throughput and the
p50/p99 latency of the 201 answers. Start the server with --consent-rate 0 so
the rate limit does not cap the measurement, e.g.

  charte serve --db sqlite:/tmp/bench.db --consent-rate 0 &
  charte bench --url http://127.0.0.1:8080 --site demo --duration 10s

With --logins, flood the back-office login form instead: wrong passwords for
random accounts from random X-Forwarded-For addresses, so every attempt asks
for a password hash. Without --url it starts a server in this process
(--trust-proxy, on --db or a temporary SQLite database) and reports its peak
RSS and heap, e.g.

  charte bench --logins --concurrency 500 --duration 20s
  charte bench --logins --db postgres://localhost/charte_bench --concurrency 500 --duration 20s

With --sites N, measure one instance with many sites instead: create N sites
(copies of the demo registry) in a server started in this process, publish
each, then ask every site's charter and banner in French and English twice,
cold then warm, and report the latencies and the peak memory, e.g.

  charte bench --sites 3000 --concurrency 8`

func cmdBench(ctx context.Context, cio cli.IO, args []string) error {
	fs := cli.NewFlagSet("charte bench", "charte bench [--logins [--db DSN]] [--url URL] [--site ID] [--concurrency N] [--duration D]", benchHelp, cio.Stderr)
	base := fs.String("url", "http://127.0.0.1:8080", "base URL of the charte server; several nodes comma-separated")
	site := fs.String("site", "demo", "site to post consents for; several comma-separated")
	origin := fs.String("origin", "", "Origin header (default: the server's own origin)")
	conc := fs.Int("concurrency", 64, "concurrent connections")
	duration := fs.Duration("duration", 10*time.Second, "how long to post")
	logins := fs.Bool("logins", false, "post wrong passwords to /admin/login instead of consents")
	sites := fs.Int("sites", 0, "create this many sites in an in-process server (on --db or a temporary SQLite file) and time their publishes, charters and banners, cold and warm, with the peak memory")
	db := fs.String("db", "", "--logins without --url, or --sites: database of the in-process server (default: a temporary SQLite file)")
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	if *conc < 1 || *duration <= 0 {
		return cli.Usagef("charte bench: --concurrency and --duration must be positive")
	}
	if *sites > 0 {
		if *logins {
			return cli.Usagef("charte bench: --sites and --logins are two different measures: one at a time")
		}
		return benchSites(ctx, cio, *db, *sites, *conc)
	}
	if *logins {
		external := false
		fs.Visit(func(f *flag.Flag) { external = external || f.Name == "url" })
		if external && *db != "" {
			return cli.Usagef("charte bench: --db is for the in-process server: not with --url")
		}
		return benchLogins(ctx, cio, *base, external, *db, *conc, *duration)
	}
	// Several nodes and sites: each connection posts to one (node, site)
	// pair, in turn, so the load spreads evenly over both.
	var targets []benchTarget
	for _, b := range strings.Split(*base, ",") {
		for _, id := range strings.Split(*site, ",") {
			tg, err := newBenchTarget(strings.TrimSpace(b), strings.TrimSpace(id), *origin)
			if err != nil {
				return err
			}
			targets = append(targets, tg)
		}
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: *conc, MaxConnsPerHost: *conc}}

	ctx, cancel := context.WithTimeout(ctx, *duration)
	defer cancel()
	var ok, failed atomic.Int64
	latencies := make([][]time.Duration, *conc)
	var wg sync.WaitGroup
	start := time.Now()
	for w := range *conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tg := targets[w%len(targets)]
			for ctx.Err() == nil {
				// Built by hand rather than with encoding/json: the load
				// generator shares the machine with the server it measures,
				// so every cycle it spends is one the server cannot.
				body := []byte(`{"id":"` + randomID() + `","consent_id":"` + randomID() + `",` + tg.rest)
				req, _ := http.NewRequest("POST", tg.url, bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Origin", tg.origin)
				t0 := time.Now()
				resp, err := client.Do(req)
				if err != nil {
					if ctx.Err() == nil {
						failed.Add(1)
					}
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusCreated {
					failed.Add(1)
					continue
				}
				ok.Add(1)
				latencies[w] = append(latencies[w], time.Since(t0))
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	all := slices.Concat(latencies...)
	slices.Sort(all)
	if len(all) == 0 {
		return fmt.Errorf("no consent was stored (%d failures)", failed.Load())
	}
	pct := func(p float64) time.Duration { return all[min(len(all)-1, int(p*float64(len(all))))] }
	fmt.Fprintf(cio.Stdout, "%d consents stored in %.1fs: %.0f consents/s, p50 %v, p99 %v, %d failed (concurrency %d, %d node(s) × %d site(s))\n",
		ok.Load(), elapsed.Seconds(), float64(ok.Load())/elapsed.Seconds(),
		pct(0.50).Round(time.Microsecond*10), pct(0.99).Round(time.Microsecond*10), failed.Load(), *conc,
		len(strings.Split(*base, ",")), len(strings.Split(*site, ",")))
	return nil
}

func randomID() string {
	b := make([]byte, 16)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// benchTarget is one (node, site) pair consents are posted to.
type benchTarget struct {
	url, origin string
	rest        string // the fields every request shares, after "{"
}

// newBenchTarget reads the site's published registry from the node, for
// the revision and categories every consent names.
func newBenchTarget(base, site, origin string) (benchTarget, error) {
	if origin == "" {
		origin = base
	}
	var reg struct {
		Revision          string   `json:"revision"`
		ConsentCategories []string `json:"consent_categories"`
	}
	resp, err := http.Get(base + "/api/v1/sites/" + site + "/cookies")
	if err != nil {
		return benchTarget{}, err
	}
	err = json.NewDecoder(resp.Body).Decode(&reg)
	resp.Body.Close()
	if err != nil || resp.StatusCode != 200 {
		return benchTarget{}, fmt.Errorf("read the registry of %s on %s: %s %v", site, base, resp.Status, err)
	}
	decisions := map[string]bool{}
	for _, c := range reg.ConsentCategories {
		decisions[c] = true
	}
	fixed, _ := json.Marshal(map[string]any{"revision": reg.Revision, "action": "accept_all", "decisions": decisions,
		"language": "fr", "page": "/", "gpc": false})
	return benchTarget{url: base + "/api/v1/sites/" + site + "/consents", origin: origin, rest: string(fixed[1:])}, nil
}
