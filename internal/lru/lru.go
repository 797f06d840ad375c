// Package lru is a cache bounded by bytes that drops the least recently
// used entries first. charte's caches hold what it rendered per site,
// revision and language; with thousands of sites they must stay within a
// budget instead of growing with sites × languages, and dropping everything
// at a count (as they did) made every site cold at once.
package lru

import (
	"container/list"
	"sync"
)

// Cache maps keys to values within MaxBytes, by the size each entry is
// given when added. It is safe for concurrent use.
type Cache[K comparable, V any] struct {
	max int64

	mu    sync.Mutex
	bytes int64
	order *list.List // front: most recently used
	items map[K]*list.Element
	drops int64
}

type entry[K comparable, V any] struct {
	key  K
	val  V
	size int64
}

// New returns a cache holding at most maxBytes (at least one entry: a value
// larger than the budget is kept alone until the next Add).
func New[K comparable, V any](maxBytes int64) *Cache[K, V] {
	return &Cache[K, V]{max: maxBytes, order: list.New(), items: map[K]*list.Element{}}
}

// Get returns the value of key and marks it as just used.
func (c *Cache[K, V]) Get(key K) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[key]; ok {
		c.order.MoveToFront(e)
		return e.Value.(*entry[K, V]).val, true
	}
	var zero V
	return zero, false
}

// Add stores val under key as size bytes, replacing what key held, then
// drops the least recently used entries until the cache fits its budget.
func (c *Cache[K, V]) Add(key K, val V, size int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[key]; ok {
		old := e.Value.(*entry[K, V])
		c.bytes += size - old.size
		old.val, old.size = val, size
		c.order.MoveToFront(e)
	} else {
		c.items[key] = c.order.PushFront(&entry[K, V]{key: key, val: val, size: size})
		c.bytes += size
	}
	for c.bytes > c.max && c.order.Len() > 1 {
		last := c.order.Back()
		old := last.Value.(*entry[K, V])
		c.order.Remove(last)
		delete(c.items, old.key)
		c.bytes -= old.size
		c.drops++
	}
}

// Remove drops key.
func (c *Cache[K, V]) Remove(key K) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[key]; ok {
		c.order.Remove(e)
		delete(c.items, key)
		c.bytes -= e.Value.(*entry[K, V]).size
	}
}

// Stats are a cache's entries, bytes and how many entries it dropped to
// stay in its budget.
type Stats struct {
	Entries      int
	Bytes, Drops int64
}

// Stats returns the cache's figures now.
func (c *Cache[K, V]) Stats() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	return Stats{Entries: c.order.Len(), Bytes: c.bytes, Drops: c.drops}
}

// Clear drops every entry.
func (c *Cache[K, V]) Clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.order.Init()
	clear(c.items)
	c.bytes = 0
}
