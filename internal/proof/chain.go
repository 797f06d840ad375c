package proof

import (
	"context"
	"errors"
	"time"
)

// Head is the end of a site's chain as stored: how many records it holds
// (the seq of the last), the last hash and its time. Count is zero for an
// empty chain.
type Head struct {
	SiteID string
	Count  int64
	Hash   string
	Time   time.Time
}

// ChainReader is what verifying a chain reads; the store satisfies it.
type ChainReader interface {
	// ProofAnchor returns where the site's remaining chain starts.
	ProofAnchor(ctx context.Context, siteID string) (Anchor, error)
	// ProofHead returns the end of the site's chain.
	ProofHead(ctx context.Context, siteID string) (Head, error)
	// Consents calls fn on the site's records in chain order (zero times:
	// no bound).
	Consents(ctx context.Context, siteID string, since, until time.Time, fn func(Record) error) error
}

// ChainCheck is a walk of a site's chain from its purge anchor to its head.
type ChainCheck struct {
	Anchor Anchor
	Head   Head
	// Verified counts the records checked: those after the anchor.
	Verified int64
	// Break is the first place the chain stops proving anything, nil when
	// it holds from the anchor to the head.
	Break *Break
}

// errStopWalk ends a walk at the head read before it.
var errStopWalk = errors.New("past the head")

// VerifyChain walks a site's records from its anchor and checks them
// against its head: what `charte consents verify`, the back office and the
// API all report, through this one function. The anchor is read first, then the head (which is never
// behind it), and records appended during the walk lie beyond that head and
// are left for the next check, not mistaken for tampering. A purge
// committing during the walk moves the anchor: the walk then starts again.
func VerifyChain(ctx context.Context, st ChainReader, siteID string) (ChainCheck, error) {
	for attempt := 0; ; attempt++ {
		c, err := walk(ctx, st, siteID)
		if err != nil || c.Break == nil || attempt == 2 {
			return c, err
		}
		now, err := st.ProofAnchor(ctx, siteID)
		if err != nil {
			return c, err
		}
		if now.Seq == c.Anchor.Seq && now.Hash == c.Anchor.Hash {
			return c, nil
		}
	}
}

func walk(ctx context.Context, st ChainReader, siteID string) (ChainCheck, error) {
	var c ChainCheck
	var err error
	if c.Anchor, err = st.ProofAnchor(ctx, siteID); err != nil {
		return c, err
	}
	if c.Head, err = st.ProofHead(ctx, siteID); err != nil {
		return c, err
	}
	v := NewVerifier(c.Anchor)
	err = st.Consents(ctx, siteID, time.Time{}, time.Time{}, func(r Record) error {
		if r.Seq > c.Head.Count {
			return errStopWalk
		}
		if br := v.Add(r); br != nil {
			return br
		}
		return nil
	})
	var br *Break
	switch {
	case errors.As(err, &br):
	case err != nil && !errors.Is(err, errStopWalk):
		return c, err
	default:
		br = v.Finish(c.Head.Count, c.Head.Hash)
	}
	c.Verified, c.Break = v.Count(), br
	return c, nil
}
