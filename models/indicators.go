package models

import "fmt"

// Indicators returns every indicator still in use, in display order.
func (s *Store) Indicators() ([]Indicator, error) {
	var inds []Indicator
	err := s.db.Joins("Pillar").Where("indicators.retired = ?", false).
		Order("\"Pillar\".position, indicators.position, indicators.id").Find(&inds).Error
	if err != nil {
		return nil, fmt.Errorf("store: unable to fetch indicators: %w", err)
	}
	return inds, nil
}

// IndicatorByCode returns the indicator with that code, retired or not.
func (s *Store) IndicatorByCode(code string) (*Indicator, error) {
	var ind Indicator
	if err := s.db.Joins("Pillar").Where("indicators.code = ?", code).First(&ind).Error; err != nil {
		return nil, fmt.Errorf("store: unable to fetch indicator %q: %w", code, notFound(err))
	}
	return &ind, nil
}
