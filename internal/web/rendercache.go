package web

import "sync"

// renderCache keeps bodies rendered from immutable revisions (the charter
// page per language, the registry JSON), so serving them again costs a map
// lookup instead of a template run. Keys name the revision, so a publish
// never serves a stale body; the cache is simply dropped when it grows past
// max entries.
type renderCache struct {
	mu    sync.RWMutex
	max   int
	items map[string][]byte
}

func newRenderCache(max int) *renderCache {
	return &renderCache{max: max, items: map[string][]byte{}}
}

// get returns the body for key, rendering it once with render.
func (c *renderCache) get(key string, render func() ([]byte, error)) ([]byte, error) {
	c.mu.RLock()
	b, ok := c.items[key]
	c.mu.RUnlock()
	if ok {
		return b, nil
	}
	b, err := render()
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if len(c.items) >= c.max {
		clear(c.items)
	}
	c.items[key] = b
	c.mu.Unlock()
	return b, nil
}
