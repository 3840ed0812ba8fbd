package models

import (
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
	var o Observation
	n := 7
	if breakdowns {
		n++
	}
	full0 := n
	if full {
		n += 4
	}
	sc := newScanner(n)
	for rows.Next() {
		if err := sc.scan(rows); err != nil {
			return fmt.Errorf("store: unable to read %s: %w", what, err)
		}
		o.IndicatorID, o.UnitID, o.Period, o.Value = sc.uint(0), sc.uint(1), sc.string(2), sc.float(3)
		o.Note, o.Source, o.Demo = sc.string(4), sc.string(5), sc.bool(6)
		if breakdowns {
			o.Breakdown = sc.string(7)
		}
		if full {
			o.ID, o.Year, o.CreatedAt, o.UpdatedAt = sc.uint(full0), sc.int(full0+1), sc.time(full0+2), sc.time(full0+3)
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
