package web

import (
	"context"
	"errors"
	"time"

	"github.com/charte/charte/internal/store"
)

// siteChanged is what the back office calls after changing or publishing a
// site: this node forgets what it cached of the site at once, and every
// other node on the database hears of it (PostgreSQL NOTIFY) and does the
// same, instead of serving the old revision until its cache's TTL.
func (s *Server) siteChanged(site string) {
	s.revisions.Forget(site)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.store.NotifySiteChanged(ctx, site); err != nil {
		s.log.Warn("other nodes will see the change when their cache expires", "site", site, "err", err)
	}
}

// watchSites listens for the changes other nodes notify until ctx ends,
// listening again after a failure (with the cache emptied, since changes
// may have been missed meanwhile). ready is closed once listening, or at
// once when the database carries no notifications (SQLite).
func (s *Server) watchSites(ctx context.Context, ready chan<- struct{}) {
	var once bool
	markReady := func() {
		if !once {
			once = true
			close(ready)
		}
	}
	defer markReady()
	backoff := time.Second
	for {
		err := s.store.WatchSites(ctx, func() { markReady(); backoff = time.Second }, s.revisions.Forget)
		if errors.Is(err, store.ErrNoSiteEvents) || ctx.Err() != nil {
			return
		}
		s.log.Warn("not hearing other nodes' publishes; listening again", "in", backoff, "err", err)
		s.revisions.ForgetAll()
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, 30*time.Second)
	}
}

// ForgetAll drops every site's current revision and origins (the
// immutable snapshots stay): what this node missed hearing is re-read.
func (c *revisionCache) ForgetAll() {
	c.current.Clear()
	c.mu.Lock()
	clear(c.origins)
	c.mu.Unlock()
}
