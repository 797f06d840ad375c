package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/charte/charte/internal/proof"
	"github.com/charte/charte/internal/store"
	"github.com/charte/charte/internal/store/storetest"
)

func TestConsentsSinceUntil(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		site := savedSite(t, s)
		// Records 1..10, at t0+1min .. t0+10min.
		if _, err := s.AppendConsents(ctx, records(site.ID, 1, 10)); err != nil {
			t.Fatal(err)
		}
		at := func(n int) time.Time { return t0.Add(time.Duration(n) * time.Minute) }
		tests := []struct {
			name         string
			since, until time.Time
			want         []int64 // seqs
		}{
			{"all", time.Time{}, time.Time{}, []int64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}},
			{"since is inclusive", at(8), time.Time{}, []int64{8, 9, 10}},
			{"until is exclusive", time.Time{}, at(3), []int64{1, 2}},
			{"both", at(4), at(6), []int64{4, 5}},
			{"between two records", at(4).Add(time.Second), at(5).Add(-time.Second), nil},
			{"after the last", at(11), time.Time{}, nil},
			{"other time zone", at(9).In(time.FixedZone("CET", 3600)), time.Time{}, []int64{9, 10}},
		}
		for _, tt := range tests {
			var got []int64
			err := s.Consents(ctx, site.ID, tt.since, tt.until, func(r proof.Record) error {
				got = append(got, r.Seq)
				return nil
			})
			if err != nil {
				t.Fatalf("%s: %v", tt.name, err)
			}
			if len(got) != len(tt.want) || (len(got) > 0 && (got[0] != tt.want[0] || got[len(got)-1] != tt.want[len(tt.want)-1])) {
				t.Errorf("%s: seqs %v, want %v", tt.name, got, tt.want)
			}
		}

		// fn's error stops the stream and comes back as is.
		stop := errors.New("stop")
		calls := 0
		err := s.Consents(ctx, site.ID, time.Time{}, time.Time{}, func(proof.Record) error { calls++; return stop })
		if !errors.Is(err, stop) || calls != 1 {
			t.Errorf("stopping early: err %v after %d calls, want stop after 1", err, calls)
		}
		if n := len(allConsents(t, s, "nowhere")); n != 0 {
			t.Errorf("unknown site streamed %d records", n)
		}
	})
}

func TestConsentHistory(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		site := savedSite(t, s)
		batch := []proof.Record{
			record(site.ID, 1, "alice"),
			record(site.ID, 2, "bob"),
			record(site.ID, 3, "alice"),
		}
		withdraw := record(site.ID, 4, "alice")
		withdraw.Action, withdraw.Decisions = proof.Withdraw, map[string]bool{}
		if _, err := s.AppendConsents(ctx, batch); err != nil {
			t.Fatal(err)
		}
		if _, err := s.AppendConsents(ctx, []proof.Record{withdraw}); err != nil {
			t.Fatal(err)
		}
		hist, err := s.ConsentHistory(ctx, site.ID, "alice")
		if err != nil {
			t.Fatal(err)
		}
		var seqs []int64
		for _, r := range hist {
			seqs = append(seqs, r.Seq)
		}
		if len(seqs) != 3 || seqs[0] != 1 || seqs[1] != 3 || seqs[2] != 4 {
			t.Fatalf("history of alice = seqs %v, want [1 3 4]", seqs)
		}
		if last := hist[2]; last.Action != proof.Withdraw || last.Decisions == nil || last.ComputeHash() != last.Hash {
			t.Errorf("withdrawal came back as %+v", last)
		}
		if hist, err := s.ConsentHistory(ctx, site.ID, "carol"); err != nil || len(hist) != 0 {
			t.Errorf("history of an unknown visitor = %v, %v; want empty", hist, err)
		}
	})
}

func TestProofHead(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		site := savedSite(t, s)
		h, err := s.ProofHead(ctx, site.ID)
		if err != nil || h != (store.Head{SiteID: site.ID}) {
			t.Errorf("ProofHead of an empty chain = %+v, %v; want zero count", h, err)
		}
		got, err := s.AppendConsents(ctx, records(site.ID, 1, 7))
		if err != nil {
			t.Fatal(err)
		}
		last := got[len(got)-1]
		h, err = s.ProofHead(ctx, site.ID)
		want := store.Head{SiteID: site.ID, Count: 7, Hash: last.Hash, Time: last.Time}
		if err != nil || h != want {
			t.Errorf("ProofHead = %+v, %v; want %+v", h, err, want)
		}
	})
}
