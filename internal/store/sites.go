package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/charte/charte/registry"
	"github.com/charte/charte/services"
)

func (d *db) ListSites(ctx context.Context) ([]SiteSummary, error) {
	rows, err := d.r.QueryContext(ctx, d.q("ListSites"))
	if err != nil {
		return nil, fmt.Errorf("list sites: %w", err)
	}
	defer rows.Close()
	var out []SiteSummary
	for rows.Next() {
		var s SiteSummary
		var updated string
		if err := rows.Scan(&s.ID, &s.Name, &s.Published, &updated); err != nil {
			return nil, fmt.Errorf("list sites: %w", err)
		}
		if s.UpdatedAt, err = parseTime(updated); err != nil {
			return nil, fmt.Errorf("list sites: site %s: %w", s.ID, err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list sites: %w", err)
	}
	return out, nil
}

func (d *db) Site(ctx context.Context, id string) (*registry.Site, error) {
	var doc string
	err := d.r.QueryRowContext(ctx, d.q("Site"), id).Scan(&doc)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("site %q: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("site %q: %w", id, err)
	}
	s, err := decodeSite(doc)
	if err != nil {
		return nil, fmt.Errorf("site %q: %w", id, err)
	}
	return s, nil
}

// SaveSite stores a registry checked on its way in (registry.Check or
// Read): what is stored is always something the charter and the banner can
// be rendered from, and it is validated once, there, not again here.
func (d *db) SaveSite(ctx context.Context, v registry.Valid) error {
	if v.IsZero() {
		return errors.New("save site: no checked registry given (registry.Check makes one)")
	}
	s := v.Site()
	// A draft naming services must expand now, so that a typo in a service
	// id is refused at import rather than at publishing.
	if _, err := services.Builtin().Expand(s); err != nil {
		return fmt.Errorf("save site %q: %w", s.ID, err)
	}
	doc, err := encodeSite(s)
	if err != nil {
		return fmt.Errorf("save site %q: %w", s.ID, err)
	}
	now := timeText(time.Now())
	if _, err := d.w.ExecContext(ctx, d.q("SaveSite"), s.ID, s.Name, doc, now); err != nil {
		return fmt.Errorf("save site %q: %w", s.ID, err)
	}
	return nil
}

// ErrSiteHasConsents is returned by DeleteSite: consent records are proof
// owed to visitors and regulators, and no registry operation removes them.
var ErrSiteHasConsents = errors.New("the site has consent records, which are proof and are never deleted with the site")

// DeleteSite removes the site, its draft and its published revisions. The
// consents table has no ON DELETE CASCADE, so even a record appended between
// the check and the delete makes the delete fail rather than vanish.
func (d *db) DeleteSite(ctx context.Context, id string) error {
	err := d.write(ctx, func(tx *sql.Tx) error {
		var n int64
		if err := tx.QueryRowContext(ctx, d.q("DeleteSite-consents"), id).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return fmt.Errorf("%w (%d records)", ErrSiteHasConsents, n)
		}
		res, err := tx.ExecContext(ctx, d.q("DeleteSite"), id)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return errors.Join(err, ErrNotFound)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("delete site %q: %w", id, err)
	}
	return nil
}
