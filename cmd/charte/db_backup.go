package main

import (
	"context"
	"fmt"
	"os"

	"github.com/charte/charte/internal/cli"
	"github.com/charte/charte/internal/proof"
	"github.com/charte/charte/internal/store"
)

// backupDB writes the online copy and says how big it is and how to check
// it; on PostgreSQL the store's error is the pg_dump procedure.
func backupDB(ctx context.Context, io cli.IO, st store.Store, file string) error {
	if err := st.Backup(ctx, file); err != nil {
		return err
	}
	info, err := os.Stat(file)
	if err != nil {
		return err
	}
	fmt.Fprintf(io.Stdout, "backup written to %s (%d bytes); check it with: charte db check --db sqlite:%s\n", file, info.Size(), file)
	return nil
}

// checkDB reports every check, then fails if any did not hold, so one run
// shows everything wrong with a database (a restored backup, a node's).
func checkDB(ctx context.Context, io cli.IO, st store.Store) error {
	failed := false
	problems, err := st.IntegrityProblems(ctx)
	if err != nil {
		return err
	}
	if len(problems) == 0 {
		fmt.Fprintf(io.Stdout, "integrity (%s): ok\n", st.Engine())
	}
	for _, p := range problems {
		failed = true
		fmt.Fprintf(io.Stdout, "integrity (%s): %s\n", st.Engine(), p)
	}
	pending, err := st.Pending(ctx)
	if err != nil {
		return err
	}
	if len(pending) > 0 {
		// Nothing further can be read from a schema that is behind.
		fmt.Fprintf(io.Stdout, "migrations: %d pending (%v): run charte db migrate\n", len(pending), pending)
		return errSilentFailure
	}
	fmt.Fprintln(io.Stdout, "migrations: up to date")
	sites, err := st.ListSites(ctx)
	if err != nil {
		return err
	}
	for _, s := range sites {
		c, err := proof.VerifyChain(ctx, st, s.ID)
		switch {
		case err != nil:
			return fmt.Errorf("site %s: %w", s.ID, err)
		case c.Break != nil:
			failed = true
			fmt.Fprintf(io.Stdout, "%s: proof chain BROKEN at %v\n", s.ID, c.Break)
		default:
			fmt.Fprintf(io.Stdout, "%s: %d records, chain intact\n", s.ID, c.Verified)
		}
	}
	if failed {
		return errSilentFailure
	}
	fmt.Fprintf(io.Stdout, "the database holds: %d sites checked\n", len(sites))
	return nil
}
