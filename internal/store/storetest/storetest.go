// Package storetest gives each test its own migrated store: an in-memory
// SQLite database by default, and a uniquely named PostgreSQL database,
// dropped at the end, when CHARTE_TEST_POSTGRES names a server.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/charte/charte/internal/demo"
	"github.com/charte/charte/internal/store"
	"github.com/charte/charte/internal/testenv"
	"github.com/charte/charte/registry"
)

// EnvPostgres names the variable holding the PostgreSQL DSN tests use, for
// example postgres://postgres@127.0.0.1:5432/test?sslmode=disable.
const EnvPostgres = "CHARTE_TEST_POSTGRES"

// New returns a migrated store on a private in-memory SQLite database,
// closed when the test ends.
func New(t testing.TB) store.Store {
	t.Helper()
	return open(t, "sqlite::memory:")
}

// Engines runs test once per engine, as subtests "sqlite" and "postgres".
// The PostgreSQL one is skipped, saying why, when EnvPostgres is unset.
func Engines(t *testing.T, test func(t *testing.T, s store.Store)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { test(t, New(t)) })
	t.Run("postgres", func(t *testing.T) { test(t, NewPostgres(t)) })
}

// NewPostgres returns a migrated store on a fresh PostgreSQL database
// created from the EnvPostgres DSN and dropped when the test ends; it skips
// the test when EnvPostgres is unset.
func NewPostgres(t testing.TB) store.Store {
	t.Helper()
	dsn := PostgresDSN(t)
	return open(t, dsn)
}

// PostgresDSN creates an empty, uniquely named database on the EnvPostgres
// server, drops it when the test ends, and returns its DSN. Tests that need
// an unmigrated database (migration tests) open it themselves.
func PostgresDSN(t testing.TB) string {
	t.Helper()
	base := os.Getenv(EnvPostgres)
	if base == "" {
		testenv.Missing(t, "postgres", EnvPostgres+" is not set: PostgreSQL tests skipped")
	}
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("%s: %v", EnvPostgres, err)
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("%s: %v", EnvPostgres, err)
	}
	t.Cleanup(func() { admin.Close() })
	name := "charte_test_" + randomHex(8)
	// The name is ours and made of [a-z0-9_]: no quoting issue.
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatalf("create test database on %s: %v", EnvPostgres, err)
	}
	// Registered after the store's Close (t.Cleanup runs last-in first-out
	// and open registers Close later), FORCE ends any connection left over.
	t.Cleanup(func() {
		if _, err := admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"); err != nil {
			t.Errorf("drop test database %s: %v", name, err)
		}
	})
	u.Path = "/" + name
	return u.String()
}

// EmptyEngines is Engines for tests that need an empty, unmigrated
// database: test gets a DSN to open itself.
func EmptyEngines(t *testing.T, test func(t *testing.T, dsn string)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { test(t, "sqlite::memory:") })
	t.Run("postgres", func(t *testing.T) { test(t, PostgresDSN(t)) })
}

func open(t testing.TB, dsn string) store.Store {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("close store: %v", err)
		}
	})
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatalf("migrate store: %v", err)
	}
	return s
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return strings.ToLower(hex.EncodeToString(b))
}

// Seed saves and publishes the demo sites (opendata-pau and demo) into st,
// as a first `charte serve` does, and returns them.
func Seed(t testing.TB, st store.Store) []*registry.Site {
	t.Helper()
	sites, err := demo.Sites()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, s := range sites {
		if err := st.SaveSite(ctx, registry.MustCheck(s)); err != nil {
			t.Fatal(err)
		}
		if _, err := st.Publish(ctx, s.ID); err != nil {
			t.Fatal(err)
		}
	}
	return sites
}
