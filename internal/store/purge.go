package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/charte/charte/internal/proof"
)

// PurgeResult is what a purge did, or would do (proof owns the policy).
type PurgeResult = proof.PurgeResult

// ErrPurgeGap is returned when the records a purge would delete are not all
// there: deleting them would erase the evidence that some were removed.
var ErrPurgeGap = errors.New("records are missing from the range to purge: run `charte consents verify`")

// PurgeConsents deletes, in one transaction, the site's oldest records whose
// time is before the cutoff, stopping at the first record that is not: only
// ever a prefix of the chain. The anchor moves to the last deleted record,
// so what is left still verifies. Running it again deletes nothing more.
func (d *db) PurgeConsents(ctx context.Context, siteID string, before time.Time) (PurgeResult, error) {
	return d.purge(ctx, siteID, before, true)
}

// PlanPurge tells what PurgeConsents would delete now, changing nothing.
func (d *db) PlanPurge(ctx context.Context, siteID string, before time.Time) (PurgeResult, error) {
	return d.purge(ctx, siteID, before, false)
}

// purge works under the head lock (PostgreSQL) or the write lock (SQLite),
// so appends wait for it and it sees a chain no one else is changing; a
// plan takes the same path so that it says exactly what a purge would do.
func (d *db) purge(ctx context.Context, siteID string, before time.Time, apply bool) (PurgeResult, error) {
	if before.IsZero() {
		return PurgeResult{}, fmt.Errorf("purge consents of site %q: no cutoff time", siteID)
	}
	var res PurgeResult
	err := d.write(ctx, func(tx *sql.Tx) error {
		// The query serves AppendConsents too: does the site exist at all.
		var known int
		if err := tx.QueryRowContext(ctx, d.q("AppendConsents-site"), siteID).Scan(&known); err != nil {
			return err
		}
		if known == 0 {
			return ErrNotFound
		}
		var head int64
		err := tx.QueryRowContext(ctx, d.q("PurgeConsents-head"), siteID).Scan(&head)
		if errors.Is(err, sql.ErrNoRows) {
			res.Anchor.Site = siteID // never a record: nothing to purge
			return nil
		}
		if err != nil {
			return err
		}
		anchor, err := d.anchor(ctx, tx, siteID)
		if err != nil {
			return err
		}
		res.Anchor = anchor
		last := head // every record is older, unless one is found that is not
		var kept int64
		err = tx.QueryRowContext(ctx, d.q("PurgeConsents-kept"), siteID, timeText(before)).Scan(&kept)
		switch {
		case err == nil:
			last, res.FirstKept = kept-1, kept
		case !errors.Is(err, sql.ErrNoRows):
			return err
		}
		if last <= anchor.Seq {
			return nil // nothing older than the cutoff is left: idempotent
		}
		var tm string
		if err := tx.QueryRowContext(ctx, d.q("PurgeConsents-last"), siteID, last).Scan(&res.Anchor.Hash, &tm); err != nil {
			return errors.Join(ErrPurgeGap, err)
		}
		if res.Anchor.Time, err = parseTime(tm); err != nil {
			return err
		}
		res.Deleted = last - anchor.Seq
		res.Anchor.Seq, res.Anchor.PurgedAt = last, time.Now().UTC().Truncate(time.Microsecond)
		res.Anchor.Purged += res.Deleted
		if !apply {
			return nil
		}
		del, err := tx.ExecContext(ctx, d.q("PurgeConsents-delete"), siteID, last)
		if err != nil {
			return err
		}
		if n, err := del.RowsAffected(); err != nil || n != res.Deleted {
			return errors.Join(ErrPurgeGap, err)
		}
		_, err = tx.ExecContext(ctx, d.q("PurgeConsents-anchor"), siteID, res.Anchor.Seq, res.Anchor.Hash,
			timeText(res.Anchor.Time), timeText(res.Anchor.PurgedAt), res.Deleted)
		return err
	})
	if err != nil {
		return PurgeResult{}, fmt.Errorf("purge consents of site %q: %w", siteID, err)
	}
	return res, nil
}

// ProofAnchor of a site never purged is the zero Anchor (with Site set).
func (d *db) ProofAnchor(ctx context.Context, siteID string) (proof.Anchor, error) {
	a, err := d.anchor(ctx, d.r, siteID)
	if err != nil {
		return proof.Anchor{}, fmt.Errorf("proof anchor of site %q: %w", siteID, err)
	}
	return a, nil
}

// querier is what both *sql.DB and *sql.Tx offer.
type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func (d *db) anchor(ctx context.Context, q querier, siteID string) (proof.Anchor, error) {
	a := proof.Anchor{Site: siteID}
	var tm, at string
	err := q.QueryRowContext(ctx, d.q("ProofAnchor"), siteID).Scan(&a.Seq, &a.Hash, &tm, &at, &a.Purged)
	if errors.Is(err, sql.ErrNoRows) {
		return a, nil
	}
	if err == nil {
		a.Time, err = parseTime(tm)
	}
	if err == nil {
		a.PurgedAt, err = parseTime(at)
	}
	return a, err
}
