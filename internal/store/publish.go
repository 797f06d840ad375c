package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/charte/charte/services"
)

// Publish snapshots the draft. The snapshot is the whole stored document,
// not only what Revision hashes, so the charter of a revision can be
// rendered again exactly as it was. The draft's services are expanded from
// the catalogue first: the revision holds their cookies, vendors and recipe
// versions, and a newer recipe reaches visitors only by publishing again.
func (d *db) Publish(ctx context.Context, siteID string) (Revision, error) {
	var rev Revision
	err := d.write(ctx, func(tx *sql.Tx) error {
		var doc, published string
		err := tx.QueryRowContext(ctx, d.q("Publish-site"), siteID).Scan(&doc, &published)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		site, err := decodeSite(doc)
		if err != nil {
			return err
		}
		if len(site.Services) > 0 {
			if site, err = services.Builtin().Expand(site); err != nil {
				return err
			}
			if doc, err = encodeSite(site); err != nil {
				return err
			}
		}
		id := site.Revision()
		stored := int64(0)
		at := timeText(time.Now())
		if id != published {
			res, err := tx.ExecContext(ctx, d.q("Publish-insert"), siteID, id, doc, at)
			if err != nil {
				return err
			}
			if stored, err = res.RowsAffected(); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, d.q("Publish-update"), siteID, id); err != nil {
				return err
			}
		}
		if stored == 1 {
			// A new revision: the draft decoded above is its document, so
			// it is decoded once, not read back and decoded again.
			rev = Revision{SiteID: siteID, ID: id, Site: site}
			rev.PublishedAt, err = parseTime(at)
			return err
		}
		// The draft is the published revision, or reverted to an earlier
		// one: that revision keeps its original document and date, read
		// back as visitors were shown it.
		rev, err = scanRevision(siteID, tx.QueryRowContext(ctx, d.q("Revision"), siteID, id))
		return err
	})
	if err != nil {
		return Revision{}, fmt.Errorf("publish site %q: %w", siteID, err)
	}
	return rev, nil
}

func (d *db) Published(ctx context.Context, siteID string) (Revision, error) {
	rev, err := scanRevision(siteID, d.r.QueryRowContext(ctx, d.q("Published"), siteID))
	if err != nil {
		return Revision{}, fmt.Errorf("published revision of site %q: %w", siteID, err)
	}
	return rev, nil
}

func (d *db) Revision(ctx context.Context, siteID, revision string) (Revision, error) {
	rev, err := scanRevision(siteID, d.r.QueryRowContext(ctx, d.q("Revision"), siteID, revision))
	if err != nil {
		return Revision{}, fmt.Errorf("revision %s of site %q: %w", revision, siteID, err)
	}
	return rev, nil
}

// scanRevision reads (revision, document, published_at); no row is
// ErrNotFound, for a missing site and a never-published one alike.
func scanRevision(siteID string, row *sql.Row) (Revision, error) {
	var id, doc, at string
	err := row.Scan(&id, &doc, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return Revision{}, ErrNotFound
	}
	if err != nil {
		return Revision{}, err
	}
	rev := Revision{SiteID: siteID, ID: id}
	if rev.Site, err = decodeSite(doc); err != nil {
		return Revision{}, err
	}
	if rev.PublishedAt, err = parseTime(at); err != nil {
		return Revision{}, err
	}
	return rev, nil
}
