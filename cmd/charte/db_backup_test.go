package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charte/charte/internal/proof"
	"github.com/charte/charte/internal/store"
	"github.com/charte/charte/internal/store/storetest"
)

// backupSites are the seeded sites consents are written to: two chains.
var backupSites = []string{"demo", "opendata-pau"}

// choice is a visitor's consent for site, as the consent API would store it.
func choice(site, rev string) proof.Record {
	return proof.Record{ID: rand.Text(), SiteID: site, ConsentID: rand.Text(), Time: time.Now().UTC(),
		Action: proof.AcceptAll, Decisions: map[string]bool{"statistics": true}, Revision: rev,
		Language: "fr", Page: "/", IP: "192.0.2.0"}
}

// TestBackupUnderConsentWrites takes `charte db backup` of a SQLite
// database while four writers keep appending consents to two chains, then
// restores the copy (a file put in the database's place) and checks it:
// `charte db check` passes and every consent acknowledged before the backup
// began is in it.
func TestBackupUnderConsentWrites(t *testing.T) {
	dir := t.TempDir()
	db := "sqlite:" + filepath.Join(dir, "charte.db")
	if code, _, errOut := charte(t, "", nil, "db", "--db", db, "migrate"); code != 0 {
		t.Fatalf("migrate: %d %s", code, errOut)
	}
	ctx := context.Background()
	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	revs := map[string]string{}
	for _, s := range backupSites {
		rev, err := st.Published(ctx, s)
		if err != nil {
			t.Fatal(err)
		}
		revs[s] = rev.ID
	}

	var (
		mu    sync.Mutex
		acked = map[string]string{} // record id → site, once its append returned
		stop  = make(chan struct{})
		wg    sync.WaitGroup
	)
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				site := backupSites[(w+i)%len(backupSites)]
				batch := []proof.Record{choice(site, revs[site]), choice(site, revs[site])}
				if _, err := st.AppendConsents(ctx, batch); err != nil {
					t.Errorf("append: %v", err)
					return
				}
				mu.Lock()
				for _, r := range batch {
					acked[r.ID] = site
				}
				mu.Unlock()
			}
		}()
	}
	waitFor := func(n int) {
		for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
			mu.Lock()
			have := len(acked)
			mu.Unlock()
			if have >= n {
				return
			}
		}
		t.Fatalf("fewer than %d consents written in 30 s", n)
	}
	waitFor(200)
	mu.Lock()
	before := make(map[string]string, len(acked))
	for id, site := range acked {
		before[id] = site
	}
	mu.Unlock()
	file := filepath.Join(dir, "backup.db")
	code, out, errOut := charte(t, "", nil, "db", "backup", "--db", db, file)
	mu.Lock()
	during := len(acked) - len(before)
	mu.Unlock()
	waitFor(len(before) + during + 50) // writes go on after the backup too
	close(stop)
	wg.Wait()
	if code != 0 || !strings.Contains(out, "backup written to "+file) {
		t.Fatalf("backup: %d %s%s", code, out, errOut)
	}
	t.Logf("%d consents acknowledged before the backup began, %d while it ran", len(before), during)

	// Restore: the copy, put where a database goes, opened as one.
	restored := filepath.Join(dir, "restored.db")
	copyFile(t, file, restored)
	code, out, errOut = charte(t, "", nil, "db", "check", "--db", "sqlite:"+restored)
	if code != 0 || !strings.Contains(out, "integrity (sqlite): ok") || !strings.Contains(out, "migrations: up to date") {
		t.Fatalf("check of the restored backup: %d\n%s%s", code, out, errOut)
	}
	for _, s := range backupSites {
		if !strings.Contains(out, s+": ") || !strings.Contains(out, "chain intact") {
			t.Errorf("check does not report %s's chain intact:\n%s", s, out)
		}
	}
	rst, err := store.Open(ctx, "sqlite:"+restored)
	if err != nil {
		t.Fatal(err)
	}
	defer rst.Close()
	held := map[string]bool{}
	for _, s := range backupSites {
		err := rst.Consents(ctx, s, time.Time{}, time.Time{}, func(r proof.Record) error {
			held[r.ID] = true
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	missing := 0
	for id := range before {
		if !held[id] {
			missing++
		}
	}
	if missing > 0 {
		t.Errorf("%d of the %d consents acknowledged before the backup are not in it", missing, len(before))
	}
	if len(held) > len(before)+during+8 {
		// Each writer may have had one batch committed, not yet counted.
		t.Errorf("the backup holds %d consents, more than were written before it ended (%d)", len(held), len(before)+during)
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// Bad backup requests change nothing and say why; PostgreSQL's answer is
// the pg_dump procedure.
func TestBackupRefusals(t *testing.T) {
	dir := t.TempDir()
	db := "sqlite:" + filepath.Join(dir, "charte.db")
	if code, _, errOut := charte(t, "", nil, "db", "--db", db, "migrate"); code != 0 {
		t.Fatalf("migrate: %d %s", code, errOut)
	}
	existing := filepath.Join(dir, "existing.db")
	if err := os.WriteFile(existing, []byte("keep me"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no file", []string{"db", "backup", "--db", db}, 2, "name the FILE"},
		{"two files", []string{"db", "backup", "--db", db, "a.db", "b.db"}, 2, `unexpected argument "b.db"`},
		{"existing file", []string{"db", "backup", "--db", db, existing}, 1, "already exists: charte never overwrites"},
		{"missing directory", []string{"db", "backup", "--db", db, filepath.Join(dir, "no", "such", "dir.db")}, 1, "backup to "},
		{"flags after the file", []string{"db", "backup", filepath.Join(dir, "late.db"), "--db", db}, 0, "backup written to"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := charte(t, "", nil, tt.args...)
			if code != tt.code || !strings.Contains(out+errOut, tt.want) {
				t.Errorf("exit %d, want %d with %q\n%s%s", code, tt.code, tt.want, out, errOut)
			}
		})
	}
	if b, _ := os.ReadFile(existing); string(b) != "keep me" {
		t.Errorf("the existing file was changed: %q", b)
	}
	if _, err := os.Stat(filepath.Join(dir, "no")); err == nil {
		t.Error("a directory was created for the backup")
	}
	t.Run("postgres", func(t *testing.T) {
		dsn := storetest.PostgresDSN(t)
		if code, _, errOut := charte(t, "", nil, "db", "--db", dsn, "migrate"); code != 0 {
			t.Fatalf("migrate: %d %s", code, errOut)
		}
		file := filepath.Join(dir, "pg.db")
		code, out, errOut := charte(t, "", nil, "db", "backup", "--db", dsn, file)
		if code != 1 || !strings.Contains(errOut, "pg_dump --format=custom") || !strings.Contains(errOut, "pg_restore") {
			t.Errorf("backup of PostgreSQL: %d %s%s", code, out, errOut)
		}
		if _, err := os.Stat(file); err == nil {
			t.Error("a file was written for a PostgreSQL backup")
		}
	})
}

// charte db check passes an intact database and fails, saying what, on a
// tampered record or a pending migration, on both engines.
func TestDBCheck(t *testing.T) {
	engines := map[string]func(t *testing.T) (dsn string, raw *sql.DB){
		"sqlite": func(t *testing.T) (string, *sql.DB) {
			path := filepath.Join(t.TempDir(), "charte.db")
			raw, err := sql.Open("sqlite", path)
			if err != nil {
				t.Fatal(err)
			}
			return "sqlite:" + path, raw
		},
		"postgres": func(t *testing.T) (string, *sql.DB) {
			dsn := storetest.PostgresDSN(t)
			raw, err := sql.Open("pgx", dsn)
			if err != nil {
				t.Fatal(err)
			}
			return dsn, raw
		},
	}
	for _, engine := range []string{"sqlite", "postgres"} {
		for _, tt := range []struct {
			name   string
			damage string // SQL run on the database before the check
			code   int
			want   string
		}{
			{"intact", "", 0, "demo: 6 records, chain intact"},
			{"a record changed", "UPDATE consents SET action = 'reject_all' WHERE site_id = 'demo' AND seq = 3", 1, "demo: proof chain BROKEN at record 3"},
			{"a record removed", "DELETE FROM consents WHERE site_id = 'demo' AND seq = 4", 1, "demo: proof chain BROKEN at record 4"},
			{"a migration pending", "DELETE FROM schema_migrations WHERE name = (SELECT max(name) FROM schema_migrations)", 1, "migrations: 1 pending"},
		} {
			t.Run(engine+"/"+tt.name, func(t *testing.T) {
				dsn, raw := engines[engine](t)
				defer raw.Close()
				if code, _, errOut := charte(t, "", nil, "db", "--db", dsn, "migrate"); code != 0 {
					t.Fatalf("migrate: %d %s", code, errOut)
				}
				st, err := store.Open(context.Background(), dsn)
				if err != nil {
					t.Fatal(err)
				}
				rev, err := st.Published(context.Background(), "demo")
				if err != nil {
					t.Fatal(err)
				}
				for range 3 {
					if _, err := st.AppendConsents(context.Background(), []proof.Record{choice("demo", rev.ID), choice("demo", rev.ID)}); err != nil {
						t.Fatal(err)
					}
				}
				st.Close()
				if tt.damage != "" {
					if _, err := raw.Exec(tt.damage); err != nil {
						t.Fatal(err)
					}
				}
				code, out, errOut := charte(t, "", nil, "db", "check", "--db", dsn)
				if code != tt.code || !strings.Contains(out, tt.want) || !strings.Contains(out, fmt.Sprintf("integrity (%s): ok", engine)) {
					t.Errorf("check: exit %d, want %d with %q\n%s%s", code, tt.code, tt.want, out, errOut)
				}
			})
		}
	}
}
