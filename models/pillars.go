package models

import "fmt"

// Pillars returns every pillar in display order.
func (s *Store) Pillars() ([]Pillar, error) {
	var pillars []Pillar
	if err := s.db.Order("position, id").Find(&pillars).Error; err != nil {
		return nil, fmt.Errorf("store: unable to fetch pillars: %w", err)
	}
	return pillars, nil
}
