package handlers

import (
	"fmt"
	"html"
	"html/template"

	"tiendo/charts"
	"tiendo/locale"
	"tiendo/models"
)

// statusIcon is a shape per status, so status never relies on colour alone.
func statusIcon(s models.Status) string {
	switch s {
	case models.StatusTargetAchieved:
		return "✔"
	case models.StatusSubstantial:
		return "▲"
	case models.StatusModerate:
		return "◆"
	case models.StatusLimited:
		return "▼"
	case models.StatusDeterioration:
		return "✖"
	case models.StatusTargetMissed:
		return "✖"
	}
	return "○"
}

func statusColor(s models.Status) string { return charts.StatusColors[s] }

// formatValue writes a value with the indicator's decimals and measure.
func formatValue(lang string, v float64, ind models.Indicator) string {
	s := locale.NumberAuto(lang, v, max(ind.Decimals, 0))
	switch ind.Measure {
	case "":
		return s
	case "%":
		return s + " %"
	}
	return s + " " + ind.Measure
}

// formatTarget writes a target as "≥ 100 % by 2030" in the reader's language.
func formatTarget(cat locale.Catalog, lang string, t *models.Target, ind models.Indicator) string {
	if t == nil {
		return ""
	}
	v := formatValue(lang, t.Value, ind)
	var s string
	switch t.Comparator {
	case models.Between:
		hi := t.Value
		if t.ValueMax != nil {
			hi = *t.ValueMax
		}
		s = cat.T(lang, "comparator.between", locale.NumberAuto(lang, t.Value, ind.Decimals), formatValue(lang, hi, ind))
	default:
		s = cat.T(lang, "comparator."+string(t.Comparator), v)
	}
	when := cat.T(lang, "target.by", t.Year)
	if t.Yearly {
		when = cat.T(lang, "target.yearly", t.Year)
	}
	return fmt.Sprintf("%s %s", s, when)
}

// name picks the indicator's or unit's name in the reader's language.
func name(lang, vi, en string) string {
	if lang == "en" && en != "" {
		return en
	}
	return vi
}

// statusBadge is a status as icon and word, coloured by CSS class.
func statusBadge(s models.Status, label string) template.HTML {
	//nolint:gosec // both inserted strings are escaped; the rest is constant markup
	return template.HTML(`<span class="status status-` + html.EscapeString(string(s)) + `"><span aria-hidden="true" class="status-icon">` +
		statusIcon(s) + `</span> ` + html.EscapeString(label) + `</span>`)
}
