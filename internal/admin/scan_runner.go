package admin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/charte/charte/internal/scan"
	"github.com/charte/charte/internal/store"
	"github.com/charte/charte/registry"
)

// scanStore is what the scan runner writes: a scan's row, its progress and
// its report, and the site's lease while it runs (scan_lease.go).
type scanStore interface {
	CreateScan(ctx context.Context, s store.Scan) (store.Scan, error)
	ScanProgress(ctx context.Context, id int64, progress int, step string) error
	FinishScan(ctx context.Context, id int64, status string, at time.Time, report []byte, errText string) error
	store.ScanLeases
}

// scanRunner runs the back office's scans, one at a time per server: a
// scan drives three Chromium processes of ~600 MB in turn, and charte
// shares its machine with the site it serves. Across the nodes sharing a
// database, a site's scan runs on one node at a time (scan_lease.go).
type scanRunner struct {
	st   scanStore
	log  *slog.Logger
	node string // this node, in the leases it holds
	// done is told of each scan finished with its report, after it is
	// stored (drift_alert.go), in a goroutine of its own.
	done func(store.Scan, *scan.Report)
	// opts are the settings of every scan: browser, address policy and
	// deadlines; each scan adds its URL, registry, pages and progress.
	opts scan.Options
	slot chan int64
	// base is cancelled by close, so a server shutting down stops its
	// scan (and its Chromium) and records why, instead of leaving the
	// scan "running" until its timeout.
	base    context.Context
	cancel  context.CancelFunc
	running sync.WaitGroup
}

func newScanRunner(st scanStore, log *slog.Logger, opts scan.Options) *scanRunner {
	base, cancel := context.WithCancel(context.Background())
	return &scanRunner{st: st, log: log, node: nodeName(), opts: opts, slot: make(chan int64, 1), base: base, cancel: cancel}
}

// maxDuration is the longest any scan of this server can take
// (scan.Options.Bound of the largest scan allowed). A scan still "running"
// in the database well after it (its server stopped mid-scan) shows as
// interrupted.
func (sr *scanRunner) maxDuration() time.Duration { return sr.opts.Bound(maxScanPages) }

// checkURL refuses a start URL on an address the policy refuses, before
// the scan is recorded.
func (sr *scanRunner) checkURL(ctx context.Context, u string) error {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	return scan.CheckURL(ctx, u, sr.opts.Policy)
}

// close stops the running scan, if any, and waits until its end is stored.
func (sr *scanRunner) close() {
	sr.cancel()
	sr.running.Wait()
}

// browser returns the Chromium a scan would drive, or the error saying
// which package to install.
func (sr *scanRunner) browser() (string, error) {
	return scan.FindChromium(sr.opts.Chromium)
}

// current returns the id of the scan this server is running, 0 when idle.
func (sr *scanRunner) current() int64 {
	select {
	case id := <-sr.slot:
		sr.slot <- id
		return id
	default:
		return 0
	}
}

// errBusy is returned by start while another scan runs; the id is that
// scan's, shown only to those who may see its site. elsewhere: a scan of
// the same site runs on another node.
type errBusy struct {
	id        int64
	elsewhere bool
}

func (e errBusy) Error() string { return fmt.Sprintf("scan %d is running", e.id) }

// start records the scan and runs it in the background; the returned scan
// is what the operator follows.
func (sr *scanRunner) start(ctx context.Context, s store.Scan, site *registry.Site, pages int) (store.Scan, error) {
	// A placeholder id holds the slot while the row is created, so two
	// starts at once cannot both get it.
	select {
	case sr.slot <- -1:
	default:
		return store.Scan{}, errBusy{id: sr.current()}
	}
	if err := sr.takeLease(ctx, s.SiteID); err != nil {
		<-sr.slot
		return store.Scan{}, err
	}
	s, err := sr.st.CreateScan(ctx, s)
	if err != nil {
		<-sr.slot
		if rerr := sr.st.ReleaseScanLease(context.Background(), s.SiteID, sr.node); rerr != nil {
			sr.log.Warn("scan: release the site's lease", "site", s.SiteID, "err", rerr)
		}
		return store.Scan{}, err
	}
	<-sr.slot
	sr.slot <- s.ID
	sr.running.Add(1)
	go sr.run(s, site, pages)
	return s, nil
}

// run is the scan's goroutine. Its context is its own, not the request's,
// which ends as soon as the operator is redirected to the progress page.
func (sr *scanRunner) run(s store.Scan, site *registry.Site, pages int) {
	defer sr.running.Done()
	opts := sr.opts
	opts.URL, opts.Site, opts.Pages = s.URL, site, pages
	// The scanner ends within its bound by itself; this deadline, a
	// minute later, is only a safety net.
	timed, cancelTimed := context.WithTimeout(sr.base, opts.Bound(pages)+time.Minute)
	defer cancelTimed()
	ctx, cancel := context.WithCancelCause(timed)
	defer cancel(nil)
	defer func() { <-sr.slot }()
	// The lease is renewed while the scan runs and released once its end
	// is stored (deferred calls run last-in first-out); losing it stops
	// the scan, with the reason as the context's cause.
	leaseCtx, stopLease := context.WithCancel(context.Background())
	leaseDone := make(chan struct{})
	go func() {
		defer close(leaseDone)
		sr.keepLease(leaseCtx, s, func(err error) { cancel(&lostLeaseError{err}) })
	}()
	defer func() { stopLease(); <-leaseDone }()
	status, report, errText := store.ScanFailed, []byte(nil), ""
	var finished *scan.Report
	defer func() {
		// A panic in the scanner fails this scan, not the server.
		if p := recover(); p != nil {
			sr.log.Error("scan panicked", "scan", s.ID, "site", s.SiteID, "panic", p)
			status, report, errText = store.ScanFailed, nil, "internal error"
		}
		if err := sr.st.FinishScan(context.Background(), s.ID, status, time.Now(), report, errText); err != nil {
			sr.log.Error("scan: store the result", "scan", s.ID, "err", err)
			return
		}
		if status == store.ScanDone && sr.done != nil && finished != nil {
			// Counted by running (whose count this scan still holds), so
			// close waits for its alerts too.
			sr.running.Add(1)
			go func() { defer sr.running.Done(); sr.done(s, finished) }()
		}
	}()
	opts.Progress = func(p scan.Progress) {
		pct, step := progressOf(p)
		if err := sr.st.ScanProgress(ctx, s.ID, pct, step); err != nil {
			sr.log.Warn("scan progress", "scan", s.ID, "err", err)
		}
	}
	r, err := scan.Run(ctx, opts)
	if err == nil {
		report, err = json.Marshal(r)
	}
	if err != nil && sr.base.Err() != nil {
		err = fmt.Errorf("charte was shut down during the scan: %w", err)
	}
	var lost *lostLeaseError
	if err != nil && errors.As(context.Cause(ctx), &lost) {
		err = fmt.Errorf("%w: %w", lost, err)
	}
	if err != nil {
		errText = err.Error()
		sr.log.Warn("scan failed", "scan", s.ID, "site", s.SiteID, "url", s.URL, "err", err)
		return
	}
	status, finished = store.ScanDone, r
	sr.log.Info("scan done", "scan", s.ID, "site", s.SiteID, "url", s.URL, "findings", len(r.Findings))
}

// progressOf turns a scanner tick into a percentage (each pass a third,
// as the CLI's progress bar draws it) and a step the page translates.
func progressOf(p scan.Progress) (int, string) {
	total := max(p.Total, p.Done, 1)
	frac := (float64(p.PassIndex) + float64(p.Done)/float64(total)) / float64(len(scan.Passes))
	return min(int(frac*100), 99), fmt.Sprintf("%s %d/%d", p.Pass, p.Done, total)
}

// lostLeaseError stops a scan whose node lost the site's lease.
type lostLeaseError struct{ err error }

func (e *lostLeaseError) Error() string { return e.err.Error() }
