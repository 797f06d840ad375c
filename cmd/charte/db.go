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

func cmdDB(ctx context.Context, io cli.IO, args []string) error {
	fs := cli.NewFlagSet("charte db", "charte db migrate [--db DSN]",
		"Database maintenance.\n\n  migrate   apply the migrations this binary carries and list them\n  pending   list the migrations not yet applied, without applying them", io.Stderr)
	db := cli.DBFlag(fs)
	verb, err := parseVerbCommand(fs, io, args)
	if err != nil {
		return err
	}
	if verb != "migrate" && verb != "pending" {
		return cli.Usagef("charte db: want one of: migrate, pending")
	}
	st, err := store.Open(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	if verb == "pending" {
		pending, err := st.Pending(ctx)
		if err != nil {
			return err
		}
		for _, name := range pending {
			fmt.Fprintln(io.Stdout, name)
		}
		return nil
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
