package admin

import (
	"testing"
	"time"

	"github.com/charte/charte/internal/proof"
)

// A tampered store cannot be made through the Store interface, so the
// checks of one record's links are tested here on hand-made chains.
func TestCheckLinks(t *testing.T) {
	chain := make([]proof.Record, 3)
	for i := range chain {
		chain[i] = proof.Record{ID: string(rune('a' + i)), SiteID: "demo", Time: time.Date(2026, 11, 28, 10, i, 0, 0, time.UTC),
			Action: proof.AcceptAll, Decisions: map[string]bool{"statistics": true}}
		var prev *proof.Record
		if i > 0 {
			prev = &chain[i-1]
		}
		chain[i].Chain(prev)
	}
	altered := chain[1]
	altered.Decisions = map[string]bool{"statistics": false}
	stranger := chain[0]
	stranger.Hash = "0000"
	// After a purge of record 1, record 2 links to the anchor.
	purged := proof.Anchor{Site: "demo", Seq: 1, Hash: chain[0].Hash}
	forged := purged
	forged.Hash = "0000"
	tests := []struct {
		name           string
		rec            proof.Record
		prev, next     *proof.Record
		anchor         proof.Anchor
		wantKey        string
		hash, pOK, nOK bool
	}{
		{"first record", chain[0], nil, &chain[1], proof.Anchor{}, "", true, true, true},
		{"middle record", chain[1], &chain[0], &chain[2], proof.Anchor{}, "", true, true, true},
		{"last record", chain[2], &chain[1], nil, proof.Anchor{}, "", true, true, true},
		{"altered content", altered, &chain[0], &chain[2], proof.Anchor{}, "record.altered", false, true, true},
		{"previous record missing", chain[2], nil, nil, proof.Anchor{}, "record.noprev", true, false, true},
		{"previous record replaced", chain[1], &stranger, &chain[2], proof.Anchor{}, "record.badprev", true, false, true},
		{"next record does not follow", chain[0], nil, &chain[2], proof.Anchor{}, "record.badnext", true, true, false},
		{"first kept after a purge", chain[1], nil, &chain[2], purged, "", true, true, true},
		{"purge anchor changed", chain[1], nil, &chain[2], forged, "record.badanchor", true, false, true},
		{"purged before the previous record", chain[2], nil, nil, purged, "record.noprev", true, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := checkLinks(tt.rec, tt.prev, tt.next, tt.anchor)
			if c.ProblemKey != tt.wantKey || c.HashOK != tt.hash || c.PrevOK != tt.pOK || c.NextOK != tt.nOK {
				t.Errorf("got %+v, want key %q hash %v prev %v next %v", c, tt.wantKey, tt.hash, tt.pOK, tt.nOK)
			}
			if (c.Problem == "") != (tt.wantKey == "") {
				t.Errorf("problem text %q for key %q", c.Problem, c.ProblemKey)
			}
		})
	}
}
