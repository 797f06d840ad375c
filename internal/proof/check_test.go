package proof_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charte/charte/internal/hostile"
	"github.com/charte/charte/internal/proof"
	"github.com/charte/charte/internal/store"
	"github.com/charte/charte/internal/store/storetest"
)

// countingAppender counts the store's transactions and the failed ones.
type countingAppender struct {
	proof.Appender
	mu            sync.Mutex
	calls, failed int
}

func (c *countingAppender) AppendConsents(ctx context.Context, recs []proof.Record) ([]proof.Record, error) {
	out, err := c.Appender.AppendConsents(ctx, recs)
	c.mu.Lock()
	c.calls++
	if err != nil {
		c.failed++
	}
	c.mu.Unlock()
	return out, err
}

// hostileFields set a hostile text into each text field of a record.
var hostileFields = []struct {
	field string
	set   func(r *proof.Record, v string)
}{
	{"id", func(r *proof.Record, v string) { r.ID = v }},
	{"consent_id", func(r *proof.Record, v string) { r.ConsentID = v }},
	{"action", func(r *proof.Record, v string) { r.Action = v }},
	{"revision", func(r *proof.Record, v string) { r.Revision = v }},
	{"language", func(r *proof.Record, v string) { r.Language = v }},
	{"page", func(r *proof.Record, v string) { r.Page = "/" + v }},
	{"ip", func(r *proof.Record, v string) { r.IP = v }},
	{"user_agent", func(r *proof.Record, v string) { r.UserAgent = "Mozilla " + v }},
	{"decisions", func(r *proof.Record, v string) { r.Decisions = map[string]bool{"statistics": true, v: false} }},
}

// Hostile records sent among good ones are refused naming their field, and
// never reach a transaction: no batch fails, so the good records are never
// retried one by one, on either engine.
func TestBatcherRefusesHostileTextBeforeTheBatch(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st store.Store) {
		rev := seeded(t, st)
		app := &countingAppender{Appender: st}
		b := proof.NewBatcher(app, 64, nil)
		defer b.Close()
		var (
			wg   sync.WaitGroup
			mu   sync.Mutex
			good int
		)
		i := 0
		for _, f := range hostileFields {
			for _, c := range append(append([]hostile.Case{}, hostile.Texts...), hostile.Lines...) {
				i++
				wg.Add(2)
				go func(i int) {
					defer wg.Done()
					if _, err := b.Append(context.Background(), record(i, rev)); err != nil {
						t.Errorf("good record %d: %v", i, err)
						return
					}
					mu.Lock()
					good++
					mu.Unlock()
				}(i)
				go func(i int) {
					defer wg.Done()
					rec := record(100000+i, rev)
					f.set(&rec, c.Value)
					_, err := b.Append(context.Background(), rec)
					var fe *proof.FieldError
					if !errors.As(err, &fe) || fe.Field != f.field {
						t.Errorf("%s = %q: err %v, want a FieldError on %s", f.field, c.Value, err, f.field)
					}
				}(i)
			}
		}
		wg.Wait()
		if app.failed != 0 {
			t.Errorf("%d of %d transactions failed: a hostile record reached a batch", app.failed, app.calls)
		}
		head, err := st.ProofHead(context.Background(), "demo")
		if err != nil {
			t.Fatal(err)
		}
		if head.Count != int64(good) || good != i {
			t.Errorf("chain holds %d records, %d good ones acknowledged of %d", head.Count, good, i)
		}
	})
}

func TestRecordCheckLengths(t *testing.T) {
	for _, tt := range []struct {
		field string
		set   func(r *proof.Record)
	}{
		{"page", func(r *proof.Record) { r.Page = "/" + strings.Repeat("a", proof.MaxPageLength) }},
		{"user_agent", func(r *proof.Record) { r.UserAgent = strings.Repeat("a", proof.MaxUserAgentLength+1) }},
		{"revision", func(r *proof.Record) { r.Revision = strings.Repeat("a", proof.MaxRevisionLength+1) }},
		{"decisions", func(r *proof.Record) {
			for i := range proof.MaxDecisions + 1 {
				r.Decisions[strings.Repeat("c", i+1)] = true
			}
		}},
	} {
		rec := record(1, "rev")
		if err := rec.Check(); err != nil {
			t.Fatalf("a plain record fails Check: %v", err)
		}
		tt.set(&rec)
		var fe *proof.FieldError
		if err := rec.Check(); !errors.As(err, &fe) || fe.Field != tt.field {
			t.Errorf("too long %s: Check = %v", tt.field, err)
		}
	}
}

// gatedAppender holds its first transaction until released, so that the
// records sent meanwhile queue up into one batch; it refuses any batch
// holding a record whose page is "/refused", as a database would.
type gatedAppender struct {
	gate    chan struct{}
	mu      sync.Mutex
	calls   int
	seq     int64
	batches [][]string
}

func (g *gatedAppender) AppendConsents(ctx context.Context, recs []proof.Record) ([]proof.Record, error) {
	g.mu.Lock()
	first := g.calls == 0
	g.calls++
	g.mu.Unlock()
	if first {
		<-g.gate
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	var ids []string
	for _, r := range recs {
		if r.Page == "/refused" {
			return nil, errors.New("refused by the database")
		}
		ids = append(ids, r.ID)
	}
	out := make([]proof.Record, len(recs))
	for i, r := range recs {
		g.seq++
		r.Seq = g.seq
		out[i] = r
	}
	g.batches = append(g.batches, ids)
	return out, nil
}

// A record the database refuses (past Check) fails alone; its neighbours
// still commit in a few large transactions, not one each.
func TestBatcherIsolatesARefusedRecordInFewTransactions(t *testing.T) {
	for _, bad := range []int{0, 7, 15} {
		g := &gatedAppender{gate: make(chan struct{})}
		b := proof.NewBatcher(g, 64, nil)
		firstDone := make(chan error)
		go func() { _, err := b.Append(context.Background(), record(999, "rev")); firstDone <- err }()
		for { // wait for the first transaction to hold the committer
			g.mu.Lock()
			c := g.calls
			g.mu.Unlock()
			if c == 1 {
				break
			}
			time.Sleep(time.Millisecond)
		}
		const n = 16
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			rec := record(i, "rev")
			if i == bad {
				rec.Page = "/refused"
			}
			wg.Go(func() { _, errs[i] = b.Append(context.Background(), rec) })
		}
		// Let all n queue before the committer takes its next batch.
		for b.Queued() < n {
			time.Sleep(time.Millisecond)
		}
		close(g.gate)
		if err := <-firstDone; err != nil {
			t.Fatal(err)
		}
		wg.Wait()
		b.Close()
		for i, err := range errs {
			if (i == bad) != (err != nil) {
				t.Errorf("bad=%d: record %d: err %v", bad, i, err)
			}
		}
		// 1 (the gated one) + 1 (the failed batch) + 2 per halving (4 for 16).
		if g.calls > 2+2*4 {
			t.Errorf("bad=%d: %d transactions for %d records, want at most %d", bad, g.calls, n+1, 2+2*4)
		}
	}
}
