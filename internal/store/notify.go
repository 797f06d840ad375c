package store

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5/stdlib"
)

// SiteEvents carries "this site changed" between the nodes sharing a
// database, so a publish on one reaches the caches of all within moments
// rather than when their TTL expires. PostgreSQL does it with
// LISTEN/NOTIFY; SQLite, one node's database, has nothing to carry it, and
// its nodes (a server and a command run beside it) keep relying on the TTL.
type SiteEvents interface {
	// NotifySiteChanged tells every node listening on this database that
	// site's published revision or settings changed. On SQLite it does
	// nothing.
	NotifySiteChanged(ctx context.Context, site string) error
	// WatchSites listens for those notifications, from every node this one
	// included, calling ready once listening and then fn for each, until
	// ctx ends (nil) or the connection fails (its error: notifications may
	// have been missed, so a caller forgets what it cached before listening
	// again). On SQLite it returns ErrNoSiteEvents at once.
	WatchSites(ctx context.Context, ready func(), fn func(site string)) error
}

// ErrNoSiteEvents is WatchSites' answer on an engine that cannot carry
// notifications between processes.
var ErrNoSiteEvents = errors.New("this database carries no notification between nodes: caches expire by their TTL")

func (d *db) NotifySiteChanged(ctx context.Context, site string) error {
	if d.engine != "postgres" {
		return nil
	}
	if _, err := d.w.ExecContext(ctx, d.q("NotifySiteChanged"), site); err != nil {
		return fmt.Errorf("notify site %s changed: %w", site, err)
	}
	return nil
}

func (d *db) WatchSites(ctx context.Context, ready func(), fn func(site string)) error {
	if d.engine != "postgres" {
		return ErrNoSiteEvents
	}
	// A connection of its own for as long as this runs: LISTEN belongs to
	// a session. It is discarded afterwards rather than given back to the
	// pool still listening.
	conn, err := d.r.Conn(ctx)
	if err != nil {
		return fmt.Errorf("listen for site changes: %w", err)
	}
	defer conn.Close()
	defer conn.Raw(func(any) error { return driver.ErrBadConn })
	if _, err := conn.ExecContext(ctx, d.q("WatchSites")); err != nil {
		return fmt.Errorf("listen for site changes: %w", err)
	}
	ready()
	err = conn.Raw(func(dc any) error {
		pc := dc.(*stdlib.Conn).Conn()
		for {
			n, err := pc.WaitForNotification(ctx)
			if err != nil {
				return err
			}
			fn(n.Payload)
		}
	})
	if ctx.Err() != nil {
		return nil
	}
	return fmt.Errorf("listen for site changes: %w", err)
}
