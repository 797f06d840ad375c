package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	// pgx through database/sql rather than pgxpool: both engines then share
	// every line of Go, and the SQL differences stay in the .sql files.
	_ "github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite"
)

// db implements Store for both engines over database/sql.
type db struct {
	engine  string
	queries map[string]string
	// r serves reads. w serves writes: for SQLite a pool of one connection,
	// so writers queue in Go instead of sleeping on SQLITE_BUSY; for
	// PostgreSQL the same pool as r, since row locks do the serialising.
	r, w *sql.DB
}

// Open connects to the database named by dsn: "sqlite:PATH" or
// "postgres://…" (also "postgresql://…"). It does not migrate, and it
// succeeds on an empty database: call Pending or Migrate next.
func Open(ctx context.Context, dsn string) (Store, error) {
	var (
		d   *db
		err error
	)
	switch {
	case strings.HasPrefix(dsn, "sqlite:"):
		d, err = openSQLite(strings.TrimPrefix(dsn, "sqlite:"))
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		d, err = openPostgres(dsn)
	default:
		return nil, fmt.Errorf("database %q: want sqlite:PATH or postgres://user@host:port/dbname", redact(dsn))
	}
	if err != nil {
		return nil, err
	}
	d.queries, err = loadQueries(d.engine)
	if err == nil {
		err = d.r.PingContext(ctx)
	}
	if err == nil && d.w != d.r {
		err = d.w.PingContext(ctx)
	}
	if err != nil {
		d.Close()
		return nil, fmt.Errorf("open %s database: %w", d.engine, err)
	}
	return d, nil
}

func openPostgres(dsn string) (*db, error) {
	pool, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("open postgres database: %w", err)
	}
	// A handful of connections is plenty: consent writes arrive in group
	// commit batches, and the server's connection slots are shared by nodes.
	pool.SetMaxOpenConns(16)
	pool.SetMaxIdleConns(16)
	return &db{engine: "postgres", r: pool, w: pool}, nil
}

// redact hides a password in an unrecognised DSN before it reaches a log.
func redact(dsn string) string {
	if at := strings.LastIndex(dsn, "@"); at >= 0 {
		if colon := strings.Index(dsn, "://"); colon >= 0 && colon < at {
			return dsn[:colon+3] + "…" + dsn[at:]
		}
	}
	return dsn
}

func (d *db) Engine() string { return d.engine }

func (d *db) Close() error {
	err := d.r.Close()
	if d.w != d.r {
		err = errors.Join(err, d.w.Close())
	}
	return err
}

// write runs fn in one transaction on the writer pool, committing only when
// fn succeeds, so a failed call changes nothing.
func (d *db) write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := d.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		return errors.Join(err, ignoreDone(tx.Rollback()))
	}
	return tx.Commit()
}

func ignoreDone(err error) error {
	if errors.Is(err, sql.ErrTxDone) {
		return nil
	}
	return err
}
