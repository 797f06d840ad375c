package store_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/charte/charte/internal/proof"
	"github.com/charte/charte/internal/store"
	"github.com/charte/charte/internal/store/storetest"
)

// BenchmarkAppendConsents measures one group-commit batch of 64 records:
// ns/op is the latency of a batch, records/s the throughput one writer gets.
// sqlite-file is the production setting (WAL, synchronous=FULL: one fsync
// per batch); sqlite-memory shows the cost without the disk.
func BenchmarkAppendConsents(b *testing.B) {
	const size = 64
	for _, e := range benchEngines {
		b.Run(e.name, func(b *testing.B) {
			s := e.open(b)
			ctx := context.Background()
			site := savedSite(b, s)
			n := 0
			for b.Loop() {
				batch := make([]proof.Record, size)
				for i := range batch {
					n++
					batch[i] = record(site.ID, n, fmt.Sprintf("visitor-%d", n))
				}
				if _, err := s.AppendConsents(ctx, batch); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(size*b.N)/b.Elapsed().Seconds(), "records/s")
		})
	}
}

// benchEngines are the stores the benchmarks run on: a SQLite file, the
// production setting; in-memory SQLite, the cost without the disk;
// PostgreSQL, skipped without CHARTE_TEST_POSTGRES.
var benchEngines = []struct {
	name     string
	inMemory bool
	open     func(b *testing.B) store.Store
}{
	{"sqlite-file", false, func(b *testing.B) store.Store { return openMigrated(b, "sqlite:"+b.TempDir()+"/bench.db") }},
	{"sqlite-memory", true, func(b *testing.B) store.Store { return storetest.New(b) }},
	{"postgres", false, func(b *testing.B) store.Store { return storetest.NewPostgres(b) }},
}

func openMigrated(tb testing.TB, dsn string) store.Store {
	tb.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, dsn)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	if _, err := s.Migrate(ctx); err != nil {
		tb.Fatal(err)
	}
	return s
}
