package models

import "fmt"

// UnitObservations returns every observation of one unit, keyed by indicator.
func (s *Store) UnitObservations(unitID uint) (map[uint][]Observation, error) {
	var obs []Observation
	if err := s.db.Where("unit_id = ?", unitID).Find(&obs).Error; err != nil {
		return nil, fmt.Errorf("store: unable to fetch observations: %w", err)
	}
	byIndicator := map[uint][]Observation{}
	for _, o := range obs {
		byIndicator[o.IndicatorID] = append(byIndicator[o.IndicatorID], o)
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
