package store

import (
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
)

// memoryDBs numbers the private in-memory databases "sqlite::memory:" opens.
var memoryDBs atomic.Int64

// sqlitePragmas apply to every connection. synchronous=FULL because a 201
// must survive a power cut (group commit amortises the fsync); busy_timeout
// because another process may hold the write lock; _txlock=immediate makes
// every transaction take the write lock at BEGIN, so two transactions never
// both read and then fail to upgrade (SQLITE_BUSY mid-transaction);
// temp_store=MEMORY keeps statement journals in memory: the batched consent
// insert needs one (it may fail on a constraint half-way), and writing it to a
// temporary file cost a sixth of a batch's time in syscalls;
// wal_autocheckpoint=8192 pages (32 MiB) lets the WAL absorb more batches
// before a checkpoint copies them into the database: consent ids are random,
// so the same index pages are rewritten batch after batch, and a longer WAL
// writes each of them to the database once instead of many times (+5-8 %
// consents/s measured, at the cost of a longer pause when it does run).
//
// busy_timeout comes first because pragmas apply in order: switching a new
// file to WAL needs a lock, and two processes opening the same new database
// at once must wait for each other there rather than fail with SQLITE_BUSY.
const sqlitePragmas = "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)" +
	"&_pragma=synchronous(FULL)&_pragma=temp_store(MEMORY)&_pragma=wal_autocheckpoint(8192)&_txlock=immediate"

func openSQLite(path string) (*db, error) {
	uri, err := sqliteURI(path)
	if err != nil {
		return nil, err
	}
	w, err := sql.Open("sqlite", uri+sqlitePragmas)
	if err != nil {
		return nil, fmt.Errorf("open sqlite database: %w", err)
	}
	// One writer connection: SQLite allows one writer anyway, and queueing
	// in Go is fairer and faster than sleeping in the busy handler. Keeping
	// it open forever also keeps an in-memory database alive.
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	// Readers run beside the writer (WAL); query_only guards against a
	// write slipping onto a reader connection and racing the writer.
	r, err := sql.Open("sqlite", uri+sqlitePragmas+"&_pragma=query_only(1)")
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("open sqlite database: %w", err)
	}
	r.SetMaxOpenConns(8)
	return &db{engine: "sqlite", r: r, w: w}, nil
}

// sqliteURI turns the PATH of "sqlite:PATH" into a SQLite URI ending in "?"
// or "&", ready for the pragmas.
func sqliteURI(path string) (string, error) {
	switch {
	case path == "":
		return "", errors.New("database \"sqlite:\": the path is missing (sqlite:charte.db, sqlite::memory:)")
	case path == ":memory:":
		// A plain :memory: database is private to one connection, and the
		// store holds several. The memdb VFS shares a named in-memory
		// database between the connections of this process, with real
		// locking (shared-cache mode would fail with SQLITE_LOCKED instead of
		// waiting). A leading "/" is what makes memdb share it.
		return fmt.Sprintf("file:/charte-memory-%d?vfs=memdb&", memoryDBs.Add(1)), nil
	case strings.HasPrefix(path, "file:"):
		if strings.Contains(path, "?") {
			return path + "&", nil
		}
		return path + "?", nil
	default:
		// A plain file name: escape what a URI would read as syntax.
		esc := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(path)
		return "file:" + esc + "?", nil
	}
}
