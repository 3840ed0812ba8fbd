package models

import (
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Frequencies at which an indicator is observed.
const (
	FrequencyYear    = "year"
	FrequencyQuarter = "quarter"
	FrequencyMonth   = "month"
)

// Indicator is a measured quantity with a direction in which progress is good.
type Indicator struct {
	ID        uint      `json:"-"`
	Code      string    `json:"code"`
	NameVI    string    `json:"name_vi"`
	NameEN    string    `json:"name_en"`
	PillarID  uint      `json:"-"`
	Pillar    Pillar    `json:"-"`
	Measure   string    `json:"measure"`
	Direction Direction `json:"direction"`
	Limit     *float64  `json:"limit"`
	Decimals  int       `gorm:"default:1" json:"decimals"`
	Frequency string    `gorm:"default:year" json:"frequency"`
	// Rollup is how a parent's value is computed from its children's when
	// it has none of its own; RollupWeight is the weighting indicator's code.
	Rollup       RollupRule `gorm:"default:''" json:"rollup,omitempty"`
	RollupWeight string     `gorm:"default:''" json:"rollup_weight,omitempty"`
	// RollupThreshold is the share of the children (0–1) that must have a
	// value before one is computed for the parent; nil: the rule's default
	// (see RollupCoverage).
	RollupThreshold *float64 `json:"rollup_threshold,omitempty"`
	// DueDays is how many days after a period ends its value is due;
	// Levels the unit levels that report it (comma-separated), besides the
	// units it is assigned to (see IndicatorUnit).
	DueDays  int    `gorm:"default:30" json:"due_days"`
	Levels   string `gorm:"default:''" json:"levels"`
	Position int    `gorm:"default:0" json:"-"`
	Retired  bool   `gorm:"default:false" json:"retired"`
	// The measure's names and the metadata, in both languages.
	IndicatorTexts `gorm:"embedded"`
	CreatedAt      time.Time `json:"-"`
	UpdatedAt      time.Time `json:"-"`
}

// IndicatorTexts are an indicator's words in both languages: the name of its
// unit of measure (the symbol stays in Indicator.Measure: "%", "hộ") and its
// metadata, what a reader needs to trust a figure (as Open SDG shows on each
// indicator page). Every field may be empty but the measure names, which
// default from the symbol.
type IndicatorTexts struct {
	MeasureVI    string `gorm:"column:measure_vi;default:''" json:"measure_vi"`
	MeasureEN    string `gorm:"column:measure_en;default:''" json:"measure_en"`
	DefinitionVI string `gorm:"column:definition_vi;default:''" json:"definition_vi"`
	DefinitionEN string `gorm:"column:definition_en;default:''" json:"definition_en"`
	FormulaVI    string `gorm:"column:formula_vi;default:''" json:"formula_vi"`
	FormulaEN    string `gorm:"column:formula_en;default:''" json:"formula_en"`
	AgencyVI     string `gorm:"column:agency_vi;default:''" json:"agency_vi"`
	AgencyEN     string `gorm:"column:agency_en;default:''" json:"agency_en"`
	SourceVI     string `gorm:"column:source_vi;default:''" json:"source_vi"`
	SourceEN     string `gorm:"column:source_en;default:''" json:"source_en"`
	NotesVI      string `gorm:"column:notes_vi;default:''" json:"notes_vi"`
	NotesEN      string `gorm:"column:notes_en;default:''" json:"notes_en"`
}

// TextField is one of the texts, by its column (and form, CSV and JSON) name.
type TextField struct {
	Name  string
	Value *string
}

// TextColumns are the names of the texts, in order.
var TextColumns = func() []string {
	var t IndicatorTexts
	var out []string
	for _, f := range t.Fields() {
		out = append(out, f.Name)
	}
	return out
}()

// MeasureNames are the Vietnamese and English names of the symbols in use,
// the defaults of a measure's names when none are given.
var MeasureNames = map[string][2]string{
	"%":       {"%", "%"},
	"%/năm":   {"%/năm", "%/year"},
	"điểm %":  {"điểm %", "pp"},
	"hộ":      {"hộ", "households"},
	"tỷ đồng": {"tỷ đồng", "billion VND"},
	"thẻ":     {"thẻ", "cards"},
	"người":   {"người", "people"},
	"xã":      {"xã", "communes"},
}

// Indicators returns every indicator still in use, in display order.
func (s *Store) Indicators() ([]Indicator, error) {
	return definitions(s, s.indicators, func() ([]Indicator, error) {
		var inds []Indicator
		err := s.db.Joins("Pillar").Where("indicators.retired = ?", false).
			Order("\"Pillar\".position, indicators.position, indicators.id").Find(&inds).Error
		if err != nil {
			return nil, fmt.Errorf("store: unable to fetch indicators: %w", err)
		}
		return inds, nil
	})
}

// IndicatorByCode returns the indicator with that code, retired or not.
func (s *Store) IndicatorByCode(code string) (*Indicator, error) {
	var ind Indicator
	if err := s.db.Joins("Pillar").Where("indicators.code = ?", code).First(&ind).Error; err != nil {
		return nil, fmt.Errorf("store: unable to fetch indicator %q: %w", code, notFound(err))
	}
	return &ind, nil
}

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
		for _, m := range []any{&Observation{}, &BreakdownValue{}} {
			var c int64
			tx.Model(m).Where("indicator_id = (SELECT id FROM indicators WHERE code = ? AND frequency <> ?)", oldCode, ind.Frequency).Count(&c)
			n += c
		}
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
		if err := RecordAudit(tx, actor, "create", "indicator", ind.Code, nil, indicatorAudit(ind, pillar)); err != nil {
			return err
		}
		// Indicators weighted by its code now have weights.
		return s.ReassessTx(tx, []Change{{Indicator: ind.ID}})
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
		before := indicatorAudit(old, old.Pillar.Code) // the update writes the new values into old
		err := tx.Model(&old).Select(names).Updates(cols).Error
		if err != nil {
			return fmt.Errorf("store: unable to update indicator: %w", err)
		}
		if err := RecordAudit(tx, actor, "update", "indicator", ind.Code, before, indicatorAudit(ind, pillar)); err != nil {
			return err
		}
		// A new code also changes the weights of the indicators that named
		// the old one: everything is assessed again then.
		reassess := []Change{{Indicator: old.ID}}
		if ind.Code != code {
			reassess = []Change{{}}
		}
		return s.ReassessTx(tx, reassess)
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
		if err := RecordAudit(tx, actor, "retire", "indicator", code, map[string]any{"retired": false}, map[string]any{"retired": true}); err != nil {
			return err
		}
		return s.ReassessTx(tx, []Change{{Indicator: ind.ID}})
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

// Fields lists the texts in display order, so every way in and out (form,
// API, import, export, audit) handles the same fields the same way.
func (t *IndicatorTexts) Fields() []TextField {
	return []TextField{{"measure_vi", &t.MeasureVI}, {"measure_en", &t.MeasureEN},
		{"definition_vi", &t.DefinitionVI}, {"definition_en", &t.DefinitionEN},
		{"formula_vi", &t.FormulaVI}, {"formula_en", &t.FormulaEN},
		{"agency_vi", &t.AgencyVI}, {"agency_en", &t.AgencyEN},
		{"source_vi", &t.SourceVI}, {"source_en", &t.SourceEN},
		{"notes_vi", &t.NotesVI}, {"notes_en", &t.NotesEN}}
}

// DefaultMeasureNames fills the names of the measure left empty: from
// MeasureNames, else the symbol itself.
func (ind *Indicator) DefaultMeasureNames() {
	for _, f := range ind.Fields() {
		*f.Value = strings.TrimSpace(*f.Value)
	}
	names, ok := MeasureNames[ind.Measure]
	if !ok {
		names = [2]string{ind.Measure, ind.Measure}
	}
	if ind.MeasureVI == "" {
		ind.MeasureVI = names[0]
	}
	if ind.MeasureEN == "" {
		ind.MeasureEN = names[1]
	}
}

// MeasureName is the name of the indicator's unit of measure in lang,
// the symbol when it has none.
func (ind Indicator) MeasureName(lang string) string {
	n := ind.MeasureVI
	if lang == "en" {
		n = ind.MeasureEN
	}
	if n == "" {
		return ind.Measure
	}
	return n
}

// SaveIndicator writes an indicator in tx, created or replaced by its id,
// under the pillar of its PillarID.
func SaveIndicator(tx *gorm.DB, ind Indicator) error {
	if err := tx.Omit("Pillar").Save(&ind).Error; err != nil {
		return fmt.Errorf("store: unable to write indicator %s: %w", ind.Code, err)
	}
	return nil
}
