package store

import (
	"context"
	"fmt"
	"time"
)

// Stats are a site's choices over a period, as counts only: no visitor can
// be singled out from them.
type Stats struct {
	// Days holds one row per UTC day and action that had choices, by day.
	Days []DayCount
	// Categories holds, per category, how many choices (withdrawals aside)
	// answered about it and how many granted it.
	Categories []CategoryCount
}

// DayCount is the number of choices with one action on one UTC day
// ("2026-11-28"), and how many of them granted at least one category.
type DayCount struct {
	Day    string
	Action string
	Count  int
	OptIns int
}

// CategoryCount is how often a category was asked about and granted.
type CategoryCount struct {
	Category string
	Asked    int
	Granted  int
}

// ConsentStats lets the database aggregate: the decisions JSON is read by
// SQLite's json_each or PostgreSQL's jsonb_each_text, so only a few rows
// per day cross to Go however many choices there were (see
// BenchmarkConsentStats for the comparison with streaming the records).
func (d *db) ConsentStats(ctx context.Context, siteID string, since, until time.Time) (Stats, error) {
	lo, hi := "", untilNever
	if !since.IsZero() {
		lo = timeText(since)
	}
	if !until.IsZero() {
		hi = timeText(until)
	}
	var st Stats
	rows, err := d.r.QueryContext(ctx, d.q("ConsentStats-days"), siteID, lo, hi)
	if err != nil {
		return Stats{}, fmt.Errorf("statistics of site %q: %w", siteID, err)
	}
	for rows.Next() {
		var c DayCount
		if err := rows.Scan(&c.Day, &c.Action, &c.Count, &c.OptIns); err != nil {
			rows.Close()
			return Stats{}, fmt.Errorf("statistics of site %q: %w", siteID, err)
		}
		st.Days = append(st.Days, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return Stats{}, fmt.Errorf("statistics of site %q: %w", siteID, err)
	}
	rows, err = d.r.QueryContext(ctx, d.q("ConsentStats-categories"), siteID, lo, hi)
	if err != nil {
		return Stats{}, fmt.Errorf("category statistics of site %q: %w", siteID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var c CategoryCount
		if err := rows.Scan(&c.Category, &c.Asked, &c.Granted); err != nil {
			return Stats{}, fmt.Errorf("category statistics of site %q: %w", siteID, err)
		}
		st.Categories = append(st.Categories, c)
	}
	if err := rows.Err(); err != nil {
		return Stats{}, fmt.Errorf("category statistics of site %q: %w", siteID, err)
	}
	return st, nil
}
