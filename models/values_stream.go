package models

import (
	"database/sql"
	"fmt"
	"strconv"
)

// EachValue streams, for the export files, the observations (breakdowns
// false) or the breakdown values (true) of the given indicators and units
// (all when empty) between two periods (either may be empty), in the order
// of the unique index: indicator, unit, period (and breakdown). It reads
// only what the files write (indicator and unit ids, period, breakdown,
// value, note, source, demo), not the row's id, year or times: parsing two
// timestamps a row was a good part of a city's export. One Observation is
// reused from row to row, so each must not keep it.
func (s *Store) EachValue(indicatorIDs, unitIDs []uint, from, to string, breakdowns bool, each func(*Observation) error) error {
	return s.streamValues(indicatorIDs, unitIDs, from, to, breakdowns, false, each)
}

// streamValues is EachValue, reading the ids, years and times as well when
// full is set.
func (s *Store) streamValues(indicatorIDs, unitIDs []uint, from, to string, breakdowns, full bool, each func(*Observation) error) error {
	q, what := s.db.Model(&Observation{}), "observations"
	cols, order := "indicator_id, unit_id, period, value, note, source, demo", "indicator_id, unit_id, period"
	if breakdowns {
		q, what = s.db.Model(&BreakdownValue{}), "breakdown values"
		cols, order = cols+", breakdown", order+", breakdown"
	}
	if full {
		cols += ", id, year, created_at, updated_at"
	}
	if len(indicatorIDs) > 0 {
		q = q.Where("indicator_id IN ?", indicatorIDs)
	}
	if len(unitIDs) > 0 {
		q = q.Where("unit_id IN ?", unitIDs)
	}
	// Periods start with their four-digit year, so the years of from and to
	// bound them as strings: the database seeks in the unique index instead
	// of sending every row (the overview's "not reported" line reads one
	// quarter of a whole city). The exact bounds are applied below.
	if p, err := ParsePeriod(from); err == nil {
		q = q.Where("period >= ?", strconv.Itoa(p.Year))
	}
	if p, err := ParsePeriod(to); err == nil {
		q = q.Where("period < ?", strconv.Itoa(p.Year+1))
	}
	// The order follows the unique index, so the database streams rows
	// without sorting.
	rows, err := q.Select(cols).Order(order).Rows()
	if err != nil {
		return fmt.Errorf("store: unable to fetch %s: %w", what, err)
	}
	defer rows.Close()
	lo, hi := periodBound(from, false), periodBound(to, true)
	filter := from != "" || to != ""
	// Scanned by hand into reused variables, not through GORM's reflection
	// (18 µs a row): numbers and booleans into interfaces, which
	// database/sql fills without reflection, strings as they come.
	var o Observation
	var ind, unit, value, demo, id, year any
	var created, updated sql.NullTime
	dest := []any{&ind, &unit, &o.Period, &value, &o.Note, &o.Source, &demo}
	if breakdowns {
		dest = append(dest, &o.Breakdown)
	}
	if full {
		dest = append(dest, &id, &year, &created, &updated)
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return fmt.Errorf("store: unable to read %s: %w", what, err)
		}
		o.IndicatorID, o.UnitID, o.Value, o.Demo = uint(asInt(ind)), uint(asInt(unit)), asFloat(value), asBool(demo)
		if full {
			o.ID, o.Year, o.CreatedAt, o.UpdatedAt = uint(asInt(id)), int(asInt(year)), created.Time, updated.Time
		}
		if filter {
			if p, err := ParsePeriod(o.Period); err == nil && (periodKey(p) < lo || periodKey(p) > hi) {
				continue
			}
		}
		if err := each(&o); err != nil {
			return err
		}
	}
	return rows.Err()
}

// asInt, asFloat and asBool read a number or a boolean as the drivers give
// them: SQLite and PostgreSQL give int64, float64 and bool; SQLite may give
// an integer for a REAL or a BOOLEAN; text is read as a last resort.
func asInt(v any) int64 {
	switch n := v.(type) {
	case int64:
		return n
	case float64:
		return int64(n)
	}
	return int64(asFloat(v))
}

func asFloat(v any) float64 {
	switch n := v.(type) {
	case float64:
		return n
	case int64:
		return float64(n)
	case bool:
		if n {
			return 1
		}
		return 0
	case string:
		f, _ := strconv.ParseFloat(n, 64)
		return f
	case []byte:
		f, _ := strconv.ParseFloat(string(n), 64)
		return f
	}
	return 0
}

func asBool(v any) bool {
	if b, ok := v.(bool); ok {
		return b
	}
	if s, ok := v.(string); ok {
		b, _ := strconv.ParseBool(s)
		return b
	}
	return asFloat(v) != 0
}
