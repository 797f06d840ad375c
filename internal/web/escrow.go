package web

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/charte/charte/internal/banner"
	"github.com/charte/charte/internal/store"
	"github.com/charte/charte/internal/version"
)

// escrowStore is what the escrow needs of the store.
type escrowStore interface {
	EscrowBanner(ctx context.Context, b store.EscrowedBanner) (bool, error)
}

// escrower stores each banner script the server builds, byte for byte, so
// that what a visitor ran can be shown after charte itself has changed. The
// banner cache calls built once per build, on a miss: the hot path (a cache
// hit) never gets here, and the write runs on its own goroutine so the
// visitor who missed is not kept waiting on the database either.
type escrower struct {
	st      escrowStore
	log     *slog.Logger
	version string
	results *prometheus.CounterVec
	// cache is the banner cache escrowing through built, set before the
	// server serves; a failed escrow drops its script from it.
	cache *banner.Cache

	mu     sync.Mutex
	closed bool
	wg     sync.WaitGroup
}

func newEscrower(st escrowStore, log *slog.Logger, results *prometheus.CounterVec) *escrower {
	return &escrower{st: st, log: log, version: version.String(), results: results}
}

// built is the banner cache's hook: the script is being served now.
func (e *escrower) built(b banner.Built) {
	esc := store.EscrowedBanner{SiteID: b.SiteID, Revision: b.Revision, Lang: b.Lang,
		Version: e.version, FirstServed: time.Now(), Script: b.Script.Body}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		// Only after Close, when no request is served any more.
		e.log.Warn("banner not escrowed: the server is closing", "site", b.SiteID, "revision", b.Revision, "lang", b.Lang)
		return
	}
	e.wg.Add(1)
	go func() {
		defer e.wg.Done()
		e.escrow(esc, b)
	}()
}

func (e *escrower) escrow(esc store.EscrowedBanner, b banner.Built) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	stored, err := e.st.EscrowBanner(ctx, esc)
	switch {
	case err != nil:
		// The visitor has their banner; the proof waits. Dropping the
		// script from the cache makes the next request for it build it
		// again and retry, rather than serve it unescrowed until restart.
		e.results.WithLabelValues("failed").Inc()
		e.log.Error("banner not escrowed; the next request for it retries", "site", b.SiteID,
			"revision", b.Revision, "lang", b.Lang, "sha256", b.Script.SHA256, "err", err)
		if e.cache != nil {
			e.cache.Forget(b.SiteID, b.Revision, b.Lang, b.Options)
		}
	case stored:
		e.results.WithLabelValues("stored").Inc()
	default: // another node, or this one before a restart, escrowed it first
		e.results.WithLabelValues("known").Inc()
	}
}

// wait returns once every escrow started so far is done.
func (e *escrower) wait() { e.wg.Wait() }

// close waits for the escrows under way, before the store closes.
func (e *escrower) close() {
	e.mu.Lock()
	e.closed = true
	e.mu.Unlock()
	e.wg.Wait()
}
