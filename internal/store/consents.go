package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"sort"

	"github.com/charte/charte/internal/proof"
)

// AppendConsents is the group commit's unit: the whole batch is one
// transaction, so one fsync acknowledges every record in it, and a failure
// stores none of them. Each record returned says whether this call created
// it (Record.Created) or found it stored under its ID.
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
		if err := checkText(&recs[i]); err != nil {
			return nil, fmt.Errorf("append consents: %w", err)
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
// Three round trips whatever the batch size after the head is locked: find
// the ids already stored, then insert the new rows as one JSON array.
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
	// Looked up under the head lock, so no other writer adds one meanwhile.
	stored, err := d.existing(ctx, tx, site, recs, idx)
	if err != nil {
		return err
	}
	// A browser resending its record, in this batch or a later one, gets
	// the stored one back: the chain holds each choice once.
	var rows []jsonRow
	for _, i := range idx {
		r := recs[i]
		if s, ok := stored[r.ID]; ok {
			s.Created = false
			out[i] = s
			continue
		}
		if prev.Seq == 0 {
			r.Chain(nil)
		} else {
			r.Chain(&prev)
		}
		row, err := newJSONRow(&r)
		if err != nil {
			return fmt.Errorf("record %q: %w", r.ID, err)
		}
		rows = append(rows, row)
		r.Created = true
		out[i], prev, stored[r.ID] = r, r, r
	}
	if len(rows) == 0 {
		return nil
	}
	data, err := json.Marshal(rows)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, d.q("AppendConsents-insert"), string(data)); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, d.q("AppendConsents-head-update"), site, prev.Seq, prev.Hash, timeText(prev.Time))
	return err
}

// existing returns the stored records among recs[idx...], by id.
func (d *db) existing(ctx context.Context, tx *sql.Tx, site string, recs []proof.Record, idx []int) (map[string]proof.Record, error) {
	ids := make([]string, len(idx))
	for k, i := range idx {
		ids[k] = recs[i].ID
	}
	data, err := json.Marshal(ids)
	if err != nil {
		return nil, err
	}
	rows, err := tx.QueryContext(ctx, d.q("AppendConsents-existing"), site, string(data))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	stored := map[string]proof.Record{}
	for rows.Next() {
		r, err := scanRecord(rows)
		if err != nil {
			return nil, err
		}
		stored[r.ID] = r
	}
	return stored, rows.Err()
}
