package models

import "strings"

// IndicatorTexts are an indicator's words in both languages: the name of its
// unit of measure (the symbol stays in Indicator.Measure: "%", "hộ") and its
// metadata, what a reader needs to trust a figure (as Open SDG shows on each
// indicator page). Every field may be empty but the measure names, which
// default from the symbol.
type IndicatorTexts struct {
	MeasureVI    string `gorm:"column:measure_vi;not null;default:''" json:"measure_vi"`
	MeasureEN    string `gorm:"column:measure_en;not null;default:''" json:"measure_en"`
	DefinitionVI string `gorm:"column:definition_vi;not null;default:''" json:"definition_vi"`
	DefinitionEN string `gorm:"column:definition_en;not null;default:''" json:"definition_en"`
	FormulaVI    string `gorm:"column:formula_vi;not null;default:''" json:"formula_vi"`
	FormulaEN    string `gorm:"column:formula_en;not null;default:''" json:"formula_en"`
	AgencyVI     string `gorm:"column:agency_vi;not null;default:''" json:"agency_vi"`
	AgencyEN     string `gorm:"column:agency_en;not null;default:''" json:"agency_en"`
	SourceVI     string `gorm:"column:source_vi;not null;default:''" json:"source_vi"`
	SourceEN     string `gorm:"column:source_en;not null;default:''" json:"source_en"`
	NotesVI      string `gorm:"column:notes_vi;not null;default:''" json:"notes_vi"`
	NotesEN      string `gorm:"column:notes_en;not null;default:''" json:"notes_en"`
}

// TextField is one of the texts, by its column (and form, CSV and JSON) name.
type TextField struct {
	Name  string
	Value *string
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
