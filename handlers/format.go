package handlers

import (
	"html"
	"html/template"

	"tiendo/charts"
	"tiendo/locale"
	"tiendo/models"
	"tiendo/reports"
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
	case models.NoTarget:
		return "–"
	}
	return "○"
}

func statusColor(s models.Status) string { return charts.StatusColors[s] }

// The formatting of values, targets and names is shared with the reports.
var (
	formatValue  = reports.FormatValue
	formatTarget = reports.FormatTarget
	name         = reports.Name
)

// directionKey is the translation key of a direction, "not set" included.
func directionKey(d models.Direction) string {
	if d == models.DirectionUnset {
		return "direction.unset"
	}
	return "direction." + string(d)
}

// statusBadge is a status as icon and word, coloured by CSS class.
func statusBadge(s models.Status, label string) template.HTML {
	//nolint:gosec // both inserted strings are escaped; the rest is constant markup
	return template.HTML(`<span class="status status-` + html.EscapeString(string(s)) + `"><span aria-hidden="true" class="status-icon">` +
		statusIcon(s) + `</span> ` + html.EscapeString(label) + `</span>`)
}

// formatChange writes a change of value: a change of a percentage is in
// percentage points, not percent.
func formatChange(cat locale.Catalog, lang string, v float64, ind models.Indicator) string {
	if ind.Measure == "%" {
		return locale.NumberAuto(lang, v, max(ind.Decimals, 0)) + " " + cat.T(lang, "measure.points")
	}
	return formatValue(lang, v, ind)
}
