package handlers

import (
	"html"
	"html/template"

	"tiendo/charts"
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

// statusBadge is a status as icon and word, coloured by CSS class.
func statusBadge(s models.Status, label string) template.HTML {
	//nolint:gosec // both inserted strings are escaped; the rest is constant markup
	return template.HTML(`<span class="status status-` + html.EscapeString(string(s)) + `"><span aria-hidden="true" class="status-icon">` +
		statusIcon(s) + `</span> ` + html.EscapeString(label) + `</span>`)
}
