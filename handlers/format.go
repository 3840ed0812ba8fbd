package handlers

import (
	"html"
	"html/template"

	"tiendo/display"
	"tiendo/models"
)

// Values, targets, names and statuses look as everywhere else (package display).
var (
	formatValue  = display.Value
	formatTarget = display.Target
	formatChange = display.Change
	name         = display.Name
	statusIcon   = display.StatusIcon
)

func statusColor(s models.Status) string { return display.StatusColors[s] }

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
