package models

import "sync"

// Cache keeps values built at one data version. A lookup at another version
// empties it first, so a value is never served after the data it came from
// has changed, here or in another app instance. It holds at most max entries;
// past that an arbitrary entry makes room (the working set of a dashboard is
// small: the units people look at, at one or two milestones).
type Cache[K comparable, V any] struct {
	mu      sync.Mutex
	version int64
	max     int
	entries map[K]V
}

// NewCache returns an empty cache of at most max entries.
func NewCache[K comparable, V any](max int) *Cache[K, V] {
	return &Cache[K, V]{max: max, entries: map[K]V{}}
}

// Get returns the value stored under key at version.
func (c *Cache[K, V]) Get(version int64, key K) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if version > c.version {
		c.version, c.entries = version, map[K]V{}
	}
	if version != c.version {
		var zero V
		return zero, false
	}
	v, ok := c.entries[key]
	return v, ok
}

// Put stores a value built at version; a value built at an older version
// than the cache has seen since is dropped.
func (c *Cache[K, V]) Put(version int64, key K, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if version < c.version {
		return
	}
	if version > c.version {
		c.version, c.entries = version, map[K]V{}
	}
	if len(c.entries) >= c.max {
		for k := range c.entries {
			delete(c.entries, k)
			break
		}
	}
	c.entries[key] = v
}

func (c *Cache[K, V]) reset() {
	c.mu.Lock()
	c.entries = map[K]V{}
	c.mu.Unlock()
}

type progressKey struct {
	unit       uint
	milestone  int
	day        string
	valuesOnly bool // observations without notes, sources, timestamps
}

// progressCacheSize bounds the assessed units kept: a city's overview holds
// every indicator's full series, a few megabytes at 150 indicators.
const progressCacheSize = 64
