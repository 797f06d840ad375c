package store_test

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/charte/charte/internal/store"
	"github.com/charte/charte/internal/store/storetest"
)

func TestMigrate(t *testing.T) {
	storetest.EmptyEngines(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()

		pending, err := s.Pending(ctx)
		if err != nil {
			t.Fatalf("Pending on an empty database: %v", err)
		}
		if len(pending) == 0 || !strings.HasSuffix(pending[0], "-init") {
			t.Fatalf("Pending on an empty database = %v, want the init migration first", pending)
		}
		if !slices.IsSorted(pending) {
			t.Errorf("Pending = %v, not in name order", pending)
		}
		for _, name := range pending {
			if strings.HasSuffix(name, "-sqlite") || strings.HasSuffix(name, "-postgres") {
				t.Errorf("migration recorded as %q: the engine suffix must not be part of the name", name)
			}
		}

		applied, err := s.Migrate(ctx)
		if err != nil {
			t.Fatalf("Migrate: %v", err)
		}
		if !slices.Equal(applied, pending) {
			t.Errorf("Migrate applied %v, Pending said %v", applied, pending)
		}
		if again, err := s.Migrate(ctx); err != nil || len(again) != 0 {
			t.Errorf("second Migrate = %v, %v; want nothing applied", again, err)
		}
		if left, err := s.Pending(ctx); err != nil || len(left) != 0 {
			t.Errorf("Pending after Migrate = %v, %v; want none", left, err)
		}
		// The schema is really there: a store operation works.
		if sites, err := s.ListSites(ctx); err != nil || len(sites) != 0 {
			t.Errorf("ListSites on a migrated database = %v, %v", sites, err)
		}
	})
}

func TestOpenRejectsUnknownDSN(t *testing.T) {
	for _, dsn := range []string{"", "mysql://root@localhost/charte", "charte.db", "sqlite:", "postgres"} {
		t.Run(dsn, func(t *testing.T) {
			s, err := store.Open(context.Background(), dsn)
			if err == nil {
				s.Close()
				t.Fatalf("Open(%q) succeeded, want an error", dsn)
			}
			if !strings.Contains(err.Error(), "sqlite:") {
				t.Errorf("Open(%q) error %q does not name the accepted forms", dsn, err)
			}
		})
	}
}

func TestOpenSQLiteFile(t *testing.T) {
	ctx := context.Background()
	path := t.TempDir() + "/charte?#%.db"
	dsn := "sqlite:" + path
	s, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	// WAL mode keeps a -wal file beside the database while it is open.
	if _, err := os.Stat(path + "-wal"); err != nil {
		t.Errorf("no WAL file beside the database: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	// Reopened, the file keeps its schema: nothing pending.
	s, err = store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if left, err := s.Pending(ctx); err != nil || len(left) != 0 {
		t.Errorf("Pending after reopening = %v, %v; want none", left, err)
	}
	if s.Engine() != "sqlite" {
		t.Errorf("Engine = %q", s.Engine())
	}
}

// TestMigrateConcurrentOpens starts several nodes at once on one fresh
// database, as a cluster restarting together does: every one must come up
// (open, migrate, serve a query) and each migration must be applied once.
func TestMigrateConcurrentOpens(t *testing.T) {
	engines := map[string]func(t *testing.T) string{
		// A file, not :memory: (private to one store): the stores must
		// share the database the way separate processes would.
		"sqlite":   func(t *testing.T) string { return "sqlite:" + t.TempDir() + "/charte.db" },
		"postgres": func(t *testing.T) string { return storetest.PostgresDSN(t) },
	}
	for _, nodes := range []int{4, 8} {
		for _, engine := range []string{"sqlite", "postgres"} {
			t.Run(fmt.Sprintf("%s/%d", engine, nodes), func(t *testing.T) {
				dsn := engines[engine](t)
				ctx := context.Background()
				var (
					wg      sync.WaitGroup
					mu      sync.Mutex
					applied []string
					errs    []error
				)
				start := make(chan struct{})
				for range nodes {
					wg.Go(func() {
						<-start
						err := func() error {
							s, err := store.Open(ctx, dsn)
							if err != nil {
								return fmt.Errorf("open: %w", err)
							}
							defer s.Close()
							names, err := s.Migrate(ctx)
							if err != nil {
								return fmt.Errorf("migrate: %w", err)
							}
							if _, err := s.ListSites(ctx); err != nil {
								return fmt.Errorf("list sites: %w", err)
							}
							mu.Lock()
							applied = append(applied, names...)
							mu.Unlock()
							return nil
						}()
						if err != nil {
							mu.Lock()
							errs = append(errs, err)
							mu.Unlock()
						}
					})
				}
				close(start)
				wg.Wait()
				for _, err := range errs {
					t.Errorf("a node did not come up: %v", err)
				}
				s, err := store.Open(ctx, dsn)
				if err != nil {
					t.Fatal(err)
				}
				defer s.Close()
				if left, err := s.Pending(ctx); err != nil || len(left) != 0 {
					t.Errorf("Pending after the nodes started = %v, %v; want none", left, err)
				}
				// Every migration applied by exactly one node.
				slices.Sort(applied)
				if c := slices.Compact(slices.Clone(applied)); len(c) != len(applied) {
					t.Errorf("migrations applied more than once: %v", applied)
				}
			})
		}
	}
}
