package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/charte/charte/internal/demo"
	"github.com/charte/charte/internal/proof"
	"github.com/charte/charte/internal/store"
	"github.com/charte/charte/registry"
)

// demoSites returns fresh copies of the demo registries, realistic input
// every test may change.
func demoSites(t testing.TB) []*registry.Site {
	t.Helper()
	sites, err := demo.Sites()
	if err != nil {
		t.Fatalf("demo sites: %v", err)
	}
	if len(sites) < 2 {
		t.Fatalf("want at least two demo sites, got %d", len(sites))
	}
	return sites
}

// savedSite stores the first demo site and returns it.
func savedSite(t testing.TB, s store.Store) *registry.Site {
	t.Helper()
	site := demoSites(t)[0]
	if err := s.SaveSite(context.Background(), registry.MustCheck(site)); err != nil {
		t.Fatalf("SaveSite: %v", err)
	}
	return site
}

// t0 is the time of the first test record; record n is n minutes later.
var t0 = time.Date(2026, 11, 28, 9, 30, 0, 123456789, time.UTC)

// record is the n-th test choice on a site, of visitor consentID.
func record(siteID string, n int, consentID string) proof.Record {
	return proof.Record{
		ID:        fmt.Sprintf("rec-%s-%d", siteID, n),
		SiteID:    siteID,
		ConsentID: consentID,
		Time:      t0.Add(time.Duration(n) * time.Minute),
		Action:    proof.Custom,
		Decisions: map[string]bool{"statistics": n%2 == 0, "marketing": false},
		Revision:  "0123456789abcdef",
		Language:  "fr",
		Page:      "/explore/",
		IP:        "192.0.2.0",
		UserAgent: "Mozilla/5.0 (test)",
		GPC:       n%3 == 0,
	}
}

// records makes records first..last (inclusive) of one visitor per record.
func records(siteID string, first, last int) []proof.Record {
	var out []proof.Record
	for n := first; n <= last; n++ {
		out = append(out, record(siteID, n, fmt.Sprintf("visitor-%d", n)))
	}
	return out
}

// allConsents reads a site's whole chain.
func allConsents(t testing.TB, s store.Store, siteID string) []proof.Record {
	t.Helper()
	var out []proof.Record
	err := s.Consents(context.Background(), siteID, time.Time{}, time.Time{}, func(r proof.Record) error {
		out = append(out, r)
		return nil
	})
	if err != nil {
		t.Fatalf("Consents: %v", err)
	}
	return out
}

// checkChain verifies what `charte consents verify` will: seq 1..n without
// gaps, each record linked to the previous hash, each hash recomputable.
func checkChain(t testing.TB, chain []proof.Record) {
	t.Helper()
	prev := ""
	for i, r := range chain {
		if r.Seq != int64(i+1) {
			t.Fatalf("record %d has seq %d, want %d", i, r.Seq, i+1)
		}
		if r.PrevHash != prev {
			t.Fatalf("record seq %d: prev_hash %q, want %q", r.Seq, r.PrevHash, prev)
		}
		if got := r.ComputeHash(); got != r.Hash {
			t.Fatalf("record seq %d: stored hash %s, recomputed %s", r.Seq, r.Hash, got)
		}
		prev = r.Hash
	}
}
