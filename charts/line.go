package charts

import (
	"strconv"
	"strings"
	"sync"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"tiendo/models"
)

// missing is how ECharts is told there is no value at a point.
const missing = "-"

// Sparkline is a small line of values without axes, for tables.
func Sparkline(id string, series []models.YearValue, alt string) Chart {
	return Chart{ID: id, Options: sparklineOptions(series), Height: 36, Alt: alt}
}

// sparklines keeps the options of the sparklines drawn lately, by their
// values (the options do not name the chart): an overview draws one per indicator (150 in a big city) and a
// write changes one of them.
var sparklines = struct {
	sync.Mutex
	m map[string]string
}{m: map[string]string{}}

// sparklinesMax bounds what is kept: past it, everything is forgotten.
const sparklinesMax = 4096

func sparklineOptions(series []models.YearValue) string {
	var key strings.Builder
	for _, p := range series {
		key.WriteByte(' ')
		key.WriteString(strconv.Itoa(p.Year))
		key.WriteByte(':')
		key.WriteString(strconv.FormatFloat(p.Value, 'g', -1, 64))
	}
	sparklines.Lock()
	o, ok := sparklines.m[key.String()]
	sparklines.Unlock()
	if ok {
		return o
	}
	line := charts.NewLine()
	line.SetGlobalOptions(
		charts.WithGridOpts(opts.Grid{Left: "2", Right: "2", Top: "4", Bottom: "4"}),
		charts.WithXAxisOpts(opts.XAxis{Show: opts.Bool(false)}),
		charts.WithYAxisOpts(opts.YAxis{Show: opts.Bool(false), Scale: opts.Bool(true)}),
		charts.WithAnimation(false),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(false)}),
	)
	years := make([]string, len(series))
	data := make([]opts.LineData, len(series))
	for i, p := range series {
		years[i] = strconv.Itoa(p.Year)
		data[i] = opts.LineData{Value: p.Value}
	}
	line.SetXAxis(years).AddSeries("v", data,
		charts.WithLineChartOpts(opts.LineChart{ShowSymbol: opts.Bool(len(series) < 3)}),
		charts.WithLineStyleOpts(opts.LineStyle{Color: colorActual, Width: 2}),
		charts.WithItemStyleOpts(opts.ItemStyle{Color: colorActual}),
	)
	o = encode(line)
	sparklines.Lock()
	if len(sparklines.m) >= sparklinesMax {
		clear(sparklines.m)
	}
	sparklines.m[key.String()] = o
	sparklines.Unlock()
	return o
}

// Goal is a target drawn on a trajectory: a path from its baseline and a
// marker at its year.
type Goal struct {
	Year      int
	Value     float64
	ValueMax  *float64
	BaseYear  *int
	BaseValue *float64
	Label     string
}

// TrajectoryLabels names the series in the reader's language.
type TrajectoryLabels struct{ Actual, Path, Target, Measure string }

// Series is one more line beside the actual values: a breakdown's values
// (women, 15–24 years), named in the reader's language.
type Series struct {
	Name   string
	Values []models.YearValue
}

// partStyles tell breakdowns apart by colour and by marker, so the lines
// still read in black and white and for readers who do not see colours.
var partStyles = []struct{ color, symbol string }{
	{"#8250df", "triangle"}, {"#1a7f37", "rect"}, {"#bc4c00", "roundRect"}, {"#bf3989", "pin"},
	{"#1b7c83", "arrow"}, {"#7d4e00", "emptyTriangle"}, {"#57606a", "emptyRect"}, {"#6e7100", "emptyDiamond"},
}

// Trajectory draws the actual values by year, the straight path from each
// goal's baseline to its target, a marker at each target, and a line for
// each of parts (breakdowns of the same values).
func Trajectory(id string, actual []models.YearValue, goals []Goal, l TrajectoryLabels, alt string, parts ...Series) Chart {
	all := actual
	for _, s := range parts {
		all = append(all[:len(all):len(all)], s.Values...)
	}
	first, last := yearSpan(all, goals)
	years := make([]string, 0, last-first+1)
	index := map[int]int{}
	for y := first; y <= last; y++ {
		index[y] = len(years)
		years = append(years, strconv.Itoa(y))
	}
	blank := func() []opts.LineData {
		d := make([]opts.LineData, len(years))
		for i := range d {
			d[i] = opts.LineData{Value: missing}
		}
		return d
	}

	// Breakdowns lengthen the legend: on a phone about three names fit on
	// a line, so room is made below the axis for the lines it takes.
	legendLines := 0
	if len(parts) > 0 {
		legendLines = (len(parts) + 2) / 3
	}
	line := charts.NewLine()
	line.SetGlobalOptions(initOpts(id),
		charts.WithTooltipOpts(opts.Tooltip{Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Bottom: "0"}),
		charts.WithGridOpts(opts.Grid{Left: "48", Right: "24", Top: "32", Bottom: strconv.Itoa(56 + 22*legendLines)}),
		charts.WithYAxisOpts(opts.YAxis{Name: l.Measure, Scale: opts.Bool(true)}),
		charts.WithXAxisOpts(opts.XAxis{}),
	)
	line.SetXAxis(years)

	values := blank()
	for _, p := range actual {
		values[index[p.Year]] = opts.LineData{Value: p.Value}
	}
	line.AddSeries(l.Actual, values,
		charts.WithLineChartOpts(opts.LineChart{ShowSymbol: opts.Bool(true), SymbolSize: 7}),
		charts.WithLineStyleOpts(opts.LineStyle{Color: colorActual, Width: 3}),
		charts.WithItemStyleOpts(opts.ItemStyle{Color: colorActual}),
	)

	for i, s := range parts {
		st := partStyles[i%len(partStyles)]
		values := blank()
		for _, p := range s.Values {
			values[index[p.Year]] = opts.LineData{Value: p.Value}
		}
		line.AddSeries(s.Name, values,
			charts.WithLineChartOpts(opts.LineChart{ShowSymbol: opts.Bool(true), Symbol: st.symbol, SymbolSize: 8}),
			charts.WithLineStyleOpts(opts.LineStyle{Color: st.color, Width: 2}),
			charts.WithItemStyleOpts(opts.ItemStyle{Color: st.color}),
		)
	}

	paths := blank()
	hasPath := false
	targets := blank()
	for _, g := range goals {
		if g.BaseYear != nil && g.BaseValue != nil && *g.BaseYear < g.Year {
			paths[index[*g.BaseYear]] = opts.LineData{Value: *g.BaseValue}
			paths[index[g.Year]] = opts.LineData{Value: g.Value}
			hasPath = true
		}
		targets[index[g.Year]] = opts.LineData{Value: g.Value, Name: g.Label}
	}
	if hasPath {
		line.AddSeries(l.Path, paths,
			charts.WithLineChartOpts(opts.LineChart{ConnectNulls: opts.Bool(true), ShowSymbol: opts.Bool(false)}),
			charts.WithLineStyleOpts(opts.LineStyle{Color: colorPath, Width: 2, Type: "dashed"}),
			charts.WithItemStyleOpts(opts.ItemStyle{Color: colorPath}),
		)
	}
	if len(goals) > 0 {
		line.AddSeries(l.Target, targets,
			charts.WithLineChartOpts(opts.LineChart{Symbol: "diamond", SymbolSize: 16, ShowSymbol: opts.Bool(true)}),
			charts.WithLineStyleOpts(opts.LineStyle{Width: 0, Opacity: opts.Float(0)}),
			charts.WithItemStyleOpts(opts.ItemStyle{Color: colorTarget, Opacity: opts.Float(1)}),
			charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "top", Formatter: "{b}", Color: colorTarget}),
		)
	}
	return Chart{ID: id, Options: encode(line), Height: 320 + 22*legendLines, Alt: alt}
}

// yearSpan is the range of years the trajectory's axis covers.
func yearSpan(actual []models.YearValue, goals []Goal) (int, int) {
	first, last := 0, 0
	see := func(y int) {
		if first == 0 || y < first {
			first = y
		}
		if y > last {
			last = y
		}
	}
	for _, p := range actual {
		see(p.Year)
	}
	for _, g := range goals {
		see(g.Year)
		if g.BaseYear != nil {
			see(*g.BaseYear)
		}
	}
	if first == 0 {
		return 0, -1
	}
	return first, last
}
