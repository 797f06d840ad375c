package proof_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charte/charte/internal/proof"
	"github.com/charte/charte/internal/store"
	"github.com/charte/charte/internal/store/storetest"
)

func seeded(t *testing.T, st store.Store) string {
	t.Helper()
	storetest.Seed(t, st)
	rev, err := st.Published(context.Background(), "demo")
	if err != nil {
		t.Fatal(err)
	}
	return rev.ID
}

func record(i int, rev string) proof.Record {
	return proof.Record{
		ID: fmt.Sprintf("rec-%06d", i), SiteID: "demo", ConsentID: fmt.Sprintf("cid-%06d", i%7),
		Time: time.Date(2026, 11, 28, 12, 0, 0, i*1000, time.UTC), Action: proof.RejectAll,
		Decisions: map[string]bool{"statistics": false, "marketing": false},
		Revision:  rev, Language: "fr", Page: "/", IP: "192.0.2.0/24",
	}
}

func TestBatcherConcurrentAppendsKeepOneChain(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st store.Store) {
		rev := seeded(t, st)
		var sizes []int
		var mu sync.Mutex
		b := proof.NewBatcher(st, 64, func(n int) { mu.Lock(); sizes = append(sizes, n); mu.Unlock() })
		const n = 300
		var wg sync.WaitGroup
		hashes := make([]string, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				rec, err := b.Append(context.Background(), record(i, rev))
				if err != nil {
					t.Error(err)
					return
				}
				hashes[i] = rec.Hash
			}()
		}
		wg.Wait()
		// A resend of an acknowledged record returns it unchanged.
		again, err := b.Append(context.Background(), record(7, rev))
		if err != nil || again.Hash != hashes[7] {
			t.Errorf("resend: %v, hash %s want %s", err, again.Hash, hashes[7])
		}
		b.Close()
		if _, err := b.Append(context.Background(), record(n, rev)); err != proof.ErrClosed {
			t.Errorf("append after close: %v", err)
		}
		var v proof.Verifier
		err = st.Consents(context.Background(), "demo", time.Time{}, time.Time{}, func(r proof.Record) error {
			if br := v.Add(r); br != nil {
				return br
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		head, err := st.ProofHead(context.Background(), "demo")
		if err != nil {
			t.Fatal(err)
		}
		if br := v.Finish(head.Count, head.Hash); br != nil || v.Count() != n {
			t.Fatalf("chain: %v, %d records", br, v.Count())
		}
		total := 0
		for _, s := range sizes {
			total += s
		}
		if total != n+1 {
			t.Errorf("batches carried %d records, want %d", total, n+1)
		}
	})
}

func TestBatcherIsolatesABadRecord(t *testing.T) {
	st := storetest.New(t)
	rev := seeded(t, st)
	b := proof.NewBatcher(st, 8, nil)
	defer b.Close()
	var wg sync.WaitGroup
	errs := make([]error, 6)
	for i := range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rec := record(i, rev)
			if i == 3 {
				rec.SiteID = "no-such-site"
			}
			_, errs[i] = b.Append(context.Background(), rec)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if (i == 3) != (err != nil) {
			t.Errorf("record %d: err = %v", i, err)
		}
	}
}

func chain(n int) []proof.Record {
	recs := make([]proof.Record, n)
	var prev *proof.Record
	for i := range recs {
		recs[i] = record(i, "abc")
		recs[i].Chain(prev)
		prev = &recs[i]
	}
	return recs
}

func TestVerifierFindsTampering(t *testing.T) {
	tests := []struct {
		name   string
		tamper func([]proof.Record) []proof.Record
		seq    int64
		reason string
	}{
		{"intact", func(r []proof.Record) []proof.Record { return r }, 0, ""},
		{"altered decision", func(r []proof.Record) []proof.Record { r[4].Decisions["marketing"] = true; return r }, 5, "altered"},
		{"altered time", func(r []proof.Record) []proof.Record { r[2].Time = r[2].Time.Add(time.Hour); return r }, 3, "altered"},
		{"removed in the middle", func(r []proof.Record) []proof.Record { return append(r[:6], r[7:]...) }, 7, "missing"},
		{"removed at the end", func(r []proof.Record) []proof.Record { return r[:9] }, 10, "missing"},
		{"reordered", func(r []proof.Record) []proof.Record {
			r[3], r[4] = r[4], r[3]
			r[3].Seq, r[4].Seq = r[4].Seq, r[3].Seq
			return r
		}, 4, "does not follow"},
		{"read out of order", func(r []proof.Record) []proof.Record { r[3], r[4] = r[4], r[3]; return r }, 4, "missing"},
		{"renumbered after removal", func(r []proof.Record) []proof.Record {
			r = append(r[:2], r[3:]...)
			for i := 2; i < len(r); i++ {
				r[i].Seq--
			}
			return r
		}, 3, "does not follow"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			recs := chain(10)
			head := recs[9]
			var v proof.Verifier
			var br *proof.Break
			for _, r := range tt.tamper(recs) {
				if br = v.Add(r); br != nil {
					break
				}
			}
			br = v.Finish(head.Seq, head.Hash)
			if tt.reason == "" {
				if br != nil {
					t.Fatalf("intact chain reported %v", br)
				}
				return
			}
			if br == nil || br.Seq != tt.seq || !strings.Contains(br.Reason, tt.reason) {
				t.Fatalf("got %v, want record %d %q", br, tt.seq, tt.reason)
			}
		})
	}
}

func TestTruncateIP(t *testing.T) {
	for in, want := range map[string]string{
		"192.0.2.77": "192.0.2.0/24", "2001:db8:1234:5678::1": "2001:db8:1234::/48",
		"::ffff:198.51.100.9": "198.51.100.0/24", "fe80::1%eth0": "fe80::/48", "nonsense": "", "": "",
	} {
		if got := proof.TruncateIP(in); got != want {
			t.Errorf("TruncateIP(%q) = %q, want %q", in, got, want)
		}
	}
}
