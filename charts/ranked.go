package charts

import (
	"encoding/json"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// Bar is one unit's value in a ranking.
type Bar struct {
	Name  string
	Value float64
	Color string // by status; the table and the page say the status in words
	Link  string // where a click on the bar goes
}

// RankedBars draws horizontal bars, first bar on top, with a vertical line
// at the target when there is one. Clicking a bar follows its Link.
func RankedBars(id string, bars []Bar, target *float64, targetLabel, measure, alt string) Chart {
	names := make([]string, len(bars))
	data := make([]opts.BarData, len(bars))
	links := map[string]string{}
	for i, b := range bars {
		names[i] = b.Name
		data[i] = opts.BarData{Value: b.Value, ItemStyle: &opts.ItemStyle{Color: b.Color}}
		if b.Link != "" {
			links[b.Name] = b.Link
		}
	}
	bar := charts.NewBar()
	bar.SetGlobalOptions(initOpts(id), charts.WithAnimation(false),
		charts.WithTooltipOpts(opts.Tooltip{Trigger: "item"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		charts.WithGridOpts(opts.Grid{Left: "8", Right: "48", Top: "28", Bottom: "8", ContainLabel: opts.Bool(true)}),
		charts.WithXAxisOpts(opts.XAxis{Type: "value", Name: measure}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Data: names, Inverse: opts.Bool(true)}),
	)
	series := []charts.SeriesOpts{charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "right", Color: "#1f2328"})}
	if target != nil {
		series = append(series, charts.WithMarkLineNameXAxisItemOpts(opts.MarkLineNameXAxisItem{Name: targetLabel, XAxis: *target}),
			charts.WithMarkLineStyleOpts(opts.MarkLineStyle{
				Symbol:    []string{"none", "none"},
				LineStyle: &opts.LineStyle{Color: colorTarget, Width: 2, Type: "dashed"},
				Label:     &opts.Label{Show: opts.Bool(true), Formatter: "{b}", Color: colorTarget, Position: "start"},
			}))
	}
	bar.AddSeries(measure, data, series...)
	c := Chart{ID: id, Options: encode(bar), Height: 60 + 28*len(bars), Alt: alt}
	if len(links) > 0 {
		b, _ := json.Marshal(links)
		c.Links = string(b)
	}
	return c
}
