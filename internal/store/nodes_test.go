package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/charte/charte/internal/store"
	"github.com/charte/charte/internal/store/storetest"
)

// A site's scan lease goes to one node at a time, is renewed only by its
// holder, and is free again when released or expired.
func TestScanLease(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		site := savedSite(t, s).ID
		now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
		lease := func(holder string, scan int64, minutes int) store.ScanLease {
			return store.ScanLease{SiteID: site, ScanID: scan, Holder: holder, Expires: now.Add(time.Duration(minutes) * time.Minute)}
		}
		type step struct {
			name     string
			do       func() error
			heldBy   string // the holder a refusal names; "" when it succeeds
			notFound bool
		}
		steps := []step{
			{"node a takes the free lease", func() error { return s.TakeScanLease(ctx, lease("a", 0, 1), now) }, "", false},
			{"node a records its scan", func() error { return s.RenewScanLease(ctx, lease("a", 7, 1)) }, "", false},
			{"node b is refused while a's lease runs", func() error { return s.TakeScanLease(ctx, lease("b", 0, 1), now.Add(30*time.Second)) }, "a", false},
			{"node b cannot renew a's lease", func() error { return s.RenewScanLease(ctx, lease("b", 9, 5)) }, "", true},
			{"node a renews", func() error { return s.RenewScanLease(ctx, lease("a", 7, 2)) }, "", false},
			{"node b is still refused after a's first expiry", func() error { return s.TakeScanLease(ctx, lease("b", 0, 3), now.Add(90*time.Second)) }, "a", false},
			{"node b takes it once a stopped renewing (a died)", func() error { return s.TakeScanLease(ctx, lease("b", 0, 5), now.Add(3*time.Minute)) }, "", false},
			{"node a, back, can no longer renew", func() error { return s.RenewScanLease(ctx, lease("a", 7, 9)) }, "", true},
			{"node a's release leaves b's lease", func() error { return s.ReleaseScanLease(ctx, site, "a") }, "", false},
			{"so a is refused", func() error { return s.TakeScanLease(ctx, lease("a", 0, 6), now.Add(4*time.Minute)) }, "b", false},
			{"node b releases", func() error { return s.ReleaseScanLease(ctx, site, "b") }, "", false},
			{"and a takes it at once", func() error { return s.TakeScanLease(ctx, lease("a", 0, 6), now.Add(4*time.Minute)) }, "", false},
		}
		for _, st := range steps {
			err := st.do()
			var held *store.ErrScanLeaseHeld
			switch {
			case st.heldBy != "":
				if !errors.As(err, &held) || held.Lease.Holder != st.heldBy {
					t.Fatalf("%s: %v, want refused naming holder %s", st.name, err, st.heldBy)
				}
				if st.heldBy == "a" && held.Lease.ScanID != 7 {
					t.Errorf("%s: the refusal names scan %d, want 7", st.name, held.Lease.ScanID)
				}
			case st.notFound:
				if !errors.Is(err, store.ErrNotFound) {
					t.Fatalf("%s: %v, want ErrNotFound", st.name, err)
				}
			case err != nil:
				t.Fatalf("%s: %v", st.name, err)
			}
		}
		if err := s.TakeScanLease(ctx, store.ScanLease{SiteID: "no-such-site", Holder: "a", Expires: now}, now); err == nil {
			t.Error("a lease was given for a site that does not exist")
		}
	})
}

// A change notified through one store reaches a watcher on another store of
// the same PostgreSQL database; SQLite says it carries none.
func TestSiteEvents(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		s := storetest.New(t)
		if err := s.NotifySiteChanged(context.Background(), "demo"); err != nil {
			t.Errorf("notify on SQLite: %v", err)
		}
		err := s.WatchSites(context.Background(), func() { t.Error("ready on SQLite") }, func(string) {})
		if !errors.Is(err, store.ErrNoSiteEvents) {
			t.Errorf("watch on SQLite: %v, want ErrNoSiteEvents", err)
		}
	})
	t.Run("postgres", func(t *testing.T) {
		dsn := storetest.PostgresDSN(t)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		open := func() store.Store {
			s, err := store.Open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			return s
		}
		a, b := open(), open()
		got := make(chan string, 10)
		ready := make(chan struct{})
		done := make(chan error, 1)
		go func() { done <- b.WatchSites(ctx, func() { close(ready) }, func(site string) { got <- site }) }()
		select {
		case <-ready:
		case err := <-done:
			t.Fatalf("watch: %v", err)
		}
		for _, site := range []string{"demo", "opendata-pau"} {
			if err := a.NotifySiteChanged(ctx, site); err != nil {
				t.Fatal(err)
			}
			select {
			case s := <-got:
				if s != site {
					t.Errorf("notified %q, want %q", s, site)
				}
			case <-time.After(10 * time.Second):
				t.Fatalf("no notification for %s", site)
			}
		}
		cancel()
		if err := <-done; err != nil {
			t.Errorf("watch after its context ended: %v, want nil", err)
		}
	})
}
