package models

import "fmt"

// Units returns every unit, parents before children where codes allow.
func (s *Store) Units() ([]Unit, error) {
	var units []Unit
	if err := s.db.Preload("Parent").Order("id").Find(&units).Error; err != nil {
		return nil, fmt.Errorf("store: unable to fetch units: %w", err)
	}
	return units, nil
}

// UnitByCode returns the unit with that code.
func (s *Store) UnitByCode(code string) (*Unit, error) {
	var u Unit
	if err := s.db.Preload("Parent").Where("code = ?", code).First(&u).Error; err != nil {
		return nil, fmt.Errorf("store: unable to fetch unit %q: %w", code, notFound(err))
	}
	return &u, nil
}

// Children returns the units directly below parent.
func (s *Store) Children(parentID uint) ([]Unit, error) {
	var units []Unit
	if err := s.db.Where("parent_id = ?", parentID).Order("id").Find(&units).Error; err != nil {
		return nil, fmt.Errorf("store: unable to fetch children: %w", err)
	}
	return units, nil
}

// IndicatorUnits returns the units that have a target or a value of an
// indicator, by id.
func (s *Store) IndicatorUnits(indicatorID uint) ([]Unit, error) {
	var units []Unit
	err := s.db.Where("id IN (?) OR id IN (?)",
		s.db.Model(&Target{}).Select("unit_id").Where("indicator_id = ? AND superseded_at IS NULL", indicatorID),
		s.db.Model(&Observation{}).Select("unit_id").Where("indicator_id = ?", indicatorID),
	).Order("id").Find(&units).Error
	if err != nil {
		return nil, fmt.Errorf("store: unable to fetch units of indicator: %w", err)
	}
	return units, nil
}
