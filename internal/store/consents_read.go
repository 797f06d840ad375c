package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/charte/charte/internal/proof"
)

// untilNever is above every stored time in byte order ('~' sorts after the
// digits), standing for "no upper bound" so Consents has a single query.
const untilNever = "~"

func (d *db) Consents(ctx context.Context, siteID string, since, until time.Time, fn func(proof.Record) error) error {
	lo, hi := "", untilNever
	if !since.IsZero() {
		lo = timeText(since)
	}
	if !until.IsZero() {
		hi = timeText(until)
	}
	rows, err := d.r.QueryContext(ctx, d.q("Consents"), siteID, lo, hi)
	if err != nil {
		return fmt.Errorf("consents of site %q: %w", siteID, err)
	}
	defer rows.Close()
	for rows.Next() {
		r, err := scanRecord(rows)
		if err != nil {
			return fmt.Errorf("consents of site %q: %w", siteID, err)
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("consents of site %q: %w", siteID, err)
	}
	return nil
}

func (d *db) ConsentHistory(ctx context.Context, siteID, consentID string) ([]proof.Record, error) {
	rows, err := d.r.QueryContext(ctx, d.q("ConsentHistory"), siteID, consentID)
	if err != nil {
		return nil, fmt.Errorf("consent history %q of site %q: %w", consentID, siteID, err)
	}
	defer rows.Close()
	var out []proof.Record
	for rows.Next() {
		r, err := scanRecord(rows)
		if err != nil {
			return nil, fmt.Errorf("consent history %q of site %q: %w", consentID, siteID, err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("consent history %q of site %q: %w", consentID, siteID, err)
	}
	return out, nil
}

// ProofHead of a site without records (or without existence) has a zero
// Count: callers that must tell them apart ask Site.
func (d *db) ProofHead(ctx context.Context, siteID string) (Head, error) {
	h := Head{SiteID: siteID}
	var tm string
	err := d.r.QueryRowContext(ctx, d.q("ProofHead"), siteID).Scan(&h.Count, &h.Hash, &tm)
	if errors.Is(err, sql.ErrNoRows) {
		return h, nil
	}
	if err == nil {
		h.Time, err = parseTime(tm)
	}
	if err != nil {
		return Head{}, fmt.Errorf("proof head of site %q: %w", siteID, err)
	}
	return h, nil
}
