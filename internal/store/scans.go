package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Scan statuses. A scan is created running and finished once, done with its
// report or failed with its error.
const (
	ScanRunning = "running"
	ScanDone    = "done"
	ScanFailed  = "failed"
)

// Scan is a scan of a site started from the back office. Report is the
// scanner's JSON report (internal/scan/SCHEMA.md), kept as it is: the store
// does not know the scanner's types.
type Scan struct {
	ID         int64
	SiteID     string
	URL        string
	StartedBy  string // email of who started it
	StartedAt  time.Time
	FinishedAt time.Time // zero while running
	Status     string
	Progress   int    // percent
	Step       string // where a running scan is, e.g. "refuse 2/4"
	Report     []byte // empty until done, and in ListScans
	Error      string
}

// Scans keeps the back office's scans and their reports.
type Scans interface {
	// CreateScan stores s as running and returns it with its ID;
	// ErrNotFound when its site does not exist.
	CreateScan(ctx context.Context, s Scan) (Scan, error)
	// ScanProgress records how far a running scan is.
	ScanProgress(ctx context.Context, id int64, progress int, step string) error
	// FinishScan ends a running scan: done with its report, or failed with
	// its error. ErrNotFound when no running scan has this id.
	FinishScan(ctx context.Context, id int64, status string, at time.Time, report []byte, errText string) error
	// Scan returns one scan of a site, report included: ErrNotFound when
	// the id belongs to another site, so a URL cannot reach across sites.
	Scan(ctx context.Context, siteID string, id int64) (Scan, error)
	// ListScans returns a site's latest scans, newest first, without their
	// reports.
	ListScans(ctx context.Context, siteID string, limit int) ([]Scan, error)
}

func (d *db) CreateScan(ctx context.Context, s Scan) (Scan, error) {
	s.StartedAt = time.Now().UTC().Truncate(time.Microsecond)
	s.Status, s.Progress, s.Step, s.Report, s.Error, s.FinishedAt = ScanRunning, 0, "", nil, "", time.Time{}
	err := d.write(ctx, func(tx *sql.Tx) error {
		var n int
		// The foreign key would refuse it too, but with an engine's own
		// wording: the site is checked first to return ErrNotFound.
		if err := tx.QueryRowContext(ctx, d.q("CreateScan-site"), s.SiteID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return fmt.Errorf("site %q: %w", s.SiteID, ErrNotFound)
		}
		return tx.QueryRowContext(ctx, d.q("CreateScan"), s.SiteID, s.URL, s.StartedBy, timeText(s.StartedAt)).Scan(&s.ID)
	})
	if err != nil {
		return Scan{}, fmt.Errorf("create scan: %w", err)
	}
	return s, nil
}

func (d *db) ScanProgress(ctx context.Context, id int64, progress int, step string) error {
	if _, err := d.w.ExecContext(ctx, d.q("ScanProgress"), id, progress, step); err != nil {
		return fmt.Errorf("scan %d progress: %w", id, err)
	}
	return nil
}

func (d *db) FinishScan(ctx context.Context, id int64, status string, at time.Time, report []byte, errText string) error {
	if status != ScanDone && status != ScanFailed {
		return fmt.Errorf("finish scan %d: status %q is not %s or %s", id, status, ScanDone, ScanFailed)
	}
	err := mustAffect(d.w.ExecContext(ctx, d.q("FinishScan"), id, status, timeText(at), string(report), errText))
	if err != nil {
		return fmt.Errorf("finish scan %d: %w", id, err)
	}
	return nil
}

func (d *db) Scan(ctx context.Context, siteID string, id int64) (Scan, error) {
	s, err := scanScan(d.r.QueryRowContext(ctx, d.q("Scan"), siteID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Scan{}, fmt.Errorf("scan %d of %s: %w", id, siteID, ErrNotFound)
	}
	if err != nil {
		return Scan{}, fmt.Errorf("scan %d of %s: %w", id, siteID, err)
	}
	return s, nil
}

func (d *db) ListScans(ctx context.Context, siteID string, limit int) ([]Scan, error) {
	rows, err := d.r.QueryContext(ctx, d.q("ListScans"), siteID, limit)
	if err != nil {
		return nil, fmt.Errorf("scans of %s: %w", siteID, err)
	}
	defer rows.Close()
	var out []Scan
	for rows.Next() {
		s, err := scanScan(rows)
		if err != nil {
			return nil, fmt.Errorf("scans of %s: %w", siteID, err)
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

func scanScan(row scanner) (Scan, error) {
	var (
		s                 Scan
		started, finished string
		report            string
	)
	err := row.Scan(&s.ID, &s.SiteID, &s.URL, &s.StartedBy, &started, &finished, &s.Status, &s.Progress, &s.Step, &s.Error, &report)
	if err != nil {
		return Scan{}, err
	}
	if report != "" {
		s.Report = []byte(report)
	}
	if s.StartedAt, err = parseTime(started); err == nil {
		s.FinishedAt, err = parseTime(finished)
	}
	return s, err
}
