package models

import (
	"database/sql"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"
)

// Every write appends what it touched to the change log (migration 80): a
// unit and an indicator, or 0 for "every". Each app instance reads the rows
// it has not seen yet at the start of every request (Sync) and drops the
// stored answers that depend on them, so instances sharing one database see
// each other's writes on their next request without talking to each other,
// and a ward's value leaves the answers of other districts alone.

// Change names what one write touched; a zero field means every unit or
// every indicator (definitions, the unit tree, a bulk load).
type Change struct {
	Unit      uint
	Indicator uint
}

// changeLookback is how far below the newest change id seen an instance
// reads again on PostgreSQL: two writers may commit their change rows in
// the other order than their ids, and the later-committed lower id must
// not be missed. SQLite lets one writer in at a time, so ids commit in
// order and every request reads only what is new (most often nothing:
// this read comes with every request).
const changeLookback = 64

// changeKeep is how long change rows are kept; an instance that has not
// read the log for longer than changeForget drops every stored answer
// instead of trusting rows that may have been pruned.
const (
	changeKeep   = time.Hour
	changeForget = 30 * time.Minute
)

// changeLog is an instance's reading position in the change log.
type changeLog struct {
	mu       sync.Mutex
	started  bool
	lastID   int64
	lookback int64          // changeLookback on PostgreSQL, else 0
	applied  map[int64]bool // ids in the lookback window already applied
	synced   time.Time
	changed  time.Time // when the data last changed, for Last-Modified
	seq      int64     // local count of invalidations applied
	stmt     *sql.Stmt
	caches   []func(invalidation)
	tree     map[uint]*uint // unit → parent, loaded when a change needs it
	children map[uint][]uint
	writes   int
}

// Track registers a cache to be emptied of what each change touches.
func Track[K comparable, V any](s *Store, c *Cache[K, V]) {
	s.changes.mu.Lock()
	defer s.changes.mu.Unlock()
	s.changes.caches = append(s.changes.caches, c.invalidate)
}

// Sync applies the changes other instances (and this one) logged since the
// last call and returns the sequence number a computation starting now
// passes to Cache.Put.
func (s *Store) Sync() (int64, error) {
	seq, _, err := s.Version()
	return seq, err
}

// Version is Sync that also tells when the data last changed (for
// Last-Modified).
func (s *Store) Version() (int64, time.Time, error) {
	l := &s.changes
	l.mu.Lock()
	defer l.mu.Unlock()
	if err := s.syncLocked(); err != nil {
		return 0, time.Time{}, err
	}
	return l.seq, l.changed, nil
}

func (s *Store) syncLocked() error {
	l := &s.changes
	now := time.Now()
	first := !l.started
	if first {
		query := `SELECT id, unit_id, indicator_id, at FROM data_changes WHERE id > ? ORDER BY id`
		if IsPostgres(s.db) {
			query = strings.Replace(query, "?", "$1", 1)
		}
		sqlDB, err := s.db.DB()
		if err == nil {
			l.stmt, err = sqlDB.Prepare(query)
		}
		if err != nil {
			return fmt.Errorf("store: unable to read the change log: %w", err)
		}
		var last sql.NullInt64
		if err := s.db.Raw(`SELECT MAX(id) FROM data_changes`).Row().Scan(&last); err != nil {
			return fmt.Errorf("store: unable to read the change log: %w", err)
		}
		l.started, l.lastID, l.applied = true, last.Int64, map[int64]bool{}
		if IsPostgres(s.db) {
			l.lookback = changeLookback
		}
	} else if now.Sub(l.synced) > changeForget {
		l.applyLocked(s, []Change{{}})
	}
	// Read again from the lowest id of the window not seen yet: a writer
	// may still commit it. With none, only what is new.
	from := l.lastID
	for id := max(l.lastID-l.lookback, 0) + 1; id <= l.lastID; id++ {
		if !l.applied[id] {
			from = id - 1
			break
		}
	}
	rows, err := l.stmt.Query(from)
	if err != nil {
		return fmt.Errorf("store: unable to read the change log: %w", err)
	}
	defer rows.Close()
	var news []Change
	for rows.Next() {
		var id, at int64
		var c Change
		if err := rows.Scan(&id, &c.Unit, &c.Indicator, &at); err != nil {
			return fmt.Errorf("store: unable to read the change log: %w", err)
		}
		if t := time.UnixMilli(at).UTC(); t.After(l.changed) {
			l.changed = t
		}
		if l.applied[id] {
			continue
		}
		// At the first read the caches are empty: the window is only
		// remembered as applied.
		l.applied[id] = true
		if !first {
			news = append(news, c)
		}
		l.lastID = max(l.lastID, id)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: unable to read the change log: %w", err)
	}
	for id := range l.applied {
		if id <= l.lastID-l.lookback {
			delete(l.applied, id)
		}
	}
	l.synced = now
	if len(news) > 0 {
		l.applyLocked(s, news)
	}
	return nil
}

// applyLocked empties the registered caches of what changes touched: a
// unit's change reaches its ancestors (their roll-ups and children's
// counts) and its subtree (inherited targets, the parent shown beside).
func (l *changeLog) applyLocked(s *Store, changes []Change) {
	inv := invalidation{units: map[uint]bool{}, wholeUnits: map[uint]bool{}, indicators: map[uint]bool{}}
	for _, c := range changes {
		if c.Unit == 0 {
			inv.all = true
			break
		}
		if l.tree == nil {
			if err := l.loadTree(s); err != nil {
				slog.Error("unable to read the unit tree: every stored answer is dropped", "error", err)
				inv.all = true
				break
			}
		}
		if _, known := l.tree[c.Unit]; !known {
			inv.all = true
			break
		}
		l.spread(c.Unit, inv.units)
		if c.Indicator != 0 {
			inv.indicators[c.Indicator] = true
		} else {
			l.spread(c.Unit, inv.wholeUnits)
		}
	}
	if inv.all {
		// The unit tree itself may have changed, and a bulk load may have
		// left the stored assessments to build again.
		l.tree, l.children = nil, nil
		s.assessed.year.Store(0)
	}
	l.seq++
	inv.seq = l.seq
	for _, f := range l.caches {
		f(inv)
	}
}

func (l *changeLog) loadTree(s *Store) error {
	var rows []struct {
		ID       uint
		ParentID *uint
	}
	if err := s.db.Raw(`SELECT id, parent_id FROM units`).Scan(&rows).Error; err != nil {
		return err
	}
	l.tree, l.children = map[uint]*uint{}, map[uint][]uint{}
	for _, r := range rows {
		l.tree[r.ID] = r.ParentID
		if r.ParentID != nil {
			l.children[*r.ParentID] = append(l.children[*r.ParentID], r.ID)
		}
	}
	return nil
}

// spread adds unit, its ancestors and its descendants to into.
func (l *changeLog) spread(unit uint, into map[uint]bool) {
	into[unit] = true
	next := l.tree[unit]
	for i := 0; next != nil && i < maxDepth; i++ {
		into[*next] = true
		next = l.tree[*next]
	}
	var down func(u uint, depth int)
	down = func(u uint, depth int) {
		for _, c := range l.children[u] {
			if depth < maxDepth && !into[c] {
				into[c] = true
				down(c, depth+1)
			}
		}
	}
	down(unit, 0)
}

// DataChanged must be called after every committed write that can change an
// answer: the store's own write methods, imports, the demo loader. It logs
// what was touched (no change named: everything) for every instance, drops
// this instance's answers that depend on it, and evaluates the alert rules.
func (s *Store) DataChanged(changes ...Change) {
	s.announce(changes, true)
}

// announce is DataChanged; evaluate says whether alert rules look at the
// changes (not after the stored assessments were only built again).
func (s *Store) announce(changes []Change, evaluate bool) {
	if len(changes) == 0 {
		changes = []Change{{}}
	}
	changes = distinctChanges(changes)
	if err := s.logChanges(changes); err != nil {
		// The local caches are still emptied below; other instances would
		// only catch up when they forget (changeForget), so say it loudly.
		slog.Error("other app instances may serve stale answers", "error", err)
	}
	l := &s.changes
	l.mu.Lock()
	if l.started {
		if err := s.syncLocked(); err != nil {
			slog.Error("unable to read the change log", "error", err)
		}
	}
	// Applied here as well: the log may not be readable, and a reader of
	// this instance must never see the old answer after the write returns.
	l.applyLocked(s, changes)
	l.mu.Unlock()
	if evaluate {
		s.evaluateAfterWrite(changes)
	}
}

// changeRowsMax caps the rows one write logs: past it, "everything".
const changeRowsMax = 1000

func distinctChanges(changes []Change) []Change {
	seen := map[Change]bool{}
	var out []Change
	for _, c := range changes {
		if c.Unit == 0 {
			return []Change{{}}
		}
		if !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	if len(out) > changeRowsMax {
		return []Change{{}}
	}
	return out
}

// logChanges appends the change rows and, now and then, prunes old ones.
func (s *Store) logChanges(changes []Change) error {
	now := time.Now().UnixMilli()
	rows := make([]map[string]any, len(changes))
	for i, c := range changes {
		rows[i] = map[string]any{"unit_id": c.Unit, "indicator_id": c.Indicator, "at": now}
	}
	if err := s.db.Table("data_changes").CreateInBatches(rows, 200).Error; err != nil {
		return fmt.Errorf("store: unable to log the change: %w", err)
	}
	s.changes.mu.Lock()
	s.changes.writes++
	prune := s.changes.writes%500 == 1
	s.changes.mu.Unlock()
	if prune {
		cutoff := time.Now().Add(-changeKeep).UnixMilli()
		if err := s.db.Exec(`DELETE FROM data_changes WHERE at < ?`, cutoff).Error; err != nil {
			return fmt.Errorf("store: unable to prune the change log: %w", err)
		}
	}
	return nil
}
