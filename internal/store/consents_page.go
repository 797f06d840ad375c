package store

import (
	"context"
	"fmt"
	"time"

	"github.com/charte/charte/internal/proof"
)

// ConsentQuery selects a page of a site's consent log. Zero fields do not
// filter; Since is inclusive, Until exclusive, as for Consents.
type ConsentQuery struct {
	SiteID           string
	Since, Until     time.Time
	Action, Revision string
	// After is the seq of the last record of the previous page (0: start).
	After int64
	// Limit is at most 1000; 0 means 50.
	Limit int
}

func (d *db) ConsentPage(ctx context.Context, q ConsentQuery) ([]proof.Record, error) {
	if q.Limit <= 0 {
		q.Limit = 50
	}
	q.Limit = min(q.Limit, 1000)
	lo, hi := "", untilNever
	if !q.Since.IsZero() {
		lo = timeText(q.Since)
	}
	if !q.Until.IsZero() {
		hi = timeText(q.Until)
	}
	rows, err := d.r.QueryContext(ctx, d.q("ConsentPage"), q.SiteID, q.After, lo, hi, q.Action, q.Revision, q.Limit)
	if err != nil {
		return nil, fmt.Errorf("consent page of site %q: %w", q.SiteID, err)
	}
	defer rows.Close()
	var out []proof.Record
	for rows.Next() {
		r, err := scanRecord(rows)
		if err != nil {
			return nil, fmt.Errorf("consent page of site %q: %w", q.SiteID, err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("consent page of site %q: %w", q.SiteID, err)
	}
	return out, nil
}
