package store

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/charte/charte/internal/proof"
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

// ConsentStats lets the database aggregate by day, action and decisions
// text, so only a few rows per day cross to Go however many choices there
// were; BenchmarkConsentStats compares it with streaming every record.
func (d *db) ConsentStats(ctx context.Context, siteID string, since, until time.Time) (Stats, error) {
	lo, hi := "", untilNever
	if !since.IsZero() {
		lo = timeText(since)
	}
	if !until.IsZero() {
		hi = timeText(until)
	}
	rows, err := d.r.QueryContext(ctx, d.q("ConsentStats"), siteID, lo, hi)
	if err != nil {
		return Stats{}, fmt.Errorf("statistics of site %q: %w", siteID, err)
	}
	defer rows.Close()
	var (
		st      Stats
		decoded = map[string]map[string]bool{}
		cats    = map[string]*CategoryCount{}
	)
	for rows.Next() {
		var (
			day, action, text string
			n                 int
		)
		if err := rows.Scan(&day, &action, &text, &n); err != nil {
			return Stats{}, fmt.Errorf("statistics of site %q: %w", siteID, err)
		}
		dec, ok := decoded[text]
		if !ok {
			if err := json.Unmarshal([]byte(text), &dec); err != nil {
				return Stats{}, fmt.Errorf("statistics of site %q: decisions %q: %w", siteID, text, err)
			}
			dec, _ = splitDecisions(dec) // the statistics are per category
			decoded[text] = dec
		}
		if k := len(st.Days) - 1; k < 0 || st.Days[k].Day != day || st.Days[k].Action != action {
			st.Days = append(st.Days, DayCount{Day: day, Action: action})
		}
		dc := &st.Days[len(st.Days)-1]
		dc.Count += n
		if slices.Contains(slices.Collect(maps.Values(dec)), true) {
			dc.OptIns += n
		}
		// A withdrawal answers no question the banner asked: it takes a
		// consent back, so it does not count in the opt-in rates.
		if action == proof.Withdraw {
			continue
		}
		for c, granted := range dec {
			if cats[c] == nil {
				cats[c] = &CategoryCount{Category: c}
			}
			cats[c].Asked += n
			if granted {
				cats[c].Granted += n
			}
		}
	}
	if err := rows.Err(); err != nil {
		return Stats{}, fmt.Errorf("statistics of site %q: %w", siteID, err)
	}
	for _, id := range slices.Sorted(maps.Keys(cats)) {
		st.Categories = append(st.Categories, *cats[id])
	}
	return st, nil
}
