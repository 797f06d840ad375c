package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/charte/charte/internal/cli"
	"github.com/charte/charte/internal/demo"
	"github.com/charte/charte/internal/store"
	"github.com/charte/charte/internal/web"
	"github.com/charte/charte/registry"
)

// benchSites measures one instance serving many sites (issue 15): it
// creates n sites (copies of the demo registry) and publishes each, timing
// the publishes, then serves every site's charter and banner in every
// language from a server in this process — cold (first request, which
// renders), all again, and the 200 most popular again — and reports the
// latencies and the process's memory. The caches are bounded by bytes, so warm requests past their
// budget render again: the memory stays flat as n grows.
func benchSites(ctx context.Context, cio cli.IO, dsn string, n, conc int) error {
	setGCDefaults(cio.Getenv)
	if dsn == "" {
		dir, err := os.MkdirTemp("", "charte-bench-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		dsn = "sqlite:" + filepath.Join(dir, "bench.db")
	}
	st, err := store.Open(ctx, dsn)
	if err != nil {
		return err
	}
	defer st.Close()
	if _, err := migrateAndSeed(ctx, st); err != nil {
		return err
	}
	sites, err := demo.Sites()
	if err != nil {
		return err
	}
	tmpl := sites[len(sites)-1] // demo: the one with a banner
	for _, s := range sites {
		if s.ID == "demo" {
			tmpl = s
		}
	}
	ids := make([]string, n)
	publish := make([]time.Duration, 0, n)
	began := time.Now()
	for i := range n {
		s := *tmpl
		s.ID, s.Name = fmt.Sprintf("bench-%05d", i), fmt.Sprintf("Bench site %d", i)
		ids[i] = s.ID
		t0 := time.Now()
		valid, _, err := registry.Check(&s)
		if err != nil {
			return err
		}
		if err := st.SaveSite(ctx, valid); err != nil {
			return err
		}
		if _, err := st.Publish(ctx, s.ID); err != nil {
			return err
		}
		publish = append(publish, time.Since(t0))
	}
	created := time.Since(began)

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	base := &url.URL{Scheme: "http", Host: ln.Addr().String()}
	srv, err := web.New(web.Config{BaseURL: base}, st, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		ln.Close()
		return err
	}
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 5 * time.Second}
	go hs.Serve(ln)
	defer func() { hs.Close(); srv.Close() }()
	runtime.GC()
	sampler := startMemSampler()

	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: conc}, Timeout: 30 * time.Second}
	type timing struct{ charter, banner []time.Duration }
	pass := func(ids []string) (timing, error) {
		var (
			mu   sync.Mutex
			out  timing
			errs []error
			wg   sync.WaitGroup
			next = make(chan string)
		)
		for range conc {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for id := range next {
					for _, lang := range []string{"fr", "en"} {
						c, err := timedGet(ctx, client, base.String()+"/sites/"+id+"/charter?lang="+lang, lang)
						b, err2 := timedGet(ctx, client, base.String()+"/sites/"+id+"/banner.js", lang)
						mu.Lock()
						out.charter, out.banner = append(out.charter, c), append(out.banner, b)
						if err != nil || err2 != nil {
							errs = append(errs, fmt.Errorf("%s %s: %v %v", id, lang, err, err2))
						}
						mu.Unlock()
					}
				}
			}()
		}
		for _, id := range ids {
			next <- id
		}
		close(next)
		wg.Wait()
		if len(errs) > 0 {
			return out, fmt.Errorf("%d failed requests, the first: %v", len(errs), errs[0])
		}
		return out, nil
	}
	cold, err := pass(ids)
	if err != nil {
		return err
	}
	// Every site again, in the same order: the worst case for a cache
	// smaller than all the sites (each entry is dropped before its reuse).
	warm, err := pass(ids)
	if err != nil {
		return err
	}
	// The popular sites: the first 200, asked twice in a row; the second
	// time is what a cache that fits them serves.
	hotIDs := ids[:min(len(ids), 200)]
	if _, err := pass(hotIDs); err != nil {
		return err
	}
	hot, err := pass(hotIDs)
	if err != nil {
		return err
	}
	rss, heap := sampler.stop()
	// What the server keeps (caches included), without the garbage GOGC
	// lets pile up between collections.
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Fprintf(cio.Stdout, "%d sites created and published in %.1fs: publish p50 %v, p99 %v\n", n, created.Seconds(), pctl(publish, 0.5), pctl(publish, 0.99))
	fmt.Fprintf(cio.Stdout, "charter (fr, en): cold p50 %v p99 %v; all again p50 %v p99 %v; %d popular again p50 %v p99 %v\n",
		pctl(cold.charter, 0.5), pctl(cold.charter, 0.99), pctl(warm.charter, 0.5), pctl(warm.charter, 0.99), len(hotIDs), pctl(hot.charter, 0.5), pctl(hot.charter, 0.99))
	fmt.Fprintf(cio.Stdout, "banner (fr, en): cold p50 %v p99 %v; all again p50 %v p99 %v; %d popular again p50 %v p99 %v\n",
		pctl(cold.banner, 0.5), pctl(cold.banner, 0.99), pctl(warm.banner, 0.5), pctl(warm.banner, 0.99), len(hotIDs), pctl(hot.banner, 0.5), pctl(hot.banner, 0.99))
	fmt.Fprintf(cio.Stdout, "memory: peak RSS %d MB, peak Go heap in use %d MB, live heap after serving %d MB (%s, concurrency %d)\n", rss>>20, heap>>20, ms.HeapAlloc>>20, st.Engine(), conc)
	return nil
}

// timedGet fetches u in lang and returns how long the whole answer took.
func timedGet(ctx context.Context, c *http.Client, u, lang string) (time.Duration, error) {
	req, err := http.NewRequestWithContext(ctx, "GET", u, nil)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Accept-Language", lang)
	t0 := time.Now()
	resp, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	d := time.Since(t0)
	if resp.StatusCode != http.StatusOK {
		return d, fmt.Errorf("%s: %s", u, resp.Status)
	}
	return d, nil
}

// pctl is the p-th quantile of ds, rounded for reading.
func pctl(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[min(len(s)-1, int(p*float64(len(s))))].Round(10 * time.Microsecond)
}
