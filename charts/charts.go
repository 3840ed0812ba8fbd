// Package charts turns domain values into go-echarts chart options. It has
// no database access and no translations: callers pass the labels.
//
// Charts are not rendered as inline scripts: each Chart carries its option
// JSON, which a page puts in a data attribute for static/js/charts.js to
// draw with the locally served ECharts (no CDN, no inline script).
package charts

import (
	"encoding/json"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// AssetsHost is where ECharts is served from: the app itself.
const AssetsHost = "/static/vendor/"

// Chart is a chart ready for a page.
type Chart struct {
	ID      string
	Options string // ECharts option JSON
	Height  int    // pixels
	Alt     string // one-sentence text alternative
	Links   string // JSON object: clicked category name → URL (drill-down), or ""
	Table   *Table // the same numbers as a table, for "view as table"
}

// Table is a chart's numbers as rows of text, already formatted by the caller.
type Table struct {
	Caption string
	Head    []string
	Rows    [][]string
	Links   []string // optional: a URL per row, on its first cell
}

const (
	colorActual = "#0b5cad"
	colorPath   = "#6e7781"
	colorTarget = "#cf222e"
)

func initOpts(id string) charts.GlobalOpts {
	return charts.WithInitializationOpts(opts.Initialization{ChartID: id, AssetsHost: AssetsHost})
}

// encode validates a go-echarts chart and returns its option JSON. The JSON
// is HTML-escaped, so it is safe in an attribute.
func encode(c interface {
	Validate()
	JSON() map[string]interface{}
}) string {
	c.Validate()
	b, err := json.Marshal(c.JSON())
	if err != nil {
		// Options are built from plain numbers and strings; failure is a bug.
		panic("charts: unable to encode options: " + err.Error())
	}
	return string(b)
}

// WithPatterns fills the chart's areas with patterns as well as colours
// (ECharts "decal"), so it still reads when printed in black and white.
func WithPatterns(c Chart) Chart {
	return withOptions(c, func(o map[string]any) {
		o["aria"] = map[string]any{"enabled": true, "decal": map[string]any{"show": true}}
	})
}

// ForPrint is a chart for paper: patterns as well as colours, and no
// animation, so a page printed at once has its chart fully drawn.
func ForPrint(c Chart) Chart {
	return withOptions(WithPatterns(c), func(o map[string]any) { o["animation"] = false })
}

// withOptions changes the chart's option JSON.
func withOptions(c Chart, change func(map[string]any)) Chart {
	var o map[string]any
	if err := json.Unmarshal([]byte(c.Options), &o); err != nil {
		return c
	}
	change(o)
	b, err := json.Marshal(o)
	if err != nil {
		return c
	}
	c.Options = string(b)
	return c
}
