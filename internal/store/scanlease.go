package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// ScanLease says which node runs a site's scan, until when.
type ScanLease struct {
	SiteID  string
	ScanID  int64  // 0 while the scan is being recorded
	Holder  string // the node
	Expires time.Time
}

// ErrScanLeaseHeld is returned by TakeScanLease when another node holds
// the site's lease; the error's Lease says whose and which scan.
type ErrScanLeaseHeld struct{ Lease ScanLease }

func (e *ErrScanLeaseHeld) Error() string {
	return fmt.Sprintf("site %s: scan %d runs on node %s (lease until %s)", e.Lease.SiteID, e.Lease.ScanID, e.Lease.Holder, e.Lease.Expires.Format(time.RFC3339))
}

// ScanLeases lets the nodes sharing a database run each site's scan on one
// node at a time. A lease rather than a lock held by a connection: a scan
// lasts minutes, and a node that dies mid-scan frees the site once its
// lease expires, with no connection left to notice. Times come from the
// callers, whose clocks must agree to well within a lease (NTP).
type ScanLeases interface {
	// TakeScanLease gives l to l.Holder when the site's lease is free or
	// expired at now; otherwise *ErrScanLeaseHeld. A holder may take its
	// own unexpired lease again only after releasing it.
	TakeScanLease(ctx context.Context, l ScanLease, now time.Time) error
	// RenewScanLease moves l's expiry (and records its scan), as long as
	// l.Holder still holds it: ErrNotFound once another node took it over.
	RenewScanLease(ctx context.Context, l ScanLease) error
	// ReleaseScanLease frees a site's lease if holder holds it.
	ReleaseScanLease(ctx context.Context, siteID, holder string) error
}

func (d *db) TakeScanLease(ctx context.Context, l ScanLease, now time.Time) error {
	var held ScanLease
	err := d.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, d.q("TakeScanLease"), l.SiteID, l.ScanID, l.Holder, timeText(l.Expires), timeText(now))
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 1 {
			return err
		}
		var expires string
		held.SiteID = l.SiteID
		if err := tx.QueryRowContext(ctx, d.q("ScanLease"), l.SiteID).Scan(&held.ScanID, &held.Holder, &expires); err != nil {
			return err
		}
		if held.Expires, err = parseTime(expires); err != nil {
			return err
		}
		return &ErrScanLeaseHeld{Lease: held}
	})
	var busy *ErrScanLeaseHeld
	if err != nil && !errors.As(err, &busy) {
		return fmt.Errorf("take the scan lease of %s: %w", l.SiteID, err)
	}
	return err
}

func (d *db) RenewScanLease(ctx context.Context, l ScanLease) error {
	err := mustAffect(d.w.ExecContext(ctx, d.q("RenewScanLease"), l.SiteID, l.Holder, l.ScanID, timeText(l.Expires)))
	if err != nil {
		return fmt.Errorf("renew the scan lease of %s: %w", l.SiteID, err)
	}
	return nil
}

func (d *db) ReleaseScanLease(ctx context.Context, siteID, holder string) error {
	if _, err := d.w.ExecContext(ctx, d.q("ReleaseScanLease"), siteID, holder); err != nil {
		return fmt.Errorf("release the scan lease of %s: %w", siteID, err)
	}
	return nil
}
