package consent

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/charte/charte/registry"
)

// Refresher is a Source that reloads its registry, from a file or from a
// charte server, and keeps serving the last good one when a reload fails: a
// registry that cannot be read must not switch enforcement off, nor take the
// site down.
type Refresher struct {
	cur    atomic.Pointer[Registry]
	mu     sync.Mutex // serialises fetches, which keep the last ETag or file
	fetch  func(ctx context.Context) (data []byte, changed bool, err error)
	siteID string
	log    *slog.Logger
	what   string
}

// Registry returns the last good snapshot.
func (f *Refresher) Registry() *Registry { return f.cur.Load() }

// NewFileSource loads a registry file (YAML or JSON) now, and again on each
// Refresh when its content changed. siteID, when not empty, must match the
// file's site id, so a proxy never enforces another site's registry.
func NewFileSource(path, siteID string, log *slog.Logger) (*Refresher, error) {
	var last []byte
	fetch := func(context.Context) ([]byte, bool, error) {
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, false, err
		}
		if bytes.Equal(data, last) {
			return nil, false, nil
		}
		last = data
		return data, true, nil
	}
	return newRefresher(fetch, siteID, log, path)
}

// NewServerSource loads a site's registry from a charte server, at
// base + "/api/v1/sites/{site}/cookies", now and on each Refresh, asking with
// If-None-Match so an unchanged registry costs a 304.
func NewServerSource(base, siteID string, client *http.Client, log *slog.Logger) (*Refresher, error) {
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	url := base + "/api/v1/sites/" + siteID + "/cookies"
	var etag string
	fetch := func(ctx context.Context) ([]byte, bool, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return nil, false, err
		}
		req.Header.Set("Accept", "application/json")
		if etag != "" {
			req.Header.Set("If-None-Match", etag)
		}
		resp, err := client.Do(req)
		if err != nil {
			return nil, false, err
		}
		defer resp.Body.Close()
		switch resp.StatusCode {
		case http.StatusNotModified:
			return nil, false, nil
		case http.StatusOK:
		default:
			return nil, false, fmt.Errorf("GET %s: %s", url, resp.Status)
		}
		data, err := io.ReadAll(io.LimitReader(resp.Body, registry.MaxFileSize+64<<10+1))
		if err != nil {
			return nil, false, fmt.Errorf("GET %s: %w", url, err)
		}
		etag = resp.Header.Get("ETag")
		return data, true, nil
	}
	return newRefresher(fetch, siteID, log, url)
}

func newRefresher(fetch func(context.Context) ([]byte, bool, error), siteID string, log *slog.Logger, what string) (*Refresher, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	f := &Refresher{fetch: fetch, siteID: siteID, log: log, what: what}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := f.Refresh(ctx); err != nil {
		return nil, err
	}
	return f, nil
}

// Refresh reloads the registry once. On error the previous snapshot stays.
func (f *Refresher) Refresh(ctx context.Context) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	data, changed, err := f.fetch(ctx)
	if err != nil {
		return fmt.Errorf("registry %s: %w", f.what, err)
	}
	if !changed {
		return nil
	}
	reg, err := ParseRegistry(data)
	if err != nil {
		return fmt.Errorf("registry %s: %w", f.what, err)
	}
	if f.siteID != "" && reg.Site.ID != f.siteID {
		return fmt.Errorf("registry %s: site %q, want %q", f.what, reg.Site.ID, f.siteID)
	}
	if old := f.cur.Swap(reg); old != nil && old.Revision != reg.Revision {
		f.log.Info("registry updated", "source", f.what, "site", reg.Site.ID, "revision", reg.Revision, "previous", old.Revision)
	}
	return nil
}

// Run refreshes every interval until ctx ends, logging failures; the last
// good registry keeps being enforced meanwhile.
func (f *Refresher) Run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := f.Refresh(ctx); err != nil && ctx.Err() == nil {
				f.log.Warn("registry refresh failed; keeping the last good one", "err", err, "revision", f.Registry().Revision)
			}
		}
	}
}
