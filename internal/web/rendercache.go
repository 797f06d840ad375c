package web

import "github.com/charte/charte/internal/lru"

// renderCache keeps bodies rendered from immutable revisions (the charter
// page per language, the registry JSON), so serving them again costs a map
// lookup instead of a template run. Keys name the revision, so a publish
// never serves a stale body. It is bounded by bytes, least recently used
// first: with thousands of sites × languages, the pages read most stay and
// the others are rendered again when asked (dropping everything at a count
// of entries, as before, made every site cold at once).
type renderCache struct {
	c *lru.Cache[string, []byte]
}

// renderBytes is the render cache's budget.
const renderBytes = 32 << 20

func newRenderCache(maxBytes int64) *renderCache {
	return &renderCache{c: lru.New[string, []byte](maxBytes)}
}

// get returns the body for key, rendering it once with render.
func (c *renderCache) get(key string, render func() ([]byte, error)) ([]byte, error) {
	if b, ok := c.c.Get(key); ok {
		return b, nil
	}
	b, err := render()
	if err != nil {
		return nil, err
	}
	c.c.Add(key, b, int64(len(b)+len(key)+64))
	return b, nil
}
