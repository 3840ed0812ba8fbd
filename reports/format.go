package reports

import (
	"fmt"

	"tiendo/locale"
	"tiendo/models"
)

// FormatValue writes a value with the indicator's decimals and the name of
// its measure in the reader's language.
func FormatValue(lang string, v float64, ind models.Indicator) string {
	s := locale.NumberAuto(lang, v, max(ind.Decimals, 0))
	if m := ind.MeasureName(lang); m != "" {
		return s + " " + m
	}
	return s
}

// FormatTarget writes a target as "≥ 100 % by 2030" in the reader's language.
func FormatTarget(cat locale.Catalog, lang string, t *models.Target, ind models.Indicator) string {
	if t == nil {
		return ""
	}
	v := FormatValue(lang, t.Value, ind)
	var s string
	switch t.Comparator {
	case models.Between:
		hi := t.Value
		if t.ValueMax != nil {
			hi = *t.ValueMax
		}
		s = cat.T(lang, "comparator.between", locale.NumberAuto(lang, t.Value, ind.Decimals), FormatValue(lang, hi, ind))
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
