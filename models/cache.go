package models

import (
	"maps"
	"sync"

	"golang.org/x/sync/singleflight"
)

// Deps names what a stored answer was built from: the units whose data it
// read (the unit asked for; its ancestors' targets and its subtree's values
// are covered by how a change spreads, see Store.affected) and the
// indicators whose other units it shows. An answer with no deps at all
// depends on everything and goes at any change.
type Deps struct {
	Units      []uint
	Indicators []uint
	// Definitions: built from definitions only (indicators, pillars, the
	// unit tree and each unit's own fields); the answer goes only when
	// everything changes or a unit itself does (not at a value's change).
	Definitions bool
}

// invalidation is one change as caches apply it: every entry that depends
// on one of units or indicators goes, or every entry when all is set. In a
// cache that patches (NewPatchCache), an entry of a unit in units is only
// marked as needing the rows of indicators again, unless its unit is also
// in wholeUnits (a change of every indicator of a unit).
type invalidation struct {
	seq        int64
	all        bool
	units      map[uint]bool
	wholeUnits map[uint]bool
	indicators map[uint]bool
}

// Cache keeps answers until a change touches what they were built from, in
// this app instance or, through the change log, in another one sharing the
// database. It holds at most max entries; past that an arbitrary entry makes
// room (the working set of a dashboard is small: the units people look at,
// at one or two milestones). Build runs a missing answer's computation once
// however many callers ask for it at the same time.
type Cache[K comparable, V any] struct {
	mu      sync.Mutex
	max     int
	entries map[K]cacheEntry[V]
	// When a unit, an indicator or everything was last invalidated: an
	// answer built from data read before that is not stored.
	unitSeq, indSeq map[uint]int64
	allSeq          int64
	wholeUnitSeq    int64 // a unit itself last changed
	flight          singleflight.Group
	patch           bool
}

type cacheEntry[V any] struct {
	v    V
	deps Deps
	// dirty are the indicators whose part of v is out of date (patching
	// caches only); nil when v is current.
	dirty map[uint]bool
}

// NewCache returns an empty cache of at most max entries; the store's
// changes reach it once it is registered with Store.Track.
func NewCache[K comparable, V any](max int) *Cache[K, V] {
	return &Cache[K, V]{max: max, entries: map[K]cacheEntry[V]{}, unitSeq: map[uint]int64{}, indSeq: map[uint]int64{}}
}

// NewPatchCache is NewCache for values made of one part per indicator (a
// unit's progress rows): a change of some indicators keeps the entry and
// Build recomputes only those parts.
func NewPatchCache[K comparable, V any](max int) *Cache[K, V] {
	c := NewCache[K, V](max)
	c.patch = true
	return c
}

// Get returns the value stored under key, if it is current.
func (c *Cache[K, V]) Get(key K) (V, bool) {
	e, ok := c.lookup(key)
	return e.v, ok && e.dirty == nil
}

func (c *Cache[K, V]) lookup(key K) (cacheEntry[V], bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if ok && e.dirty != nil {
		e.dirty = maps.Clone(e.dirty)
	}
	return e, ok
}

// Put stores v, built from data read after the store's change sequence was
// at since (Store.Seen). A change to its deps applied after since drops it:
// it may have been built from data that changed while it was computed.
func (c *Cache[K, V]) Put(key K, v V, deps Deps, since int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stale(deps, since) {
		return
	}
	if _, ok := c.entries[key]; !ok && len(c.entries) >= c.max {
		for k := range c.entries {
			delete(c.entries, k)
			break
		}
	}
	c.entries[key] = cacheEntry[V]{v: v, deps: deps}
}

func (c *Cache[K, V]) stale(deps Deps, since int64) bool {
	if c.allSeq > since {
		return true
	}
	if deps.Definitions {
		return c.wholeUnitSeq > since
	}
	if len(deps.Units) == 0 && len(deps.Indicators) == 0 {
		for _, seq := range c.unitSeq {
			if seq > since {
				return true
			}
		}
		for _, seq := range c.indSeq {
			if seq > since {
				return true
			}
		}
		return false
	}
	for _, u := range deps.Units {
		if c.unitSeq[u] > since {
			return true
		}
	}
	for _, i := range deps.Indicators {
		if c.indSeq[i] > since {
			return true
		}
	}
	return false
}

// Build returns the value under key, computing it with build when missing
// or out of date; callers asking for the same key meanwhile wait for that
// one computation. build gets the stored value and the indicators whose
// part of it is out of date (nil: compute everything) and returns the
// value, what it depends on, and whether it may be stored.
func (c *Cache[K, V]) Build(key K, since int64, flightKey string, build func(old V, dirty map[uint]bool) (V, Deps, bool, error)) (V, error) {
	if v, ok := c.Get(key); ok {
		return v, nil
	}
	v, err, _ := c.flight.Do(flightKey, func() (any, error) {
		e, ok := c.lookup(key)
		if ok && e.dirty == nil {
			return e.v, nil
		}
		v, deps, keep, err := build(e.v, e.dirty)
		if err == nil && keep {
			c.Put(key, v, deps, since)
		}
		return v, err
	})
	if err != nil {
		var zero V
		return zero, err
	}
	return v.(V), nil
}

func (c *Cache[K, V]) invalidate(inv invalidation) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if inv.all {
		c.allSeq = inv.seq
		c.entries = map[K]cacheEntry[V]{}
		return
	}
	for u := range inv.units {
		c.unitSeq[u] = inv.seq
	}
	for i := range inv.indicators {
		c.indSeq[i] = inv.seq
	}
	if len(inv.wholeUnits) > 0 {
		c.wholeUnitSeq = inv.seq
	}
	for k, e := range c.entries {
		switch {
		case !e.touchedBy(inv):
		case c.patch && len(e.deps.Indicators) == 0 && len(inv.indicators) > 0 && !e.wholeUnitTouched(inv):
			if e.dirty == nil {
				e.dirty = map[uint]bool{}
			}
			for i := range inv.indicators {
				e.dirty[i] = true
			}
			c.entries[k] = e
		default:
			delete(c.entries, k)
		}
	}
}

func (e cacheEntry[V]) touchedBy(inv invalidation) bool {
	if e.deps.Definitions {
		return len(inv.wholeUnits) > 0
	}
	if len(e.deps.Units) == 0 && len(e.deps.Indicators) == 0 {
		return true
	}
	for _, u := range e.deps.Units {
		if inv.units[u] {
			return true
		}
	}
	for _, i := range e.deps.Indicators {
		if inv.indicators[i] {
			return true
		}
	}
	return false
}

func (e cacheEntry[V]) wholeUnitTouched(inv invalidation) bool {
	for _, u := range e.deps.Units {
		if inv.wholeUnits[u] {
			return true
		}
	}
	return false
}
