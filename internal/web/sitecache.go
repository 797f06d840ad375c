package web

import (
	"context"
	"encoding/json"
	"sync"
	"time"

	"github.com/charte/charte/internal/lru"
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
// how long another node's publish takes to show here when its notification
// does not arrive (sitenotify.go). The registries are held once, by
// (site, revision), within a budget of bytes, least recently used first, so
// thousands of sites fit in a fixed amount of memory; which revision is
// current is a small entry per site.
type revisionCache struct {
	st  revisionStore
	ttl time.Duration

	current *lru.Cache[string, cachedRevision]    // site → id of the revision published now
	byID    *lru.Cache[[2]string, store.Revision] // (site, revision) → immutable snapshot

	mu      sync.Mutex
	origins map[string]cachedOrigins // site → origins of the current registry (a few strings each)
}

// Budgets of the revision caches: a current entry is a site and a revision
// id; a revision's size is estimated from its registry's JSON
// (revisionSize).
const (
	currentBytes   = 4 << 20
	currentEntry   = 128
	revisionsBytes = 48 << 20
)

type cachedOrigins struct {
	origins []string
	fetched time.Time
}

type cachedRevision struct {
	id      string
	fetched time.Time
}

func newRevisionCache(st revisionStore, ttl time.Duration) *revisionCache {
	return &revisionCache{st: st, ttl: ttl, current: lru.New[string, cachedRevision](currentBytes),
		byID: lru.New[[2]string, store.Revision](revisionsBytes), origins: map[string]cachedOrigins{}}
}

// revisionSize estimates what a revision holds in memory: three times its
// registry's JSON (Go's strings, maps and slice headers around the text),
// measured once when it is cached.
func revisionSize(rev store.Revision) int64 {
	b, _ := json.Marshal(rev.Site)
	return int64(3*len(b) + 256)
}

// Published returns the revision visitors of site see now.
func (c *revisionCache) Published(ctx context.Context, site string) (store.Revision, error) {
	if e, ok := c.current.Get(site); ok && time.Since(e.fetched) < c.ttl {
		if rev, ok := c.byID.Get([2]string{site, e.id}); ok {
			return rev, nil
		}
	}
	rev, err := c.st.Published(ctx, site)
	if err != nil {
		return rev, err
	}
	c.current.Add(site, cachedRevision{id: rev.ID, fetched: time.Now()}, int64(currentEntry+len(site)))
	c.byID.Add([2]string{site, rev.ID}, rev, revisionSize(rev))
	return rev, nil
}

// Revision returns one published revision of a site, current or older.
func (c *revisionCache) Revision(ctx context.Context, site, id string) (store.Revision, error) {
	key := [2]string{site, id}
	if rev, ok := c.byID.Get(key); ok {
		return rev, nil
	}
	rev, err := c.st.Revision(ctx, site, id)
	if err != nil {
		return rev, err
	}
	c.byID.Add(key, rev, revisionSize(rev))
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
	c.current.Remove(site)
	c.mu.Lock()
	delete(c.origins, site)
	c.mu.Unlock()
}
