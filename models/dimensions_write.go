package models

import (
	"fmt"
	"slices"
	"strings"

	"gorm.io/gorm"
)

// checkDimensionNames trims and checks a dimension's or a value's code and
// names; "_T" is the total and never a stored code.
func checkDimensionNames(p Problems, code, vi, en *string) {
	*code, *vi, *en = strings.TrimSpace(*code), strings.TrimSpace(*vi), strings.TrimSpace(*en)
	CheckCode(p, "code", *code)
	for field, name := range map[string]string{"name_vi": *vi, "name_en": *en} {
		if name == "" {
			p.Add(field, "error.required")
		}
		CheckName(p, field, name)
	}
}

// CreateDimension stores a new dimension (without values).
func (s *Store) CreateDimension(actor Actor, d Dimension) (*Dimension, error) {
	p := Problems{}
	checkDimensionNames(p, &d.Code, &d.NameVI, &d.NameEN)
	err := s.db.Transaction(func(tx *gorm.DB) error {
		if _, bad := p["code"]; !bad {
			var n int64
			tx.Model(&Dimension{}).Where("UPPER(code) = ?", strings.ToUpper(d.Code)).Count(&n)
			if n > 0 {
				p.Add("code", "error.duplicate_code", d.Code)
			}
		}
		if err := p.Err(); err != nil {
			return err
		}
		var pos int
		tx.Model(&Dimension{}).Select("COALESCE(MAX(position), 0)").Scan(&pos)
		d.ID, d.Position, d.Values = 0, pos+1, nil
		if err := tx.Create(&d).Error; err != nil {
			return fmt.Errorf("store: unable to create dimension: %w", err)
		}
		return RecordAudit(tx, actor, "create", "dimension", d.Code, nil, map[string]any{"name_vi": d.NameVI, "name_en": d.NameEN})
	})
	if err != nil {
		return nil, err
	}
	s.DataChanged()
	return &d, nil
}

// CreateDimensionValue stores a new value of the dimension with code dim.
func (s *Store) CreateDimensionValue(actor Actor, dim string, v DimensionValue) (*DimensionValue, error) {
	p := Problems{}
	checkDimensionNames(p, &v.Code, &v.NameVI, &v.NameEN)
	if v.Code == BreakdownTotal {
		p.Add("code", "error.breakdown_total_code")
	}
	err := s.db.Transaction(func(tx *gorm.DB) error {
		var d Dimension
		if err := tx.Where("code = ?", dim).First(&d).Error; err != nil {
			return notFound(err)
		}
		if _, bad := p["code"]; !bad {
			var n int64
			tx.Model(&DimensionValue{}).Where("dimension_id = ? AND UPPER(code) = ?", d.ID, strings.ToUpper(v.Code)).Count(&n)
			if n > 0 {
				p.Add("code", "error.duplicate_code", v.Code)
			}
		}
		if err := p.Err(); err != nil {
			return err
		}
		var pos int
		tx.Model(&DimensionValue{}).Where("dimension_id = ?", d.ID).Select("COALESCE(MAX(position), 0)").Scan(&pos)
		v.ID, v.DimensionID, v.Position = 0, d.ID, pos+1
		if err := tx.Create(&v).Error; err != nil {
			return fmt.Errorf("store: unable to create dimension value: %w", err)
		}
		return RecordAudit(tx, actor, "create", "dimension_value", d.Code+"="+v.Code, nil, map[string]any{"name_vi": v.NameVI, "name_en": v.NameEN})
	})
	if err != nil {
		return nil, err
	}
	s.DataChanged()
	return &v, nil
}

// SetIndicatorDimensions replaces the dimensions an indicator is broken
// down by with those of the given codes. A dimension its stored breakdown
// values use cannot be taken away: they would no longer be valid.
func (s *Store) SetIndicatorDimensions(actor Actor, ind Indicator, codes []string) error {
	err := s.db.Transaction(func(tx *gorm.DB) error {
		p := Problems{}
		var ids []uint
		var names []string
		for _, c := range codes {
			var d Dimension
			if err := tx.Where("UPPER(code) = ?", strings.ToUpper(strings.TrimSpace(c))).Limit(1).Find(&d).Error; err != nil {
				return fmt.Errorf("store: unable to fetch dimension: %w", err)
			}
			if d.ID == 0 {
				p.Add("dimensions", "error.breakdown_dimension", c)
				continue
			}
			if !slices.Contains(ids, d.ID) {
				ids, names = append(ids, d.ID), append(names, d.Code)
			}
		}
		if err := p.Err(); err != nil {
			return err
		}
		var used []string
		if err := tx.Model(&BreakdownValue{}).Where("indicator_id = ?", ind.ID).Distinct().Pluck("breakdown", &used).Error; err != nil {
			return fmt.Errorf("store: unable to fetch breakdowns: %w", err)
		}
		for _, b := range used {
			pairs, _ := ParseBreakdown(b)
			for _, pair := range pairs {
				if !containsFold(names, pair.Dimension) {
					p.Add("dimensions", "error.breakdown_dimension_used", pair.Dimension)
				}
			}
		}
		if err := p.Err(); err != nil {
			return err
		}
		var before []string
		tx.Model(&Dimension{}).Joins("JOIN indicator_dimensions ON indicator_dimensions.dimension_id = dimensions.id").
			Where("indicator_dimensions.indicator_id = ?", ind.ID).Order("dimensions.code").Pluck("dimensions.code", &before)
		if err := tx.Where("indicator_id = ?", ind.ID).Delete(&IndicatorDimension{}).Error; err != nil {
			return fmt.Errorf("store: unable to change the indicator's dimensions: %w", err)
		}
		for _, id := range ids {
			if err := tx.Create(&IndicatorDimension{IndicatorID: ind.ID, DimensionID: id}).Error; err != nil {
				return fmt.Errorf("store: unable to change the indicator's dimensions: %w", err)
			}
		}
		return RecordAudit(tx, actor, "update", "indicator_dimensions", ind.Code, map[string]any{"dimensions": before}, map[string]any{"dimensions": names})
	})
	if err != nil {
		return err
	}
	s.DataChanged()
	return nil
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}
