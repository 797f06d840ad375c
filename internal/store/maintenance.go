package store

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"os"
)

// Maintenance is what `charte db backup` and `charte db check` ask of a
// database beyond what the server uses.
type Maintenance interface {
	// Backup writes a consistent copy of a SQLite database to path, a file
	// that must not exist yet, while writes go on: the copy holds every
	// transaction committed before it began and none after. PostgreSQL
	// answers ErrBackupPostgres: pg_dump does it better than charte could.
	Backup(ctx context.Context, path string) error
	// IntegrityProblems lists what the engine finds wrong in its own pages:
	// SQLite's integrity_check; PostgreSQL's data checksum failures (there
	// are none to see unless the cluster was initialised with
	// --data-checksums). Empty when nothing is.
	IntegrityProblems(ctx context.Context) ([]string, error)
}

// ErrBackupPostgres explains what to do instead of `charte db backup` on
// PostgreSQL.
var ErrBackupPostgres = errors.New(`a PostgreSQL database is backed up with pg_dump, which takes a consistent snapshot while consents keep coming:
  pg_dump --format=custom --file=charte.dump "$DSN"
and restored, into an empty database, with the schema before the data (pg_restore does both, in order):
  createdb charte && pg_restore --dbname="$NEW_DSN" --exit-on-error --no-owner charte.dump
then "charte db check --db $NEW_DSN" before starting the nodes on it (docs/operations.md#backup-and-restore)`)

func (d *db) Backup(ctx context.Context, path string) error {
	if d.engine != "sqlite" {
		return ErrBackupPostgres
	}
	if path == "" {
		return errors.New("backup: no file named")
	}
	// VACUUM INTO would refuse an existing file too, but a missing
	// directory or a path that exists deserve plain words.
	if _, err := os.Lstat(path); err == nil {
		return fmt.Errorf("backup: %s already exists: charte never overwrites a file with a backup", path)
	}
	// On a reader connection: the copy is one read transaction, which in
	// WAL mode sees a snapshot and never holds up the writer, so consents
	// go on being committed (and acknowledged) during the backup. Readers
	// are query_only, which refuses VACUUM INTO's writing of the new file:
	// this one connection is let write for the backup, then discarded
	// rather than returned to the pool able to write.
	conn, err := d.r.Conn(ctx)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer conn.Close()
	defer conn.Raw(func(any) error { return driver.ErrBadConn })
	if _, err := conn.ExecContext(ctx, d.q("Backup-writable")); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if _, err := conn.ExecContext(ctx, d.q("Backup"), path); err != nil {
		os.Remove(path) // a partial file is no backup
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	return nil
}

func (d *db) IntegrityProblems(ctx context.Context) ([]string, error) {
	rows, err := d.r.QueryContext(ctx, d.q("IntegrityProblems"))
	if err != nil {
		return nil, fmt.Errorf("integrity check: %w", err)
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return nil, fmt.Errorf("integrity check: %w", err)
		}
		if line != "ok" {
			problems = append(problems, line)
		}
	}
	return problems, rows.Err()
}
