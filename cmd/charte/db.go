package main

import (
	"context"
	"flag"
	"fmt"
	"slices"
	"strings"

	"github.com/charte/charte/internal/cli"
	"github.com/charte/charte/internal/demo"
	"github.com/charte/charte/internal/store"
	"github.com/charte/charte/registry"
)

// openStore opens the database of a command that reads or writes data: one
// with pending migrations is refused, naming the command that fixes it,
// rather than failing later on a missing table.
func openStore(ctx context.Context, dsn string) (store.Store, error) {
	st, err := store.Open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	if pending, err := st.Pending(ctx); err != nil {
		st.Close()
		return nil, err
	} else if len(pending) > 0 {
		st.Close()
		return nil, fmt.Errorf("%w (pending: %v)", store.ErrPendingMigrations, pending)
	}
	return st, nil
}

// parseVerbCommand parses a command made of a verb and flags, written
// either way round ("user list --db X" or "user --db X list"), and refuses
// anything left over rather than ignoring it.
func parseVerbCommand(fs *flag.FlagSet, io cli.IO, args []string) (string, error) {
	verb := ""
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		verb, args = args[0], args[1:]
	}
	if err := parseDBCommand(fs, io, args); err != nil {
		return "", err
	}
	rest := fs.Args()
	if verb == "" && len(rest) > 0 {
		verb, rest = rest[0], rest[1:]
	}
	if len(rest) > 0 {
		return "", cli.Usagef("%s %s: unexpected argument %q", fs.Name(), verb, rest[0])
	}
	return verb, nil
}

// parseDBCommand parses the flags of a command that opens the database:
// --db falls back to CHARTE_DB, then to the embedded SQLite file.
func parseDBCommand(fs *flag.FlagSet, io cli.IO, args []string) error {
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	return cli.EnvDefaults(fs, io.Getenv, "db")
}

const dbHelp = `Database maintenance.

  migrate       apply the migrations this binary carries and list them
  pending       list the migrations not yet applied, without applying them
  backup FILE   write a consistent copy of a SQLite database to FILE while
                charte keeps taking consents (SQLite's VACUUM INTO, never a
                file copy); restore by stopping charte and putting the copy
                in the database's place. For PostgreSQL, use pg_dump (the
                command says how, and docs/operations.md)
  check         verify a database: the engine's integrity check, that no
                migration is pending, and every site's proof chain; exit 1
                when anything does not hold`

func cmdDB(ctx context.Context, io cli.IO, args []string) error {
	fs := cli.NewFlagSet("charte db", "charte db migrate|pending|check [--db DSN]\n       charte db backup [--db DSN] FILE", dbHelp, io.Stderr)
	db := cli.DBFlag(fs)
	args, err := parseInterleaved(fs, io, args)
	if err != nil {
		return err
	}
	verb, want := "", 0
	if len(args) > 0 {
		verb = args[0]
	}
	switch verb {
	case "migrate", "pending", "check":
	case "backup":
		want = 1
		if len(args) < 2 {
			return cli.Usagef("charte db backup: name the FILE to write the copy to")
		}
	default:
		return cli.Usagef("charte db: want one of: migrate, pending, backup, check")
	}
	if len(args) > want+1 {
		return cli.Usagef("charte db %s: unexpected argument %q", verb, args[want+1])
	}
	st, err := store.Open(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	switch verb {
	case "pending":
		pending, err := st.Pending(ctx)
		if err != nil {
			return err
		}
		for _, name := range pending {
			fmt.Fprintln(io.Stdout, name)
		}
		return nil
	case "backup":
		return backupDB(ctx, io, st, args[1])
	case "check":
		return checkDB(ctx, io, st)
	}
	applied, err := migrateAndSeed(ctx, st)
	if err != nil {
		return err
	}
	if len(applied) == 0 {
		fmt.Fprintln(io.Stdout, "the database is up to date")
	}
	for _, name := range applied {
		fmt.Fprintln(io.Stdout, "applied", name)
	}
	return nil
}

// parseInterleaved parses flags placed anywhere among the positional
// arguments ("db backup --db X FILE" or "db --db X backup FILE" or "db
// backup FILE --db X"), which the flag package alone stops at, and returns
// the positional ones in order. --db falls back to CHARTE_DB(_FILE).
func parseInterleaved(fs *flag.FlagSet, io cli.IO, args []string) ([]string, error) {
	var positional []string
	for {
		if err := cli.Parse(fs, args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			break
		}
		positional, args = append(positional, rest[0]), rest[1:]
	}
	return positional, cli.EnvDefaults(fs, io.Getenv, "db")
}

// migrateAndSeed applies pending migrations; when the database was new it
// also seeds the demo sites, so a first start shows something real.
func migrateAndSeed(ctx context.Context, st store.Store) ([]string, error) {
	pending, err := st.Pending(ctx)
	if err != nil {
		return nil, err
	}
	all, err := store.MigrationNames(st.Engine())
	if err != nil {
		return nil, err
	}
	fresh := len(pending) > 0 && slices.Equal(pending, all)
	applied, err := st.Migrate(ctx)
	if err != nil {
		return applied, err
	}
	if fresh {
		if err := seedDemo(ctx, st); err != nil {
			return applied, fmt.Errorf("seed demo sites: %w", err)
		}
	}
	return applied, nil
}

func seedDemo(ctx context.Context, st store.Store) error {
	sites, err := demo.Sites()
	if err != nil {
		return err
	}
	for _, s := range sites {
		if err := st.SaveSite(ctx, registry.MustCheck(s)); err != nil {
			return err
		}
		if _, err := st.Publish(ctx, s.ID); err != nil {
			return err
		}
	}
	return nil
}
