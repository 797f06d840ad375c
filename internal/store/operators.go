package store

import (
	"context"
	"time"

	"github.com/charte/charte/internal/auth"
	"github.com/charte/charte/internal/proof"
)

// Operators is what the back office reads and keeps beyond accounts:
// statistics, pages of the consent log, API tokens.
type Operators interface {
	// ConsentStats counts a site's choices from since (inclusive) to until
	// (exclusive), aggregated by the database: counts only, no record.
	ConsentStats(ctx context.Context, siteID string, since, until time.Time) (Stats, error)
	// ConsentPage returns at most q.Limit records after q.After in chain
	// order (keyset pagination on seq).
	ConsentPage(ctx context.Context, q ConsentQuery) ([]proof.Record, error)

	// CreateToken stores t (its hash, never the token) with its sites and
	// returns it with its ID: ErrNotFound naming an unknown site, and
	// nothing stored then.
	CreateToken(ctx context.Context, t auth.Token) (auth.Token, error)
	// TokenByHash returns the token, not revoked, whose hash is given;
	// ErrNotFound otherwise.
	TokenByHash(ctx context.Context, hash string) (auth.Token, error)
	ListTokens(ctx context.Context) ([]auth.Token, error)
	// RevokeToken ends a token at once; ErrNotFound when there is no such
	// working token.
	RevokeToken(ctx context.Context, id int64, at time.Time) error
}
