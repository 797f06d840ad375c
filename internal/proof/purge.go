package proof

import (
	"context"
	"fmt"
	"time"

	"github.com/charte/charte/registry"
)

// PurgeResult is what a purge did, or would do.
type PurgeResult struct {
	// Deleted is how many records this purge removed (would remove).
	Deleted int64
	// Anchor is the site's anchor afterwards: the last purged record.
	Anchor Anchor
	// FirstKept is the seq of the oldest record left, 0 when none is.
	FirstKept int64
}

// Pruner is what a purge needs of the store: the chain, to verify it first,
// and the deletion of its oldest records (or a plan of it).
type Pruner interface {
	ChainReader
	PurgeConsents(ctx context.Context, siteID string, before time.Time) (PurgeResult, error)
	PlanPurge(ctx context.Context, siteID string, before time.Time) (PurgeResult, error)
}

// PurgeRequest says which records to purge and what the site promises.
type PurgeRequest struct {
	Site   string
	Before time.Time // records older than this go
	Now    time.Time
	// Lifetimes are the choice lifetimes the site has told visitors (its
	// draft's and its published revision's): the longest is the floor.
	Lifetimes []registry.Lifetime
	DryRun    bool
}

// TooRecentError refuses a purge that would remove the proof of a choice
// that may still be in force.
type TooRecentError struct {
	Site   string
	Before time.Time
	Limit  time.Time         // the latest cutoff allowed now
	Keep   registry.Lifetime // the site's longest choice lifetime
}

func (e *TooRecentError) Error() string {
	return fmt.Sprintf("refusing to purge %s before %s: records since %s may prove a visitor's current choice "+
		"(the site keeps choices %s)", e.Site, e.Before.UTC().Format(time.RFC3339), e.Limit.UTC().Format(time.RFC3339), e.Keep)
}

// BrokenChainError refuses to purge a chain that does not verify: a purge
// would erase the evidence of tampering in what it deletes.
type BrokenChainError struct {
	Site  string
	Break *Break
}

func (e *BrokenChainError) Error() string {
	return fmt.Sprintf("refusing to purge %s: its proof chain is broken at %v", e.Site, e.Break)
}

// Purge applies the retention policy every caller shares — never before the
// longest choice lifetime, never over a broken chain — then deletes the
// chain's prefix older than the cutoff, or says what it would delete.
func Purge(ctx context.Context, p Pruner, req PurgeRequest) (PurgeResult, error) {
	if req.Before.IsZero() {
		return PurgeResult{}, fmt.Errorf("purge consents of site %q: no cutoff time", req.Site)
	}
	keep := registry.Lifetime("")
	var floor time.Duration
	for _, l := range req.Lifetimes {
		d, err := l.Duration()
		if err != nil {
			return PurgeResult{}, fmt.Errorf("purge consents of site %q: choice lifetime %q: %w", req.Site, l, err)
		}
		if keep == "" || d > floor {
			keep, floor = l, d
		}
	}
	if keep == "" {
		return PurgeResult{}, fmt.Errorf("purge consents of site %q: no choice lifetime to keep records for", req.Site)
	}
	if limit := req.Now.Add(-floor); req.Before.After(limit) {
		return PurgeResult{}, &TooRecentError{Site: req.Site, Before: req.Before, Limit: limit, Keep: keep}
	}
	c, err := VerifyChain(ctx, p, req.Site)
	if err != nil {
		return PurgeResult{}, err
	}
	if c.Break != nil {
		return PurgeResult{}, &BrokenChainError{Site: req.Site, Break: c.Break}
	}
	if req.DryRun {
		return p.PlanPurge(ctx, req.Site, req.Before)
	}
	return p.PurgeConsents(ctx, req.Site, req.Before)
}
