package store_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/charte/charte/internal/proof"
	"github.com/charte/charte/internal/store"
	"github.com/charte/charte/internal/store/storetest"
	"github.com/charte/charte/registry"
)

func TestAppendConsentsChain(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		site := savedSite(t, s)
		// Two batches: the second continues the first's chain.
		for _, batch := range [][]proof.Record{records(site.ID, 1, 5), records(site.ID, 6, 12)} {
			got, err := s.AppendConsents(ctx, batch)
			if err != nil {
				t.Fatalf("AppendConsents: %v", err)
			}
			if len(got) != len(batch) {
				t.Fatalf("AppendConsents returned %d records for %d", len(got), len(batch))
			}
			for i := range got {
				if got[i].ID != batch[i].ID || got[i].Hash == "" {
					t.Errorf("returned record %d = %s (hash %q), want %s chained", i, got[i].ID, got[i].Hash, batch[i].ID)
				}
			}
		}
		chain := allConsents(t, s, site.ID)
		if len(chain) != 12 {
			t.Fatalf("%d records stored, want 12", len(chain))
		}
		checkChain(t, chain)
		// Stored records are what was sent, field for field.
		want := records(site.ID, 1, 1)[0]
		want.Chain(nil)
		if !reflect.DeepEqual(chain[0], want) {
			t.Errorf("first stored record:\n got %+v\nwant %+v", chain[0], want)
		}
	})
}

func TestAppendConsentsDuplicate(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		site := savedSite(t, s)
		first, err := s.AppendConsents(ctx, records(site.ID, 1, 2))
		if err != nil {
			t.Fatal(err)
		}
		// A resend of record 2 (later, with another time) beside a new record
		// 3 and a copy of 3 in the same batch.
		resend := record(site.ID, 2, "visitor-2")
		resend.Time = resend.Time.Add(time.Hour)
		batch := []proof.Record{resend, record(site.ID, 3, "visitor-3"), record(site.ID, 3, "visitor-3")}
		got, err := s.AppendConsents(ctx, batch)
		if err != nil {
			t.Fatal(err)
		}
		if !first[0].Created || !first[1].Created {
			t.Errorf("first append: Created %v %v, want both created", first[0].Created, first[1].Created)
		}
		if got[0].Created || !got[1].Created || got[2].Created {
			t.Errorf("Created = %v %v %v, want false (resend), true (new), false (its copy)", got[0].Created, got[1].Created, got[2].Created)
		}
		// Apart from Created, a resend gets the stored record back.
		got[0].Created, got[1].Created = true, false
		if !reflect.DeepEqual(got[0], first[1]) {
			t.Errorf("resent record came back as %+v, want the stored %+v", got[0], first[1])
		}
		if got[1].Seq != 3 || !reflect.DeepEqual(got[2], got[1]) {
			t.Errorf("a record twice in one batch: got seq %d and %+v, want seq 3 twice", got[1].Seq, got[2])
		}
		chain := allConsents(t, s, site.ID)
		if len(chain) != 3 {
			t.Fatalf("%d records stored, want 3", len(chain))
		}
		checkChain(t, chain)
	})
}

// A batch is all or nothing: one bad record keeps the others out too.
func TestAppendConsentsAtomic(t *testing.T) {
	bad := map[string]func(proof.Record) proof.Record{
		"unknown site": func(r proof.Record) proof.Record { r.SiteID = "nowhere"; return r },
		"no id":        func(r proof.Record) proof.Record { r.ID = ""; return r },
		"no site":      func(r proof.Record) proof.Record { r.SiteID = ""; return r },
		"NUL in page":  func(r proof.Record) proof.Record { r.Page = "/a\x00b"; return r },
		"bad UTF-8":    func(r proof.Record) proof.Record { r.UserAgent = "\xff\xfe"; return r },
	}
	for name, spoil := range bad {
		t.Run(name, func(t *testing.T) {
			storetest.Engines(t, func(t *testing.T, s store.Store) {
				ctx := context.Background()
				site := savedSite(t, s)
				batch := records(site.ID, 1, 4)
				batch[2] = spoil(batch[2])
				if _, err := s.AppendConsents(ctx, batch); err == nil {
					t.Fatal("AppendConsents accepted a bad record")
				}
				if n := len(allConsents(t, s, site.ID)); n != 0 {
					t.Errorf("%d records stored from a failed batch, want 0", n)
				}
				if h, err := s.ProofHead(ctx, site.ID); err != nil || h.Count != 0 {
					t.Errorf("ProofHead after a failed batch = %+v, %v; want empty", h, err)
				}
				// The store is still usable, and the chain starts at 1.
				if _, err := s.AppendConsents(ctx, records(site.ID, 1, 2)); err != nil {
					t.Fatal(err)
				}
				checkChain(t, allConsents(t, s, site.ID))
			})
		})
	}
	t.Run("unknown site is ErrNotFound", func(t *testing.T) {
		s := storetest.New(t)
		_, err := s.AppendConsents(context.Background(), records("nowhere", 1, 1))
		if !errors.Is(err, store.ErrNotFound) {
			t.Errorf("err = %v, want ErrNotFound", err)
		}
	})
}

// Concurrent writers, as several group-commit batches or several nodes
// produce, lose nothing and keep one unbroken chain per site.
func TestAppendConsentsConcurrent(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		sites := demoSites(t)[:2]
		for _, site := range sites {
			if err := s.SaveSite(ctx, registry.MustCheck(site)); err != nil {
				t.Fatal(err)
			}
		}
		const writers, batches, size = 8, 5, 10
		var wg sync.WaitGroup
		errs := make(chan error, writers*batches)
		for w := range writers {
			wg.Go(func() {
				for b := range batches {
					var batch []proof.Record
					for i := range size {
						// Batches span both sites, in both orders.
						site := sites[(w+i)%2].ID
						n := (w*batches+b)*size + i
						batch = append(batch, record(site, n, fmt.Sprintf("w%d", w)))
					}
					if _, err := s.AppendConsents(ctx, batch); err != nil {
						errs <- err
					}
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		total := 0
		for _, site := range sites {
			chain := allConsents(t, s, site.ID)
			checkChain(t, chain)
			total += len(chain)
			if h, err := s.ProofHead(ctx, site.ID); err != nil || h.Count != int64(len(chain)) || h.Hash != chain[len(chain)-1].Hash {
				t.Errorf("ProofHead(%s) = %+v, %v; want the chain's end", site.ID, h, err)
			}
		}
		if total != writers*batches*size {
			t.Errorf("%d records stored, want %d", total, writers*batches*size)
		}
	})
}
