package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"

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
