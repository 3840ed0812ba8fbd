// Package models holds the domain types of Tiến độ, the Store that reads and
// writes them, and the pure progress-assessment logic, one file per table or
// concept: units.go (with the tree, scope and successions), pillars.go,
// indicators.go, targets.go (revisions, inheritance), observations.go (reads,
// writes, streaming; observations_bulk.go the bulk writes of imports),
// audit.go, db.go and migrate.go (dialects, the migrations: the schema's one
// source). assessment.go is the pure assessment of one series, progress.go
// a row of progress, rollup.go roll-ups from children, assessments.go the
// stored assessments kept current by every write, and engine.go the Store's
// reading of a unit's rows, cached until a change.
package models

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"
)

// Ways a write treats what is already stored.
const (
	ExpectAny      = iota // create or change
	ExpectNew             // refuse if it exists
	ExpectExisting        // refuse if it does not
)

// ErrNotFound is returned when a code names nothing stored.
var ErrNotFound = errors.New("not found")

// Store holds every query of the application.
type Store struct {
	db       *gorm.DB
	now      func() time.Time
	progress *Cache[progressKey, []Progress]
	// unreported keeps the overview's "not reported" answers.
	unreported *Cache[unreportedKey, unreportedParts]
	// The definitions every page reads, kept until they change.
	indicators *Cache[struct{}, []Indicator]
	units      *Cache[struct{}, []Unit]
	changes    changeLog
	tokens     TokenPolicy
	assessed   assessState
	// maxBreakdowns caps the distinct breakdowns of one indicator.
	maxBreakdowns int
}

// NewStore returns a Store on db.
func NewStore(db *gorm.DB) *Store {
	s := &Store{db: db, now: time.Now, progress: NewPatchCache[progressKey, []Progress](progressCacheSize),
		unreported: NewPatchCache[unreportedKey, unreportedParts](unreportedCacheSize),
		indicators: NewCache[struct{}, []Indicator](1), units: NewCache[struct{}, []Unit](1), tokens: DefaultTokenPolicy}
	Track(s, s.progress)
	Track(s, s.unreported)
	Track(s, s.indicators)
	Track(s, s.units)
	return s
}

// definitions reads a list of definitions (Deps.Definitions) through its
// cache; each caller gets its own copy of the list.
func definitions[V any](s *Store, c *Cache[struct{}, []V], read func() ([]V, error)) ([]V, error) {
	since, err := s.Sync()
	if err != nil {
		return nil, err
	}
	list, err := c.Build(struct{}{}, since, "", func([]V, map[uint]bool) ([]V, Deps, bool, error) {
		list, err := read()
		return list, Deps{Definitions: true}, err == nil, err
	})
	return slices.Clone(list), err
}

// DB exposes the connection for set-up code (seeding, tests).
func (s *Store) DB() *gorm.DB { return s.db }

// Now is the store's clock; tests may fix it with SetClock.
func (s *Store) Now() time.Time { return s.now() }

// SetClock replaces the store's clock.
func (s *Store) SetClock(now func() time.Time) { s.now = now }

// Ping checks that the database answers.
func (s *Store) Ping() error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	return sqlDB.Ping()
}

func notFound(err error) error {
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return ErrNotFound
	}
	return err
}

// InTx runs fn in one transaction: everything it writes commits or rolls
// back together. Its statements run straight on the transaction (see
// unprepared): an import writes millions of rows in it.
func (s *Store) InTx(fn func(tx *gorm.DB) error) error {
	return s.db.Transaction(func(tx *gorm.DB) error { return fn(unprepared(tx)) })
}

// CodeIDs maps the codes of a table (units, pillars, indicators) to ids,
// as the transaction tx sees them.
func CodeIDs(tx *gorm.DB, model any) (map[string]uint, error) {
	var rows []struct {
		ID   uint
		Code string
	}
	if err := tx.Model(model).Select("id, code").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("store: unable to read codes: %w", err)
	}
	m := make(map[string]uint, len(rows))
	for _, r := range rows {
		m[r.Code] = r.ID
	}
	return m, nil
}
