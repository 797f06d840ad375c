package store_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charte/charte/internal/proof"
	"github.com/charte/charte/internal/store"
	"github.com/charte/charte/internal/store/storetest"
	"github.com/charte/charte/registry"
)

// minute n is the time of test record n.
func minute(n int) time.Time { return t0.Add(time.Duration(n) * time.Minute) }

// verified checks the site's chain as `charte consents verify` does and
// returns the check.
func verified(t *testing.T, s store.Store, site string) proof.ChainCheck {
	t.Helper()
	c, err := proof.VerifyChain(context.Background(), s, site)
	if err != nil {
		t.Fatalf("VerifyChain: %v", err)
	}
	if c.Break != nil {
		t.Fatalf("the chain is broken after the purge: %v", c.Break)
	}
	return c
}

func TestPurgeConsentsPrefix(t *testing.T) {
	tests := []struct {
		name      string
		late      int       // the record stored with a time after every other, 0 for none
		before    time.Time // the cutoff
		deleted   int64
		firstKept int64
	}{
		{"nothing is old enough", 0, minute(1), 0, 1},
		{"a prefix", 0, minute(5).Add(30 * time.Second), 5, 6},
		{"the cutoff itself is kept", 0, minute(5), 4, 5},
		{"everything", 0, minute(11), 10, 0},
		{"never a hole: stops at a later record", 3, minute(8), 2, 3},
	}
	storetest.Engines(t, func(t *testing.T, s store.Store) {
		for i, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				ctx := context.Background()
				site := demoSites(t)[0]
				site.ID = fmt.Sprintf("purge-%d", i) // a fresh chain per case
				if err := s.SaveSite(ctx, registry.MustCheck(site)); err != nil {
					t.Fatal(err)
				}
				recs := records(site.ID, 1, 10)
				if tt.late > 0 {
					recs[tt.late-1].Time = minute(60)
				}
				stored, err := s.AppendConsents(ctx, recs)
				if err != nil {
					t.Fatal(err)
				}
				res, err := s.PurgeConsents(ctx, site.ID, tt.before)
				if err != nil {
					t.Fatal(err)
				}
				if res.Deleted != tt.deleted || res.FirstKept != tt.firstKept || res.Anchor.Seq != tt.deleted || res.Anchor.Purged != tt.deleted {
					t.Fatalf("purge: %+v, want %d deleted, first kept %d", res, tt.deleted, tt.firstKept)
				}
				left := allConsents(t, s, site.ID)
				if int64(len(left)) != 10-tt.deleted || (len(left) > 0 && left[0].Seq != tt.deleted+1) {
					t.Fatalf("%d records left, the first %v; want %d from seq %d", len(left), left, 10-tt.deleted, tt.deleted+1)
				}
				anchor, err := s.ProofAnchor(ctx, site.ID)
				if err != nil {
					t.Fatal(err)
				}
				if tt.deleted > 0 {
					last := stored[tt.deleted-1]
					if anchor.Seq != last.Seq || anchor.Hash != last.Hash || !anchor.Time.Equal(last.Time) || anchor.PurgedAt.IsZero() {
						t.Errorf("anchor %+v, want the last purged record %d (%s at %s)", anchor, last.Seq, last.Hash, last.Time)
					}
				} else if !anchor.IsZero() {
					t.Errorf("nothing purged, yet the anchor is %+v", anchor)
				}
				c := verified(t, s, site.ID)
				if c.Verified != 10-tt.deleted || c.Anchor != anchor {
					t.Errorf("verified %d records from %+v, want %d from %+v", c.Verified, c.Anchor, 10-tt.deleted, anchor)
				}
			})
		}
	})
}

func TestPurgeConsentsIsIdempotentAndTheChainGoesOn(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		site := savedSite(t, s)
		if _, err := s.AppendConsents(ctx, records(site.ID, 1, 10)); err != nil {
			t.Fatal(err)
		}
		// A dry run says what would go and changes nothing.
		plan, err := s.PlanPurge(ctx, site.ID, minute(6))
		if err != nil {
			t.Fatal(err)
		}
		if plan.Deleted != 5 || plan.Anchor.Seq != 5 || len(allConsents(t, s, site.ID)) != 10 {
			t.Fatalf("plan %+v changed something or miscounted", plan)
		}
		if a, _ := s.ProofAnchor(ctx, site.ID); !a.IsZero() {
			t.Fatalf("a plan moved the anchor to %+v", a)
		}
		first, err := s.PurgeConsents(ctx, site.ID, minute(6))
		if err != nil {
			t.Fatal(err)
		}
		if first.Anchor.Seq != plan.Anchor.Seq || first.Anchor.Hash != plan.Anchor.Hash || first.Deleted != plan.Deleted {
			t.Errorf("the purge %+v did not do what the plan %+v said", first, plan)
		}
		again, err := s.PurgeConsents(ctx, site.ID, minute(6))
		if err != nil {
			t.Fatal(err)
		}
		if again.Deleted != 0 || again.Anchor != first.Anchor {
			t.Errorf("purging twice: %+v, want nothing deleted and the anchor %+v", again, first.Anchor)
		}
		// Appends after a purge continue the chain from the head.
		got, err := s.AppendConsents(ctx, records(site.ID, 11, 12))
		if err != nil {
			t.Fatal(err)
		}
		if got[0].Seq != 11 {
			t.Errorf("the first record after the purge has seq %d, want 11", got[0].Seq)
		}
		if c := verified(t, s, site.ID); c.Verified != 7 || c.Head.Count != 12 {
			t.Errorf("verified %d records up to %d, want 7 up to 12", c.Verified, c.Head.Count)
		}
		// A later purge moves the anchor on and keeps the running total.
		later, err := s.PurgeConsents(ctx, site.ID, minute(9))
		if err != nil {
			t.Fatal(err)
		}
		if later.Deleted != 3 || later.Anchor.Seq != 8 || later.Anchor.Purged != 8 {
			t.Errorf("second purge: %+v, want 3 deleted, anchor 8, 8 in total", later)
		}
		verified(t, s, site.ID)
	})
}

func TestPurgeConsentsOfUnknownOrEmptySite(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		if _, err := s.PurgeConsents(ctx, "nope", minute(1)); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("unknown site: %v, want ErrNotFound", err)
		}
		site := savedSite(t, s)
		res, err := s.PurgeConsents(ctx, site.ID, minute(1))
		if err != nil || res.Deleted != 0 || !res.Anchor.IsZero() {
			t.Errorf("site without records: %+v, %v", res, err)
		}
		if _, err := s.PurgeConsents(ctx, site.ID, time.Time{}); err == nil {
			t.Error("a purge without a cutoff was accepted")
		}
	})
}

// Appenders and purgers take the head lock in the same order: run together,
// they leave one unbroken chain holding every record appended.
func TestPurgeConsentsBesideAppends(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		site := savedSite(t, s)
		const n = 300
		var wg sync.WaitGroup
		for g := range 3 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := g; i < n; i += 3 {
					if _, err := s.AppendConsents(ctx, []proof.Record{record(site.ID, i+1, "visitor")}); err != nil {
						t.Error(err)
						return
					}
				}
			}()
		}
		// The cutoff creeps forward while the appenders run, so purges
		// delete records appended a moment before, beside new appends.
		done, purged := make(chan struct{}), make(chan int64)
		go func() {
			var total int64
			for k := 1; ; k++ {
				select {
				case <-done:
					purged <- total
					return
				default:
				}
				res, err := s.PurgeConsents(ctx, site.ID, minute(min(k, n/2)))
				if err != nil {
					t.Error(err)
				}
				total += res.Deleted
			}
		}()
		wg.Wait()
		close(done)
		total := <-purged
		c := verified(t, s, site.ID)
		if c.Head.Count != n || c.Anchor.Seq+c.Verified != n || c.Anchor.Purged != total || c.Anchor.Seq != total {
			t.Errorf("head %d, anchor %+v, %d verified, %d purged: want %d records in one chain", c.Head.Count, c.Anchor, c.Verified, total, n)
		}
		t.Logf("%d records purged while %d were appended", total, n)
	})
}

// TestPurgePolicy: proof.Purge keeps every record a choice still in force
// may need — the longest of the lifetimes told — and a dry run changes
// nothing, on both engines.
func TestPurgePolicy(t *testing.T) {
	now := minute(10).Add(30 * 24 * time.Hour)
	tests := []struct {
		name        string
		lifetimes   []registry.Lifetime
		dryRun      bool
		wantDeleted int64
		wantErr     string
		wantKept    int
	}{
		{"within policy", []registry.Lifetime{"1 day"}, false, 5, "", 5},
		{"dry run", []registry.Lifetime{"1 day"}, true, 5, "", 10},
		{"the longest lifetime wins", []registry.Lifetime{"1 day", "6 months"}, false, 0,
			"may prove a visitor's current choice (the site keeps choices 6 months)", 10},
		{"no lifetime told", nil, false, 0, "no choice lifetime", 10},
		{"unreadable lifetime", []registry.Lifetime{"forever"}, false, 0, `choice lifetime "forever"`, 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			storetest.Engines(t, func(t *testing.T, s store.Store) {
				ctx := context.Background()
				site := savedSite(t, s)
				if _, err := s.AppendConsents(ctx, records(site.ID, 1, 10)); err != nil {
					t.Fatal(err)
				}
				res, err := proof.Purge(ctx, s, proof.PurgeRequest{Site: site.ID, Before: minute(6), Now: now,
					Lifetimes: tt.lifetimes, DryRun: tt.dryRun})
				if tt.wantErr == "" && err != nil || tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				if res.Deleted != tt.wantDeleted {
					t.Errorf("deleted %d, want %d", res.Deleted, tt.wantDeleted)
				}
				if n := len(allConsents(t, s, site.ID)); n != tt.wantKept {
					t.Errorf("%d records left, want %d", n, tt.wantKept)
				}
				verified(t, s, site.ID)
			})
		})
	}
}
