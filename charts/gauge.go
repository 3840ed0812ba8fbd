package charts

import (
	"math"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// Gauge shows how much of the way from baseline to target has been
// covered, in percent (clamped to 0–100), coloured by status.
func Gauge(id string, percent float64, color, name, alt string) Chart {
	percent = math.Max(0, math.Min(100, percent))
	g := charts.NewGauge()
	g.SetGlobalOptions(initOpts(id), charts.WithAnimation(false),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}))
	g.AddSeries(name, []opts.GaugeData{{Name: name, Value: math.Round(percent*10) / 10}},
		charts.WithItemStyleOpts(opts.ItemStyle{Color: color}),
		charts.WithSeriesOpts(func(s *charts.SingleSeries) {
			s.Progress = &opts.Progress{Show: opts.Bool(true), Width: 14}
			s.Detail = &opts.Detail{Formatter: "{value}%", FontSize: 22, Color: "#1f2328"}
			s.Title = &opts.Title{Show: opts.Bool(false)}
			s.Pointer = &opts.Pointer{Show: opts.Bool(false)}
			s.AxisTick = &opts.AxisTick{Show: opts.Bool(false)}
			s.AxisLabel = &opts.AxisLabel{Show: opts.Bool(false)}
			s.SplitLine = &opts.SplitLine{Show: opts.Bool(false)}
			s.Max = 100
		}),
	)
	return Chart{ID: id, Options: encode(g), Height: 220, Alt: alt}
}
