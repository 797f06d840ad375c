package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Scan frequencies of a schedule.
const (
	Daily   = "daily"
	Weekly  = "weekly"
	Monthly = "monthly"
)

// ScanSchedule is a site's scheduled scan: how often, what, and when next.
type ScanSchedule struct {
	SiteID    string
	Frequency string // Daily, Weekly or Monthly
	URL       string
	Pages     int
	NextAt    time.Time
}

// Alert is what a scheduled scan found changed since the previous one.
// Changes is drift.Changes as JSON: the store does not know its type.
type Alert struct {
	ID        int64
	SiteID    string
	ScanID    int64
	CreatedAt time.Time
	Changes   []byte
}

// Schedules keeps scan schedules and the alerts scheduled scans raise.
type Schedules interface {
	// SaveScanSchedule creates or replaces a site's schedule; ErrNotFound
	// when the site does not exist.
	SaveScanSchedule(ctx context.Context, s ScanSchedule) error
	// ScanSchedule returns a site's schedule, ErrNotFound when it has none.
	ScanSchedule(ctx context.Context, siteID string) (ScanSchedule, error)
	DeleteScanSchedule(ctx context.Context, siteID string) error
	// DueScanSchedules returns the schedules due at now, most overdue
	// first.
	DueScanSchedules(ctx context.Context, now time.Time, limit int) ([]ScanSchedule, error)
	// ClaimScanSchedule moves a due schedule's next time from s.NextAt to
	// next, only if no other node did first: true when this call did, and
	// so runs the scan.
	ClaimScanSchedule(ctx context.Context, s ScanSchedule, next time.Time) (bool, error)
	// CreateAlert stores an alert (one per scan: a second for the same
	// scan is ErrAlertExists) and returns it with its ID.
	CreateAlert(ctx context.Context, a Alert) (Alert, error)
	// ListAlerts returns alerts newest first, of one site or, with siteID
	// "", of every site.
	ListAlerts(ctx context.Context, siteID string, limit int) ([]Alert, error)
}

// ErrAlertExists is CreateAlert's answer for a scan that already raised one.
var ErrAlertExists = errors.New("this scan already raised an alert")

func (d *db) SaveScanSchedule(ctx context.Context, s ScanSchedule) error {
	err := d.write(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, d.q("CreateScan-site"), s.SiteID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return fmt.Errorf("site %q: %w", s.SiteID, ErrNotFound)
		}
		_, err := tx.ExecContext(ctx, d.q("SaveScanSchedule"), s.SiteID, s.Frequency, s.URL, s.Pages, timeText(s.NextAt))
		return err
	})
	if err != nil {
		return fmt.Errorf("save the scan schedule of %s: %w", s.SiteID, err)
	}
	return nil
}

func (d *db) ScanSchedule(ctx context.Context, siteID string) (ScanSchedule, error) {
	s, err := scanSchedule(d.r.QueryRowContext(ctx, d.q("ScanSchedule"), siteID))
	if errors.Is(err, sql.ErrNoRows) {
		return s, fmt.Errorf("scan schedule of %s: %w", siteID, ErrNotFound)
	}
	return s, err
}

func (d *db) DeleteScanSchedule(ctx context.Context, siteID string) error {
	if _, err := d.w.ExecContext(ctx, d.q("DeleteScanSchedule"), siteID); err != nil {
		return fmt.Errorf("delete the scan schedule of %s: %w", siteID, err)
	}
	return nil
}

func (d *db) DueScanSchedules(ctx context.Context, now time.Time, limit int) ([]ScanSchedule, error) {
	rows, err := d.r.QueryContext(ctx, d.q("DueScanSchedules"), timeText(now), limit)
	if err != nil {
		return nil, fmt.Errorf("due scan schedules: %w", err)
	}
	defer rows.Close()
	var out []ScanSchedule
	for rows.Next() {
		s, err := scanSchedule(rows)
		if err != nil {
			return nil, fmt.Errorf("due scan schedules: %w", err)
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

func (d *db) ClaimScanSchedule(ctx context.Context, s ScanSchedule, next time.Time) (bool, error) {
	res, err := d.w.ExecContext(ctx, d.q("ClaimScanSchedule"), s.SiteID, timeText(s.NextAt), timeText(next))
	if err != nil {
		return false, fmt.Errorf("claim the scan schedule of %s: %w", s.SiteID, err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

func (d *db) CreateAlert(ctx context.Context, a Alert) (Alert, error) {
	a.CreatedAt = time.Now().UTC().Truncate(time.Microsecond)
	err := d.write(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, d.q("CreateAlert-exists"), a.ScanID).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return ErrAlertExists
		}
		return tx.QueryRowContext(ctx, d.q("CreateAlert"), a.SiteID, a.ScanID, timeText(a.CreatedAt), string(a.Changes)).Scan(&a.ID)
	})
	if errors.Is(err, ErrAlertExists) {
		return Alert{}, err
	}
	if err != nil {
		return Alert{}, fmt.Errorf("create alert of scan %d: %w", a.ScanID, err)
	}
	return a, nil
}

func (d *db) ListAlerts(ctx context.Context, siteID string, limit int) ([]Alert, error) {
	rows, err := d.r.QueryContext(ctx, d.q("ListAlerts"), siteID, limit)
	if err != nil {
		return nil, fmt.Errorf("alerts: %w", err)
	}
	defer rows.Close()
	var out []Alert
	for rows.Next() {
		var (
			a                Alert
			created, changes string
		)
		if err := rows.Scan(&a.ID, &a.SiteID, &a.ScanID, &created, &changes); err != nil {
			return nil, fmt.Errorf("alerts: %w", err)
		}
		if a.CreatedAt, err = parseTime(created); err != nil {
			return nil, err
		}
		a.Changes = []byte(changes)
		out = append(out, a)
	}
	return out, rows.Err()
}

func scanSchedule(row scanner) (ScanSchedule, error) {
	var (
		s    ScanSchedule
		next string
	)
	if err := row.Scan(&s.SiteID, &s.Frequency, &s.URL, &s.Pages, &next); err != nil {
		return s, err
	}
	var err error
	s.NextAt, err = parseTime(next)
	return s, err
}
