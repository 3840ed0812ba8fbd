package models

import "fmt"

// CurrentTargets returns the current revision of every target, with its
// indicator and unit, optionally limited to one indicator (0 for all).
func (s *Store) CurrentTargets(indicatorID uint) ([]Target, error) {
	q := s.db.Preload("Unit").Preload("Indicator").Where("superseded_at IS NULL")
	if indicatorID != 0 {
		q = q.Where("indicator_id = ?", indicatorID)
	}
	var targets []Target
	if err := q.Order("indicator_id, unit_id, year").Find(&targets).Error; err != nil {
		return nil, fmt.Errorf("store: unable to fetch targets: %w", err)
	}
	return targets, nil
}

// UnitTargets returns the current targets of one unit.
func (s *Store) UnitTargets(unitID uint) ([]Target, error) {
	var targets []Target
	err := s.db.Where("unit_id = ? AND superseded_at IS NULL", unitID).
		Order("indicator_id, year, id").Find(&targets).Error
	if err != nil {
		return nil, fmt.Errorf("store: unable to fetch targets: %w", err)
	}
	return targets, nil
}
