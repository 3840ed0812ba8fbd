package models

import (
	"fmt"

	"gorm.io/gorm"
)

// Pillar groups indicators, e.g. digital government or digital economy.
type Pillar struct {
	ID       uint   `json:"-"`
	Code     string `json:"code"`
	NameVI   string `json:"name_vi"`
	NameEN   string `json:"name_en"`
	Position int    `gorm:"default:0" json:"position"`
}

// Pillars returns every pillar in display order.
func (s *Store) Pillars() ([]Pillar, error) {
	var pillars []Pillar
	if err := s.db.Order("position, id").Find(&pillars).Error; err != nil {
		return nil, fmt.Errorf("store: unable to fetch pillars: %w", err)
	}
	return pillars, nil
}

// CreatePillar adds a pillar after the others, audited. Its fields meet
// CheckPillar, the rule imports follow too, and its code is new.
func (s *Store) CreatePillar(actor Actor, pl Pillar) (*Pillar, error) {
	err := s.db.Transaction(func(tx *gorm.DB) error {
		p := CheckPillar(&pl)
		if _, bad := p["code"]; !bad {
			var n int64
			if err := tx.Model(&Pillar{}).Where("code = ?", pl.Code).Count(&n).Error; err != nil {
				return fmt.Errorf("store: unable to check pillar code: %w", err)
			}
			if n > 0 {
				p.Add("code", "error.duplicate_code", pl.Code)
			}
		}
		if err := p.Err(); err != nil {
			return err
		}
		var pos int
		if err := tx.Model(&Pillar{}).Select("COALESCE(MAX(position), 0)").Scan(&pos).Error; err != nil {
			return fmt.Errorf("store: unable to read pillar positions: %w", err)
		}
		pl.ID, pl.Position = 0, pos+1
		if err := tx.Create(&pl).Error; err != nil {
			return fmt.Errorf("store: unable to create pillar: %w", err)
		}
		return RecordAudit(tx, actor, "create", "pillar", pl.Code, nil,
			map[string]any{"code": pl.Code, "name_vi": pl.NameVI, "name_en": pl.NameEN})
	})
	if err != nil {
		return nil, err
	}
	s.DataChanged()
	return &pl, nil
}

// SavePillar writes a pillar in tx, created or replaced by its id (an
// import's definitions, checked by its preview); pl gets its id.
func SavePillar(tx *gorm.DB, pl *Pillar) error {
	if err := tx.Save(pl).Error; err != nil {
		return fmt.Errorf("store: unable to write pillar %s: %w", pl.Code, err)
	}
	return nil
}
