package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"time"

	"github.com/charte/charte/internal/proof"
)

// Migrations are dated SQL files, applied in name order and never edited
// once released: a change to the schema is a new file. A file whose SQL must
// differ per engine comes as a "-sqlite.sql"/"-postgres.sql" pair recorded
// under the one name without the suffix, so both engines keep the same list.
//
//go:embed migrations/*.sql
var migrationFiles embed.FS

type migration struct {
	name string // "2026-11-28-0001-init"
	sql  string
}

// migrations returns an engine's migrations in the order they apply.
func migrations(engine string) ([]migration, error) {
	entries, err := fs.ReadDir(migrationFiles, "migrations")
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, e := range entries {
		name, eng := engineOf(strings.TrimSuffix(e.Name(), ".sql"))
		if eng != "" && eng != engine {
			continue
		}
		data, err := migrationFiles.ReadFile("migrations/" + e.Name())
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{name: name, sql: string(data)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].name < ms[j].name })
	return ms, nil
}

// Pending only reads: on an empty database every migration is pending.
func (d *db) Pending(ctx context.Context) ([]string, error) {
	all, err := migrations(d.engine)
	if err != nil {
		return nil, err
	}
	var exists int
	if err := d.r.QueryRowContext(ctx, d.q("Pending-exists")).Scan(&exists); err != nil {
		return nil, fmt.Errorf("pending migrations: %w", err)
	}
	applied := map[string]bool{}
	if exists > 0 {
		rows, err := d.r.QueryContext(ctx, d.q("Pending-list"))
		if err != nil {
			return nil, fmt.Errorf("pending migrations: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var name string
			if err := rows.Scan(&name); err != nil {
				return nil, fmt.Errorf("pending migrations: %w", err)
			}
			applied[name] = true
		}
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("pending migrations: %w", err)
		}
	}
	var names []string
	for _, m := range all {
		if !applied[m.name] {
			names = append(names, m.name)
		}
	}
	return names, nil
}

// Migrate applies each pending migration in its own transaction, together
// with its line in schema_migrations, so a failure leaves the database at
// the last migration that fully applied.
//
// Everything runs on one connection holding the migration lock from before
// schema_migrations is created: nodes started together on an empty
// PostgreSQL database used to race on CREATE TABLE IF NOT EXISTS, which is
// not safe against itself (one failed on pg_type's unique index). On
// PostgreSQL the lock is a session advisory lock, which exists before any
// table does; on SQLite the BEGIN IMMEDIATE of each transaction is the lock,
// and the busy timeout makes a second process wait for it.
func (d *db) Migrate(ctx context.Context) (done []string, err error) {
	all, err := migrations(d.engine)
	if err != nil {
		return nil, err
	}
	conn, err := d.w.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("migrate: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, d.q("Migrate-session-lock")); err != nil {
		return nil, fmt.Errorf("migrate: take the migration lock: %w", err)
	}
	defer func() {
		// A session lock outlives transactions: release it before the
		// connection returns to the pool, or other nodes would wait until
		// this pool closes.
		if _, uerr := conn.ExecContext(context.Background(), d.q("Migrate-session-unlock")); uerr != nil {
			err = errors.Join(err, fmt.Errorf("migrate: release the migration lock: %w", uerr))
			// A connection that may still hold the lock must not be reused:
			// ErrBadConn makes database/sql discard it.
			_ = conn.Raw(func(any) error { return driver.ErrBadConn })
		}
	}()
	if _, err := conn.ExecContext(ctx, d.q("Migrate-create")); err != nil {
		return nil, fmt.Errorf("migrate: create schema_migrations: %w", err)
	}
	for _, m := range all {
		applied := false
		err := inTx(ctx, conn, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, d.q("Migrate-lock")); err != nil {
				return err
			}
			// Checked under the lock: another node may have just applied it.
			var n int
			if err := tx.QueryRowContext(ctx, d.q("Migrate-applied"), m.name).Scan(&n); err != nil || n > 0 {
				return err
			}
			if _, err := tx.ExecContext(ctx, m.sql); err != nil {
				return err
			}
			now := time.Now().UTC().Format(proof.TimeFormat)
			if _, err := tx.ExecContext(ctx, d.q("Migrate-record"), m.name, now); err != nil {
				return err
			}
			applied = true
			return nil
		})
		if err != nil {
			return done, fmt.Errorf("migration %s: %w", m.name, err)
		}
		if applied {
			done = append(done, m.name)
		}
	}
	return done, nil
}

// inTx is db.write on one pinned connection.
func inTx(ctx context.Context, conn *sql.Conn, fn func(tx *sql.Tx) error) error {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		return errors.Join(err, ignoreDone(tx.Rollback()))
	}
	return tx.Commit()
}
