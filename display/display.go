// Package display is how the app shows its facts wherever they appear —
// pages, charts, reports and e-mails: a value with its measure, a target in
// words, a name in the reader's language, and each status's colour and
// icon. Numbers, dates and the time zone themselves are locale's.
package display

import (
	"fmt"

	"tiendo/locale"
	"tiendo/models"
)

// Value writes a value with the indicator's decimals and the name of its
// measure in the reader's language.
func Value(lang string, v float64, ind models.Indicator) string {
	s := locale.NumberAuto(lang, v, max(ind.Decimals, 0))
	if m := ind.MeasureName(lang); m != "" {
		return s + " " + m
	}
	return s
}

// Change writes a change of value: a change of a percentage is in
// percentage points, not percent.
func Change(cat locale.Catalog, lang string, v float64, ind models.Indicator) string {
	if ind.Measure == "%" {
		return locale.NumberAuto(lang, v, max(ind.Decimals, 0)) + " " + cat.T(lang, "measure.points")
	}
	return Value(lang, v, ind)
}

// Target writes a target as "≥ 100 % by 2030" in the reader's language.
func Target(cat locale.Catalog, lang string, t *models.Target, ind models.Indicator) string {
	if t == nil {
		return ""
	}
	v := Value(lang, t.Value, ind)
	var s string
	switch t.Comparator {
	case models.Between:
		hi := t.Value
		if t.ValueMax != nil {
			hi = *t.ValueMax
		}
		s = cat.T(lang, "comparator.between", locale.NumberAuto(lang, t.Value, ind.Decimals), Value(lang, hi, ind))
	default:
		s = cat.T(lang, "comparator."+string(t.Comparator), v)
	}
	when := cat.T(lang, "target.by", t.Year)
	if t.Yearly {
		when = cat.T(lang, "target.yearly", t.Year)
	}
	return fmt.Sprintf("%s %s", s, when)
}

// Name picks a name in the reader's language.
func Name(lang, vi, en string) string {
	if lang == "en" && en != "" {
		return en
	}
	return vi
}

// StatusColors are the colours of each status, chosen for contrast on white
// and paired with an icon and a word wherever they appear. The style sheet's
// --achieved … --na are the same (checked by a test).
var StatusColors = map[models.Status]string{
	models.StatusTargetAchieved: "#116329",
	models.StatusSubstantial:    "#1f883d",
	models.StatusModerate:       "#9a6700",
	models.StatusLimited:        "#bc4c00",
	models.StatusDeterioration:  "#cf222e",
	models.StatusTargetMissed:   "#82071e",
	models.StatusNotAvailable:   "#6e7781",
	models.NoTarget:             "#8c959f",
}

// StatusIcon is a shape per status, so a status never relies on colour alone.
func StatusIcon(s models.Status) string {
	switch s {
	case models.StatusTargetAchieved:
		return "✔"
	case models.StatusSubstantial:
		return "▲"
	case models.StatusModerate:
		return "◆"
	case models.StatusLimited:
		return "▼"
	case models.StatusDeterioration, models.StatusTargetMissed:
		return "✖"
	case models.NoTarget:
		return "–"
	}
	return "○"
}
