package models

import (
	"fmt"

	"gorm.io/gorm"
)

// indicatorAudit is what the audit log keeps of an indicator.
func indicatorAudit(ind Indicator, pillar string) map[string]any {
	m := map[string]any{"code": ind.Code, "name_vi": ind.NameVI, "name_en": ind.NameEN, "pillar": pillar,
		"measure": ind.Measure, "direction": ind.Direction, "limit": ind.Limit, "decimals": ind.Decimals,
		"frequency": ind.Frequency, "retired": ind.Retired, "due_days": ind.DueDays, "levels": ind.Levels,
		"rollup": ind.Rollup, "rollup_weight": ind.RollupWeight, "rollup_threshold": ind.RollupThreshold}
	for _, f := range ind.Fields() {
		m[f.Name] = *f.Value
	}
	return m
}

// ValidateIndicator checks an indicator before it is stored; oldCode is the
// code it is stored under ("" for a new one). It resolves the pillar's id.
func (s *Store) ValidateIndicator(ind *Indicator, pillar, oldCode string) Problems {
	return s.validateIndicator(s.db, ind, pillar, oldCode)
}

func (s *Store) validateIndicator(tx *gorm.DB, ind *Indicator, pillar, oldCode string) Problems {
	p := CheckIndicator(ind)
	if ind.Measure == "" {
		p.Add("measure", "error.required")
	}
	if _, bad := p["code"]; !bad && ind.Code != oldCode {
		var n int64
		tx.Model(&Indicator{}).Where("code = ?", ind.Code).Count(&n)
		if n > 0 {
			p.Add("code", "error.duplicate_code", ind.Code)
		}
	}
	var pl Pillar
	if pillar == "" {
		p.Add("pillar", "error.choose")
	} else if err := tx.Where("code = ?", pillar).First(&pl).Error; err != nil {
		p.Add("pillar", "error.unknown_pillar", pillar)
	} else {
		ind.PillarID = pl.ID
	}
	if ind.Rollup == RollupWeighted && ind.RollupWeight != "" && p["rollup_weight"].Key == "" {
		// The weight is another indicator (households for a poverty rate).
		var n int64
		tx.Model(&Indicator{}).Where("code = ? AND code <> ?", ind.RollupWeight, ind.Code).Count(&n)
		if n == 0 {
			p.Add("rollup_weight", "error.unknown_indicator", ind.RollupWeight)
		}
	}
	if oldCode != "" && p["frequency"].Key == "" {
		// Values already entered at another frequency would no longer fit.
		var n int64
		tx.Model(&Observation{}).Joins("JOIN indicators ON indicators.id = observations.indicator_id").
			Where("indicators.code = ? AND indicators.frequency <> ?", oldCode, ind.Frequency).Count(&n)
		if n > 0 {
			p.Add("frequency", "error.frequency_has_data", n)
		}
	}
	return p
}

// CreateIndicator stores a new indicator.
func (s *Store) CreateIndicator(actor Actor, ind Indicator, pillar string) (*Indicator, error) {
	err := s.db.Transaction(func(tx *gorm.DB) error {
		if err := s.validateIndicator(tx, &ind, pillar, "").Err(); err != nil {
			return err
		}
		var pos int
		tx.Model(&Indicator{}).Select("COALESCE(MAX(position), 0)").Scan(&pos)
		ind.ID, ind.Position = 0, pos+1
		if err := tx.Omit("Pillar").Create(&ind).Error; err != nil {
			return fmt.Errorf("store: unable to create indicator: %w", err)
		}
		return RecordAudit(tx, actor, "create", "indicator", ind.Code, nil, indicatorAudit(ind, pillar))
	})
	if err != nil {
		return nil, err
	}
	s.DataChanged()
	return &ind, nil
}

// UpdateIndicator changes the indicator stored under code (its code too).
func (s *Store) UpdateIndicator(actor Actor, code string, ind Indicator, pillar string) error {
	err := s.db.Transaction(func(tx *gorm.DB) error {
		var old Indicator
		if err := tx.Preload("Pillar").Where("code = ?", code).First(&old).Error; err != nil {
			return fmt.Errorf("store: unable to fetch indicator %q: %w", code, notFound(err))
		}
		if err := s.validateIndicator(tx, &ind, pillar, code).Err(); err != nil {
			return err
		}
		cols := map[string]any{
			"code": ind.Code, "name_vi": ind.NameVI, "name_en": ind.NameEN, "pillar_id": ind.PillarID,
			"measure": ind.Measure, "direction": ind.Direction, "limit": ind.Limit, "decimals": ind.Decimals,
			"frequency": ind.Frequency, "retired": ind.Retired, "due_days": ind.DueDays, "levels": ind.Levels,
			"rollup": ind.Rollup, "rollup_weight": ind.RollupWeight, "rollup_threshold": ind.RollupThreshold, "updated_at": s.now().UTC()}
		for _, f := range ind.Fields() {
			cols[f.Name] = *f.Value
		}
		names := make([]string, 0, len(cols))
		for k := range cols {
			names = append(names, k)
		}
		err := tx.Model(&old).Select(names).Updates(cols).Error
		if err != nil {
			return fmt.Errorf("store: unable to update indicator: %w", err)
		}
		return RecordAudit(tx, actor, "update", "indicator", ind.Code, indicatorAudit(old, old.Pillar.Code), indicatorAudit(ind, pillar))
	})
	if err != nil {
		return err
	}
	s.DataChanged()
	return nil
}

// RetireIndicator takes an indicator off the dashboards. Indicators are
// never deleted: their values and targets stay for the record.
func (s *Store) RetireIndicator(actor Actor, code string) error {
	err := s.db.Transaction(func(tx *gorm.DB) error {
		var ind Indicator
		if err := tx.Where("code = ?", code).First(&ind).Error; err != nil {
			return fmt.Errorf("store: unable to fetch indicator %q: %w", code, notFound(err))
		}
		if ind.Retired {
			return nil
		}
		if err := tx.Model(&ind).Updates(map[string]any{"retired": true, "updated_at": s.now().UTC()}).Error; err != nil {
			return fmt.Errorf("store: unable to retire indicator: %w", err)
		}
		return RecordAudit(tx, actor, "retire", "indicator", code, map[string]any{"retired": false}, map[string]any{"retired": true})
	})
	if err != nil {
		return err
	}
	s.DataChanged()
	return nil
}

// AllIndicators returns every indicator, retired ones last.
func (s *Store) AllIndicators() ([]Indicator, error) {
	var inds []Indicator
	err := s.db.Joins("Pillar").Order("indicators.retired, \"Pillar\".position, indicators.position, indicators.id").Find(&inds).Error
	if err != nil {
		return nil, fmt.Errorf("store: unable to fetch indicators: %w", err)
	}
	return inds, nil
}
