package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"time"
)

// EscrowedBanner is one banner script exactly as charte served it for a
// revision and language. A revision stores the registry, but the banner's
// code and default wording come with the binary: these bytes are what a
// visitor ran, whatever version of charte runs now.
type EscrowedBanner struct {
	SiteID   string
	Revision string
	Lang     string
	// SHA256 is the hex SHA-256 of Script, computed by the store.
	SHA256 string
	// Version is the charte version that built the script.
	Version     string
	FirstServed time.Time
	Size        int    // len(Script), also in listings
	Script      []byte // nil in BannerEscrow's listing
}

// Escrow keeps the banners served, once each, never changed.
type Escrow interface {
	// EscrowBanner stores b.Script under its SHA-256 unless that script of
	// that revision and language is already there, in which case it
	// changes nothing and returns false: the first serving is the one
	// kept. Safe when several requests or nodes escrow the same script at
	// once. ErrNotFound when the revision was never published.
	EscrowBanner(ctx context.Context, b EscrowedBanner) (bool, error)
	// BannerEscrow lists a revision's escrowed scripts, without their bytes,
	// by language then first serving; empty when none was served yet.
	BannerEscrow(ctx context.Context, siteID, revision string) ([]EscrowedBanner, error)
	// BannerScript returns one escrowed script of a revision, bytes
	// included, by its SHA-256; ErrNotFound when there is none.
	BannerScript(ctx context.Context, siteID, revision, sha string) (EscrowedBanner, error)
}

func (d *db) EscrowBanner(ctx context.Context, b EscrowedBanner) (bool, error) {
	sum := sha256.Sum256(b.Script)
	b.SHA256 = hex.EncodeToString(sum[:])
	stored := false
	err := d.write(ctx, func(tx *sql.Tx) error {
		// The foreign key would refuse it too, in each engine's words.
		var n int
		if err := tx.QueryRowContext(ctx, d.q("EscrowBanner-revision"), b.SiteID, b.Revision).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return ErrNotFound
		}
		res, err := tx.ExecContext(ctx, d.q("EscrowBanner"), b.SiteID, b.Revision, b.Lang, b.SHA256, b.Script, b.Version, timeText(b.FirstServed))
		if err != nil {
			return err
		}
		affected, err := res.RowsAffected()
		stored = affected > 0
		return err
	})
	if err != nil {
		return false, fmt.Errorf("escrow banner %s/%s/%s: %w", b.SiteID, b.Revision, b.Lang, err)
	}
	return stored, nil
}

func (d *db) BannerEscrow(ctx context.Context, siteID, revision string) ([]EscrowedBanner, error) {
	rows, err := d.r.QueryContext(ctx, d.q("BannerEscrow"), siteID, revision)
	if err != nil {
		return nil, fmt.Errorf("banner escrow of %s/%s: %w", siteID, revision, err)
	}
	defer rows.Close()
	var out []EscrowedBanner
	for rows.Next() {
		var (
			b  EscrowedBanner
			at string
		)
		if err := rows.Scan(&b.SiteID, &b.Revision, &b.Lang, &b.SHA256, &b.Version, &at, &b.Size); err != nil {
			return nil, fmt.Errorf("banner escrow of %s/%s: %w", siteID, revision, err)
		}
		if b.FirstServed, err = parseTime(at); err != nil {
			return nil, fmt.Errorf("banner escrow of %s/%s: %w", siteID, revision, err)
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

func (d *db) BannerScript(ctx context.Context, siteID, revision, sha string) (EscrowedBanner, error) {
	var (
		b  EscrowedBanner
		at string
	)
	err := d.r.QueryRowContext(ctx, d.q("BannerScript"), siteID, revision, sha).
		Scan(&b.SiteID, &b.Revision, &b.Lang, &b.SHA256, &b.Version, &at, &b.Script)
	if errors.Is(err, sql.ErrNoRows) {
		err = ErrNotFound
	}
	if err == nil {
		b.FirstServed, err = parseTime(at)
	}
	if err != nil {
		return EscrowedBanner{}, fmt.Errorf("escrowed banner %s of %s/%s: %w", sha, siteID, revision, err)
	}
	b.Size = len(b.Script)
	return b, nil
}
