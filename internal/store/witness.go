package store

import (
	"context"
	"crypto/ed25519"
	"time"

	"github.com/charte/charte/internal/proof"
)

// SignHead signs the current head of a site's chain: what /proof/head
// publishes and the checkpoint log keeps.
func SignHead(ctx context.Context, st Store, signer *proof.Signer, siteID string) (proof.SignedHead, error) {
	head, err := st.ProofHead(ctx, siteID)
	if err != nil {
		return proof.SignedHead{}, err
	}
	return signer.Sign(siteID, head.Count, head.Hash, head.Time)
}

// CheckpointHeads records the signed head of every site whose chain moved since
// its last checkpoint, and returns how many it wrote. A head another node
// checkpointed first is not written twice (SaveCheckpoint inserts if absent).
func CheckpointHeads(ctx context.Context, st Store, signer *proof.Signer, now time.Time) (int, error) {
	sites, err := st.ListSites(ctx)
	if err != nil {
		return 0, err
	}
	written := 0
	for _, s := range sites {
		h, err := SignHead(ctx, st, signer, s.ID)
		if err != nil {
			return written, err
		}
		if h.Seq == 0 {
			continue // an empty chain has nothing to witness
		}
		ok, err := st.SaveCheckpoint(ctx, h, now)
		if err != nil {
			return written, err
		}
		if ok {
			written++
		}
	}
	return written, nil
}

// CheckWitnesses checks each witness against a site's chain as it is now
// (proof.CheckWitness has the rules), signatures against key. Call it beside
// VerifyChain: a witness proves what the chain held, VerifyChain that what it
// holds now is consistent.
func CheckWitnesses(ctx context.Context, st Store, siteID string, key ed25519.PublicKey, ws []proof.Witness) ([]proof.WitnessVerdict, error) {
	view := proof.ChainView{Site: siteID, HashAt: func(seq int64) (string, bool, error) {
		recs, err := st.ConsentPage(ctx, ConsentQuery{SiteID: siteID, After: seq - 1, Limit: 1})
		if err != nil || len(recs) == 0 || recs[0].Seq != seq {
			return "", false, err
		}
		return recs[0].Hash, true, nil
	}}
	var err error
	// The anchor first, then the head, as VerifyChain reads them: the head
	// is never behind the anchor.
	if view.Anchor, err = st.ProofAnchor(ctx, siteID); err != nil {
		return nil, err
	}
	head, err := st.ProofHead(ctx, siteID)
	if err != nil {
		return nil, err
	}
	view.HeadSeq, view.HeadHash = head.Count, head.Hash
	out := make([]proof.WitnessVerdict, 0, len(ws))
	for _, w := range ws {
		v, err := proof.CheckWitness(w, key, view)
		if err != nil {
			return nil, err
		}
		if v.Status == proof.WitnessFails {
			// A purge committing meanwhile may have just deleted the
			// record: judge the witness again against the anchor now.
			if now, err := st.ProofAnchor(ctx, siteID); err == nil && now.Seq != view.Anchor.Seq {
				view.Anchor = now
				if v, err = proof.CheckWitness(w, key, view); err != nil {
					return nil, err
				}
			}
		}
		out = append(out, v)
	}
	return out, nil
}
