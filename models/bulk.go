package models

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// InTx runs fn in one transaction: everything it writes commits or rolls
// back together.
func (s *Store) InTx(fn func(tx *gorm.DB) error) error { return s.db.Transaction(fn) }

// obsBatch is how many observations go into one INSERT: 500 rows × 10
// columns stays far below SQLite's and PostgreSQL's parameter limits.
const obsBatch = 500

// UpsertObservations writes observations keyed by (indicator, unit, period)
// with multi-row INSERT … ON CONFLICT statements inside tx: a new key is
// inserted, an existing one gets the new value, note and source. Both
// SQLite and PostgreSQL spell this the same way. The statement for a full
// batch is prepared once and run straight on the transaction's connection,
// past GORM's per-call SQL building, as this is the hot path of imports.
func UpsertObservations(tx *gorm.DB, obs []Observation, now time.Time) error {
	const cols = 10
	ctx := context.Background()
	var full *sql.Stmt
	// The timestamp is formatted once, not once per row by the driver.
	var stamp any = now
	if !IsPostgres(tx) {
		stamp = now.UTC().Format("2006-01-02 15:04:05.999999999-07:00")
	}
	args := make([]any, 0, obsBatch*cols)
	for start := 0; start < len(obs); start += obsBatch {
		end := min(start+obsBatch, len(obs))
		args = args[:0]
		for _, o := range obs[start:end] {
			args = append(args, o.IndicatorID, o.UnitID, o.Period, o.Year, o.Value, o.Note, o.Source, o.Demo, stamp, stamp)
		}
		var err error
		if end-start == obsBatch {
			if full == nil {
				if full, err = tx.Statement.ConnPool.PrepareContext(ctx, upsertSQL(obsBatch, IsPostgres(tx))); err != nil {
					return fmt.Errorf("store: unable to prepare observations: %w", err)
				}
				defer full.Close()
			}
			_, err = full.ExecContext(ctx, args...)
		} else {
			_, err = tx.Statement.ConnPool.ExecContext(ctx, upsertSQL(end-start, IsPostgres(tx)), args...)
		}
		if err != nil {
			return fmt.Errorf("store: unable to write observations: %w", err)
		}
	}
	return nil
}

// upsertSQL is the INSERT … ON CONFLICT of n observations, with PostgreSQL's
// numbered placeholders where needed.
func upsertSQL(n int, numbered bool) string {
	var b strings.Builder
	b.WriteString(`INSERT INTO observations (indicator_id, unit_id, period, year, value, note, source, demo, created_at, updated_at) VALUES `)
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('(')
		for j := 0; j < 10; j++ {
			if j > 0 {
				b.WriteByte(',')
			}
			if numbered {
				fmt.Fprintf(&b, "$%d", i*10+j+1)
			} else {
				b.WriteByte('?')
			}
		}
		b.WriteByte(')')
	}
	b.WriteString(` ON CONFLICT (indicator_id, unit_id, period) DO UPDATE SET value = excluded.value,
		note = excluded.note, source = excluded.source, demo = excluded.demo, updated_at = excluded.updated_at`)
	return b.String()
}

// ReviseTarget stores t as the current target of its indicator, unit and
// year inside tx: a current revision that differs is superseded, and t
// becomes the next revision.
func ReviseTarget(tx *gorm.DB, t Target, previous *Target, now time.Time) error {
	t.ID, t.Revision, t.CreatedAt, t.SupersededAt = 0, 1, now, nil
	if previous != nil {
		if err := tx.Model(&Target{}).Where("id = ?", previous.ID).Update("superseded_at", now).Error; err != nil {
			return fmt.Errorf("store: unable to supersede target: %w", err)
		}
		t.Revision = previous.Revision + 1
	}
	if err := tx.Omit("Indicator", "Unit").Create(&t).Error; err != nil {
		return fmt.Errorf("store: unable to write target: %w", err)
	}
	return nil
}

// EachObservation streams the observations of the given indicators (all when
// empty) in the given units (all when empty), between two periods (either
// may be empty), ordered by indicator, unit and period. each is called for
// every row so large exports never hold all of them.
func (s *Store) EachObservation(indicatorIDs, unitIDs []uint, from, to string, each func(Observation) error) error {
	q := s.db.Model(&Observation{})
	if len(indicatorIDs) > 0 {
		q = q.Where("indicator_id IN ?", indicatorIDs)
	}
	if len(unitIDs) > 0 {
		q = q.Where("unit_id IN ?", unitIDs)
	}
	// The order follows the unique index (indicator, unit, period), so the
	// database streams rows without sorting; periods start with their year.
	rows, err := q.Select("id, indicator_id, unit_id, period, year, value, note, source, demo, created_at, updated_at").
		Order("indicator_id, unit_id, period").Rows()
	if err != nil {
		return fmt.Errorf("store: unable to fetch observations: %w", err)
	}
	defer rows.Close()
	lo, hi := periodBound(from, false), periodBound(to, true)
	filter := from != "" || to != ""
	for rows.Next() {
		// Scanning by hand, not through GORM's reflection: exports read
		// millions of rows.
		var o Observation
		var created, updated sql.NullTime
		if err := rows.Scan(&o.ID, &o.IndicatorID, &o.UnitID, &o.Period, &o.Year, &o.Value, &o.Note, &o.Source, &o.Demo, &created, &updated); err != nil {
			return fmt.Errorf("store: unable to read observation: %w", err)
		}
		o.CreatedAt, o.UpdatedAt = created.Time, updated.Time
		if filter {
			if p, err := ParsePeriod(o.Period); err == nil && (periodKey(p) < lo || periodKey(p) > hi) {
				continue
			}
		}
		if err := each(o); err != nil {
			return err
		}
	}
	return rows.Err()
}

// CountObservations counts the observations of the given indicators and
// units (all when empty), for a progress bar.
func (s *Store) CountObservations(indicatorIDs, unitIDs []uint) (int64, error) {
	q := s.db.Model(&Observation{})
	if len(indicatorIDs) > 0 {
		q = q.Where("indicator_id IN ?", indicatorIDs)
	}
	if len(unitIDs) > 0 {
		q = q.Where("unit_id IN ?", unitIDs)
	}
	var n int64
	if err := q.Count(&n).Error; err != nil {
		return 0, fmt.Errorf("store: unable to count observations: %w", err)
	}
	return n, nil
}

// TargetsOf returns the current targets of the given indicators and units
// (all when empty).
func (s *Store) TargetsOf(indicatorIDs, unitIDs []uint) ([]Target, error) {
	var ts []Target
	err := s.EachTarget(indicatorIDs, unitIDs, func(t Target) error {
		ts = append(ts, t)
		return nil
	})
	return ts, err
}

// EachTarget streams the current targets of the given indicators and units
// (all when empty) from one cursor, ordered by indicator, unit and year.
func (s *Store) EachTarget(indicatorIDs, unitIDs []uint, each func(Target) error) error {
	q := s.db.Model(&Target{}).Where("superseded_at IS NULL")
	if len(indicatorIDs) > 0 {
		q = q.Where("indicator_id IN ?", indicatorIDs)
	}
	if len(unitIDs) > 0 {
		q = q.Where("unit_id IN ?", unitIDs)
	}
	rows, err := q.Order("indicator_id, unit_id, year").Rows()
	if err != nil {
		return fmt.Errorf("store: unable to fetch targets: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var t Target
		if err := s.db.ScanRows(rows, &t); err != nil {
			return fmt.Errorf("store: unable to read target: %w", err)
		}
		if err := each(t); err != nil {
			return err
		}
	}
	return rows.Err()
}

// Subtree returns the unit and every unit below it, the unit first.
func Subtree(units []Unit, rootID uint) []Unit {
	children := map[uint][]Unit{}
	var root *Unit
	for i, u := range units {
		if u.ID == rootID {
			root = &units[i]
		}
		if u.ParentID != nil {
			children[*u.ParentID] = append(children[*u.ParentID], u)
		}
	}
	if root == nil {
		return nil
	}
	// Each unit once: a cycle in the parent links (stored before imports
	// were checked) must not grow the list for ever.
	out := []Unit{*root}
	seen := map[uint]bool{root.ID: true}
	for i := 0; i < len(out); i++ {
		for _, c := range children[out[i].ID] {
			if !seen[c.ID] {
				seen[c.ID] = true
				out = append(out, c)
			}
		}
	}
	return out
}

// periodKey orders periods of any frequency: year, then last month covered.
func periodKey(p Period) int { return p.Year*100 + p.EndMonth() }

// periodBound turns a bound written as a period into a key; an empty or bad
// bound is open. A lower bound year means from its first month.
func periodBound(s string, upper bool) int {
	p, err := ParsePeriod(s)
	switch {
	case err != nil && upper:
		return 1 << 30
	case err != nil:
		return 0
	case !upper && p.Frequency() == FrequencyYear:
		return p.Year*100 + 1
	}
	return periodKey(p)
}
