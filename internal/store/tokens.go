package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/charte/charte/internal/auth"
)

func (d *db) CreateToken(ctx context.Context, t auth.Token) (auth.Token, error) {
	t.CreatedAt = time.Now().UTC().Truncate(time.Microsecond)
	err := d.write(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, d.q("CreateToken"), t.Name, t.Hash, t.Role, t.CreatedBy, timeText(t.CreatedAt)).Scan(&t.ID)
		if err != nil {
			return err
		}
		seen := map[string]bool{}
		for _, site := range t.Sites {
			if seen[site] {
				continue
			}
			seen[site] = true
			if err := mustAffect(tx.ExecContext(ctx, d.q("CreateToken-site"), t.ID, site)); err != nil {
				return fmt.Errorf("site %q: %w", site, err)
			}
		}
		return nil
	})
	if err != nil {
		return auth.Token{}, fmt.Errorf("create token %q: %w", t.Name, err)
	}
	t.Sites, err = d.tokenSites(ctx, t.ID)
	return t, err
}

func (d *db) TokenByHash(ctx context.Context, hash string) (auth.Token, error) {
	t, err := scanToken(d.r.QueryRowContext(ctx, d.q("TokenByHash"), hash))
	if errors.Is(err, sql.ErrNoRows) {
		return auth.Token{}, fmt.Errorf("token: %w", ErrNotFound)
	}
	if err == nil {
		t.Hash = hash
		t.Sites, err = d.tokenSites(ctx, t.ID)
	}
	if err != nil {
		return auth.Token{}, fmt.Errorf("token: %w", err)
	}
	return t, nil
}

func (d *db) ListTokens(ctx context.Context) ([]auth.Token, error) {
	rows, err := d.r.QueryContext(ctx, d.q("ListTokens"))
	if err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	var out []auth.Token
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("list tokens: %w", err)
		}
		out = append(out, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	for i := range out {
		if out[i].Sites, err = d.tokenSites(ctx, out[i].ID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (d *db) RevokeToken(ctx context.Context, id int64, at time.Time) error {
	if err := mustAffect(d.w.ExecContext(ctx, d.q("RevokeToken"), id, timeText(at))); err != nil {
		return fmt.Errorf("revoke token %d: %w", id, err)
	}
	return nil
}

func (d *db) tokenSites(ctx context.Context, id int64) ([]string, error) {
	rows, err := d.r.QueryContext(ctx, d.q("TokenSites"), id)
	if err != nil {
		return nil, fmt.Errorf("sites of token %d: %w", id, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, fmt.Errorf("sites of token %d: %w", id, err)
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

func scanToken(row scanner) (auth.Token, error) {
	var (
		t                auth.Token
		created, revoked string
	)
	if err := row.Scan(&t.ID, &t.Name, &t.Role, &t.CreatedBy, &created, &revoked); err != nil {
		return auth.Token{}, err
	}
	var err error
	if t.CreatedAt, err = parseTime(created); err == nil {
		t.RevokedAt, err = parseTime(revoked)
	}
	return t, err
}
