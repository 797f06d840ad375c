package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/charte/charte/internal/proof"
)

// AppendConsents is the group commit's unit: the whole batch is one
// transaction, so one fsync acknowledges every record in it, and a failure
// stores none of them.
//
// Sites are handled in sorted order so that two nodes appending batches
// that span the same sites lock their heads in the same order and cannot
// deadlock. Within a site, records keep their order in recs.
func (d *db) AppendConsents(ctx context.Context, recs []proof.Record) ([]proof.Record, error) {
	out := make([]proof.Record, len(recs))
	if len(recs) == 0 {
		return out, nil
	}
	bySite := map[string][]int{}
	for i, r := range recs {
		if r.SiteID == "" || r.ID == "" {
			return nil, fmt.Errorf("append consents: record %d has no site or no id", i)
		}
		bySite[r.SiteID] = append(bySite[r.SiteID], i)
	}
	sites := make([]string, 0, len(bySite))
	for s := range bySite {
		sites = append(sites, s)
	}
	sort.Strings(sites)

	err := d.write(ctx, func(tx *sql.Tx) error {
		for _, site := range sites {
			if err := d.appendSite(ctx, tx, site, recs, bySite[site], out); err != nil {
				return fmt.Errorf("site %q: %w", site, err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("append consents: %w", err)
	}
	return out, nil
}

// appendSite chains and inserts recs[idx...] of one site, filling out.
func (d *db) appendSite(ctx context.Context, tx *sql.Tx, site string, recs []proof.Record, idx []int, out []proof.Record) error {
	var known int
	if err := tx.QueryRowContext(ctx, d.q("AppendConsents-site"), site).Scan(&known); err != nil {
		return err
	}
	if known == 0 {
		return ErrNotFound
	}
	if _, err := tx.ExecContext(ctx, d.q("AppendConsents-head-init"), site); err != nil {
		return err
	}
	var prev proof.Record
	if err := tx.QueryRowContext(ctx, d.q("AppendConsents-head"), site).Scan(&prev.Seq, &prev.Hash); err != nil {
		return err
	}
	// A browser resending its record, in this batch or a later one, gets
	// the stored one back: the chain holds each choice once.
	inBatch := map[string]int{}
	appended := false
	for _, i := range idx {
		r := recs[i]
		if j, ok := inBatch[r.ID]; ok {
			out[i] = out[j]
			continue
		}
		inBatch[r.ID] = i
		stored, err := scanRecord(tx.QueryRowContext(ctx, d.q("AppendConsents-existing"), site, r.ID))
		if err == nil {
			out[i] = stored
			continue
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if prev.Seq == 0 {
			r.Chain(nil)
		} else {
			r.Chain(&prev)
		}
		args, err := recordArgs(&r)
		if err != nil {
			return fmt.Errorf("record %s: %w", r.ID, err)
		}
		if _, err := tx.ExecContext(ctx, d.q("AppendConsents-insert"), args...); err != nil {
			return fmt.Errorf("record %s: %w", r.ID, err)
		}
		out[i], prev, appended = r, r, true
	}
	if !appended {
		return nil
	}
	_, err := tx.ExecContext(ctx, d.q("AppendConsents-head-update"), site, prev.Seq, prev.Hash, timeText(prev.Time))
	return err
}

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
