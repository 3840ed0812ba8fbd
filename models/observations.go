package models

import "fmt"

// UnitObservations returns every observation of one unit, keyed by indicator.
// A city has thousands (150 indicators × 64 quarters), so rows are scanned by
// hand rather than through reflection: this is the hot read of a page.
// With indicator ids given, only those indicators are read.
func (s *Store) UnitObservations(unitID uint, only ...uint) (map[uint][]Observation, error) {
	return s.unitObservations(unitID, false, only)
}

// observationColumns are read by UnitObservations; valueColumns are enough
// for an assessment (no note, source or timestamps: three times faster).
const (
	observationColumns = "id, indicator_id, unit_id, period, year, value, demo, note, source, created_at, updated_at"
	valueColumns       = "id, indicator_id, unit_id, period, year, value, demo"
)

func (s *Store) unitObservations(unitID uint, valuesOnly bool, only []uint) (map[uint][]Observation, error) {
	where, args := "unit_id = ?", []any{unitID}
	if len(only) > 0 {
		where, args = where+" AND indicator_id IN ?", append(args, only)
	}
	cols := observationColumns
	if valuesOnly {
		cols = valueColumns
	}
	rows, err := s.db.Raw(`SELECT `+cols+` FROM observations WHERE `+where+` ORDER BY indicator_id, period`, args...).Rows()
	if err != nil {
		return nil, fmt.Errorf("store: unable to fetch observations: %w", err)
	}
	defer rows.Close()
	byIndicator := map[uint][]Observation{}
	var current []Observation
	for rows.Next() {
		var o Observation
		dest := []any{&o.ID, &o.IndicatorID, &o.UnitID, &o.Period, &o.Year, &o.Value, &o.Demo}
		if !valuesOnly {
			dest = append(dest, &o.Note, &o.Source, &o.CreatedAt, &o.UpdatedAt)
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("store: unable to read observations: %w", err)
		}
		if len(current) > 0 && current[0].IndicatorID != o.IndicatorID {
			byIndicator[current[0].IndicatorID] = current
			current = nil
		}
		current = append(current, o)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: unable to read observations: %w", err)
	}
	if len(current) > 0 {
		byIndicator[current[0].IndicatorID] = current
	}
	for id := range byIndicator {
		SortObservations(byIndicator[id])
	}
	return byIndicator, nil
}

// IndicatorObservations returns the observations of one indicator, with
// their units, oldest period first.
func (s *Store) IndicatorObservations(indicatorID uint) ([]Observation, error) {
	var obs []Observation
	if err := s.db.Preload("Unit").Where("indicator_id = ?", indicatorID).Find(&obs).Error; err != nil {
		return nil, fmt.Errorf("store: unable to fetch observations: %w", err)
	}
	SortObservations(obs)
	return obs, nil
}
