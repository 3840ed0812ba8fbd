package charts

import (
	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"tiendo/display"
	"tiendo/models"
)

// StatusSeries is the count of one status in each category (pillar).
type StatusSeries struct {
	Status models.Status
	Label  string
	Counts []int
}

// StatusBars stacks, for each category, its indicators by status.
func StatusBars(id string, categories []string, series []StatusSeries, alt string) Chart {
	bar := charts.NewBar()
	bar.SetGlobalOptions(initOpts(id),
		charts.WithTooltipOpts(opts.Tooltip{Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Bottom: "0"}),
		charts.WithGridOpts(opts.Grid{Left: "8", Right: "24", Top: "8", Bottom: "64", ContainLabel: opts.Bool(true)}),
		charts.WithXAxisOpts(opts.XAxis{Type: "value", MinInterval: 1}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Data: categories, Inverse: opts.Bool(true)}),
	)
	for _, s := range series {
		data := make([]opts.BarData, len(s.Counts))
		for i, n := range s.Counts {
			data[i] = opts.BarData{Value: n}
		}
		bar.AddSeries(s.Label, data,
			charts.WithBarChartOpts(opts.BarChart{Stack: "status"}),
			charts.WithItemStyleOpts(opts.ItemStyle{Color: display.StatusColors[s.Status]}),
		)
	}
	return Chart{ID: id, Options: encode(bar), Height: 60 + 44*len(categories), Alt: alt}
}
