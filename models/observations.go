package models

import "fmt"

// UnitObservations returns every observation of one unit, keyed by indicator.
// A city has thousands (150 indicators × 64 quarters), so rows are scanned by
// hand rather than through reflection: this is the hot read of a page.
func (s *Store) UnitObservations(unitID uint) (map[uint][]Observation, error) {
	rows, err := s.db.Raw(`SELECT id, indicator_id, unit_id, period, year, value, note, source, demo, created_at, updated_at
		FROM observations WHERE unit_id = ? ORDER BY indicator_id`, unitID).Rows()
	if err != nil {
		return nil, fmt.Errorf("store: unable to fetch observations: %w", err)
	}
	defer rows.Close()
	byIndicator := map[uint][]Observation{}
	var current []Observation
	for rows.Next() {
		var o Observation
		if err := rows.Scan(&o.ID, &o.IndicatorID, &o.UnitID, &o.Period, &o.Year, &o.Value, &o.Note, &o.Source,
			&o.Demo, &o.CreatedAt, &o.UpdatedAt); err != nil {
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
