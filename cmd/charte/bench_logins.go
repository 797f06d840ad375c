package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/charte/charte/internal/auth"
	"github.com/charte/charte/internal/cli"
	"github.com/charte/charte/internal/store"
	"github.com/charte/charte/internal/web"
)

// benchLogins floods /admin/login with wrong passwords from conc clients,
// each request from a random address in X-Forwarded-For for a random
// account, so that no throttle stops the flood and every attempt asks for
// an argon2id hash: the worst case for memory (issue 9, defect 1). With
// no --url it starts a server in this process (--trust-proxy, on --db or
// a temporary SQLite file) and reports the process's peak RSS and heap;
// against --url, start that server with --trust-proxy and watch its own
// memory.
func benchLogins(ctx context.Context, cio cli.IO, base string, external bool, dsn string, conc int, duration time.Duration) error {
	var sampler *memSampler
	if !external {
		setGCDefaults(cio.Getenv)
		srvURL, stop, err := startBenchServer(ctx, cio, dsn)
		if err != nil {
			return err
		}
		defer stop()
		base = srvURL
		sampler = startMemSampler()
	}
	ctx, cancel := context.WithTimeout(ctx, duration)
	defer cancel()
	transport := &http.Transport{MaxIdleConnsPerHost: conc, MaxConnsPerHost: conc}
	var (
		mu       sync.Mutex
		statuses = map[int]int{}
		errs     atomic.Int64
		wg       sync.WaitGroup
	)
	start := time.Now()
	for range conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			jar, _ := cookiejar.New(nil)
			client := &http.Client{Transport: transport, Jar: jar, Timeout: 30 * time.Second,
				CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			token, err := loginToken(ctx, client, base)
			if err != nil {
				if ctx.Err() == nil {
					errs.Add(1)
				}
				return
			}
			for ctx.Err() == nil {
				form := url.Values{"csrfmiddlewaretoken": {token}, "password": {"not the password at all"},
					"email": {fmt.Sprintf("user%d@example.org", rand.IntN(1000))}}
				req, _ := http.NewRequestWithContext(ctx, "POST", base+"/admin/login", strings.NewReader(form.Encode()))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				req.Header.Set("Origin", base)
				req.Header.Set("X-Forwarded-For", fmt.Sprintf("%d.%d.%d.%d", 1+rand.IntN(222), rand.IntN(256), rand.IntN(256), 1+rand.IntN(254)))
				resp, err := client.Do(req)
				if err != nil {
					if ctx.Err() == nil {
						errs.Add(1)
					}
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				mu.Lock()
				statuses[resp.StatusCode]++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	total := 0
	for _, n := range statuses {
		total += n
	}
	fmt.Fprintf(cio.Stdout, "%d login attempts in %.1fs (%.0f/s, concurrency %d): %d wrong password (hashed), %d throttled (429), %d busy (503), %d other, %d errors\n",
		total, elapsed.Seconds(), float64(total)/elapsed.Seconds(), conc, statuses[200], statuses[429], statuses[503],
		total-statuses[200]-statuses[429]-statuses[503], errs.Load())
	if sampler != nil {
		rss, heap := sampler.stop()
		fmt.Fprintf(cio.Stdout, "peak RSS %.0f MB, peak Go heap in use %.0f MB (server and load generator in one process)\n",
			float64(rss)/1e6, float64(heap)/1e6)
	}
	if statuses[200] == 0 {
		return fmt.Errorf("no login attempt was evaluated (%d errors): is the server started with --trust-proxy?", errs.Load())
	}
	return nil
}

var benchTokenRE = regexp.MustCompile(`name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"`)

func loginToken(ctx context.Context, client *http.Client, base string) (string, error) {
	req, _ := http.NewRequestWithContext(ctx, "GET", base+"/admin/login", nil)
	resp, err := client.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", err
	}
	m := benchTokenRE.FindSubmatch(body)
	if m == nil {
		return "", fmt.Errorf("no CSRF token in %s/admin/login (%s)", base, resp.Status)
	}
	return string(m[1]), nil
}

// startBenchServer serves charte on 127.0.0.1 behind a pretend proxy
// (--trust-proxy), with one account so that known and unknown emails mix.
func startBenchServer(ctx context.Context, cio cli.IO, dsn string) (string, func(), error) {
	var cleanup []func()
	stop := func() {
		for i := len(cleanup) - 1; i >= 0; i-- {
			cleanup[i]()
		}
	}
	if dsn == "" {
		dir, err := os.MkdirTemp("", "charte-bench-")
		if err != nil {
			return "", nil, err
		}
		cleanup = append(cleanup, func() { os.RemoveAll(dir) })
		dsn = "sqlite:" + filepath.Join(dir, "bench.db")
	}
	st, err := store.Open(ctx, dsn)
	if err != nil {
		stop()
		return "", nil, err
	}
	cleanup = append(cleanup, func() { st.Close() })
	if _, err := migrateAndSeed(ctx, st); err != nil {
		stop()
		return "", nil, err
	}
	hash, err := auth.HashPassword(ctx, "the bench account's password", auth.DefaultParams)
	if err == nil {
		_, err = st.CreateUser(ctx, auth.User{Email: "user1@example.org", PasswordHash: hash, Role: auth.Owner})
	}
	if err != nil && !errors.Is(err, store.ErrExists) {
		stop()
		return "", nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		stop()
		return "", nil, err
	}
	base := &url.URL{Scheme: "http", Host: ln.Addr().String()}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	srv, err := web.New(web.Config{BaseURL: base, TrustProxy: true, TrustProxyHops: 1, BatchSize: 256}, st, log)
	if err != nil {
		ln.Close()
		stop()
		return "", nil, err
	}
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 5 * time.Second}
	go hs.Serve(ln)
	cleanup = append(cleanup, func() { hs.Close(); srv.Close() })
	fmt.Fprintf(cio.Stderr, "charte bench: serving on %s (%s), hashing slots for %d cores\n", base, st.Engine(), runtime.GOMAXPROCS(0))
	return base.String(), stop, nil
}

// memSampler records the peak Go heap every 50 ms; the peak RSS comes from
// the kernel (VmHWM), which sees every allocation, argon2id's included.
type memSampler struct {
	done chan struct{}
	heap atomic.Uint64
	wg   sync.WaitGroup
}

func startMemSampler() *memSampler {
	m := &memSampler{done: make(chan struct{})}
	m.wg.Add(1)
	go func() {
		defer m.wg.Done()
		t := time.NewTicker(50 * time.Millisecond)
		defer t.Stop()
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > m.heap.Load() {
				m.heap.Store(ms.HeapInuse)
			}
			select {
			case <-m.done:
				return
			case <-t.C:
			}
		}
	}()
	return m
}

func (m *memSampler) stop() (rss, heap uint64) {
	close(m.done)
	m.wg.Wait()
	return peakRSS(), m.heap.Load()
}

// peakRSS is VmHWM of /proc/self/status, in bytes (0 where there is none).
func peakRSS() uint64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			kb, _ := strconv.ParseUint(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}
