package web

import (
	"context"
	"sync"
	"time"

	"github.com/charte/charte/internal/store"
	"github.com/charte/charte/registry"
)

// revisionStore is what the revision cache reads: the published revision,
// any revision by id, and the draft (for its allowed origins).
type revisionStore interface {
	Published(ctx context.Context, siteID string) (store.Revision, error)
	Revision(ctx context.Context, siteID, revision string) (store.Revision, error)
	Site(ctx context.Context, id string) (*registry.Site, error)
}

// revisionCache keeps published revisions in memory, because every banner
// and consent request needs one and a database round trip per visitor would
// cap throughput. Published revisions are immutable, so an entry can only be
// stale in which revision is current: that is re-read after ttl, which bounds
// how long another node's publish takes to show here.
type revisionCache struct {
	st  revisionStore
	ttl time.Duration

	mu      sync.Mutex
	current map[string]cachedRevision    // site → published now
	origins map[string]cachedOrigins     // site → origins of the current registry
	byID    map[[2]string]store.Revision // (site, revision) → immutable snapshot
}

type cachedOrigins struct {
	origins []string
	fetched time.Time
}

type cachedRevision struct {
	rev     store.Revision
	fetched time.Time
}

func newRevisionCache(st revisionStore, ttl time.Duration) *revisionCache {
	return &revisionCache{st: st, ttl: ttl, current: map[string]cachedRevision{}, origins: map[string]cachedOrigins{}, byID: map[[2]string]store.Revision{}}
}

// Published returns the revision visitors of site see now.
func (c *revisionCache) Published(ctx context.Context, site string) (store.Revision, error) {
	c.mu.Lock()
	e, ok := c.current[site]
	c.mu.Unlock()
	if ok && time.Since(e.fetched) < c.ttl {
		return e.rev, nil
	}
	rev, err := c.st.Published(ctx, site)
	if err != nil {
		return rev, err
	}
	c.mu.Lock()
	c.current[site] = cachedRevision{rev: rev, fetched: time.Now()}
	c.byID[[2]string{site, rev.ID}] = rev
	c.mu.Unlock()
	return rev, nil
}

// Revision returns one published revision of a site, current or older.
func (c *revisionCache) Revision(ctx context.Context, site, id string) (store.Revision, error) {
	key := [2]string{site, id}
	c.mu.Lock()
	rev, ok := c.byID[key]
	c.mu.Unlock()
	if ok {
		return rev, nil
	}
	rev, err := c.st.Revision(ctx, site, id)
	if err != nil {
		return rev, err
	}
	c.mu.Lock()
	if len(c.byID) > 10000 {
		// Bounded so that requests naming many old revisions cannot grow
		// memory; dropping everything is rare and only costs re-reads.
		clear(c.byID)
	}
	c.byID[key] = rev
	c.mu.Unlock()
	return rev, nil
}

// Origins returns the origins allowed to post consents for a site. They are
// read from the current registry, not the published revision: they are an
// access setting visitors never see, so a change applies without publishing.
func (c *revisionCache) Origins(ctx context.Context, site string) ([]string, error) {
	c.mu.Lock()
	e, ok := c.origins[site]
	c.mu.Unlock()
	if ok && time.Since(e.fetched) < c.ttl {
		return e.origins, nil
	}
	s, err := c.st.Site(ctx, site)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.origins[site] = cachedOrigins{origins: s.Origins, fetched: time.Now()}
	c.mu.Unlock()
	return s.Origins, nil
}

// Forget drops what is cached for a site, after a publish on this node.
func (c *revisionCache) Forget(site string) {
	c.mu.Lock()
	delete(c.current, site)
	delete(c.origins, site)
	c.mu.Unlock()
}
