package proof_test

import (
	"strings"
	"testing"

	"github.com/charte/charte/internal/proof"
)

// A chain of 10 whose records 1 to 4 were purged: what is left verifies
// from the anchor, and a change to the anchor or to the first record kept
// breaks it where an auditor should look.
func TestVerifierFromAnchor(t *testing.T) {
	tests := []struct {
		name   string
		change func(a *proof.Anchor, left []proof.Record) []proof.Record
		seq    int64
		reason string
	}{
		{"intact", func(*proof.Anchor, []proof.Record) []proof.Record { return nil }, 0, ""},
		{"anchor hash changed", func(a *proof.Anchor, _ []proof.Record) []proof.Record { a.Hash = strings.Repeat("0", 64); return nil },
			5, "does not follow the purge anchor"},
		{"anchor moved forward", func(a *proof.Anchor, _ []proof.Record) []proof.Record { a.Seq++; return nil },
			5, "at or before the purge anchor"},
		{"anchor moved back", func(a *proof.Anchor, _ []proof.Record) []proof.Record { a.Seq--; return nil },
			4, "missing: the purge anchor is at record 3"},
		{"anchor removed", func(a *proof.Anchor, _ []proof.Record) []proof.Record { *a = proof.Anchor{}; return nil },
			1, "missing: the chain jumps from record 0 to 5"},
		{"first record kept altered", func(_ *proof.Anchor, r []proof.Record) []proof.Record { r[0].Page = "/elsewhere"; return r },
			5, "altered"},
		{"first record kept removed", func(_ *proof.Anchor, r []proof.Record) []proof.Record { return r[1:] },
			5, "missing: the purge anchor is at record 4"},
		{"first record kept rewritten and rehashed", func(_ *proof.Anchor, r []proof.Record) []proof.Record {
			r[0].Decisions["marketing"] = true
			r[0].Hash = r[0].ComputeHash()
			return r
		}, 6, "does not follow the previous record"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			recs := chain(10)
			head := recs[9]
			anchor := proof.Anchor{Site: "demo", Seq: recs[3].Seq, Hash: recs[3].Hash, Time: recs[3].Time, Purged: 4}
			left := recs[4:]
			if changed := tt.change(&anchor, left); changed != nil {
				left = changed
			}
			v := proof.NewVerifier(anchor)
			for _, r := range left {
				if v.Add(r) != nil {
					break
				}
			}
			br := v.Finish(head.Seq, head.Hash)
			if tt.reason == "" {
				if br != nil || v.Count() != 6 || v.Last() != 10 {
					t.Fatalf("intact chain after its anchor: %v, %d records to %d", br, v.Count(), v.Last())
				}
				return
			}
			if br == nil || br.Seq != tt.seq || !strings.Contains(br.Reason, tt.reason) {
				t.Fatalf("got %v, want record %d %q", br, tt.seq, tt.reason)
			}
		})
	}
}

// Once every record is purged, the anchor is the head: nothing left to walk,
// and the chain still holds.
func TestVerifierEverythingPurged(t *testing.T) {
	recs := chain(3)
	last := recs[2]
	v := proof.NewVerifier(proof.Anchor{Seq: last.Seq, Hash: last.Hash})
	if br := v.Finish(last.Seq, last.Hash); br != nil {
		t.Errorf("all purged: %v", br)
	}
	if br := v.Finish(last.Seq, "forged"); br == nil {
		t.Error("a head that does not match the anchor went unnoticed")
	}
}
