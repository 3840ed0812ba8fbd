package charts

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"tiendo/models"
)

// The pages load an ECharts bundle with only the chart types and components
// listed in scripts/echarts.js: every one the charts here emit must be there,
// or the chart silently stays blank.
func TestBundleHasEveryChartTypeAndComponent(t *testing.T) {
	entry, err := os.ReadFile("../scripts/echarts.js")
	if err != nil {
		t.Fatal(err)
	}
	v, y := 1.0, 2020
	all := []Chart{
		Sparkline("s", []models.YearValue{{Year: 2020, Value: 1}}, "a"),
		Trajectory("t", []models.YearValue{{Year: 2020, Value: 1}}, []Goal{{Year: 2025, Value: 2, BaseYear: &y, BaseValue: &v, Label: "x"}}, TrajectoryLabels{"a", "b", "c", "%"}, "a"),
		WithPatterns(StatusBars("b", []string{"x"}, []StatusSeries{{Status: models.StatusModerate, Label: "l", Counts: []int{1}}}, "a")),
		Gauge("g", 50, "#000", "n", "a"),
		RankedBars("r", []Bar{{Name: "a", Value: 1}}, &v, "t", "%", "a"),
	}
	// ECharts' names for what an option needs (toolbox and title stay empty).
	needs := map[string]string{"bar": "BarChart", "line": "LineChart", "gauge": "GaugeChart",
		"grid": "GridSimpleComponent", "tooltip": "TooltipComponent", "legend": "LegendPlainComponent",
		"markLine": "MarkLineComponent", "aria": "AriaComponent", "title": "TitleComponent"}
	ignored := map[string]bool{"color": true, "series": true, "xAxis": true, "yAxis": true, "animation": true, "toolbox": true}
	for _, c := range all {
		var o map[string]any
		if err := json.Unmarshal([]byte(c.Options), &o); err != nil {
			t.Fatal(err)
		}
		var used []string
		for k := range o {
			if !ignored[k] {
				used = append(used, k)
			}
		}
		for _, s := range o["series"].([]any) {
			s := s.(map[string]any)
			used = append(used, s["type"].(string))
			if _, ok := s["markLine"]; ok {
				used = append(used, "markLine")
			}
		}
		for _, u := range used {
			name, ok := needs[u]
			if !ok {
				t.Errorf("chart %s uses %q, which the bundle test does not know: add it to scripts/echarts.js and here", c.ID, u)
			} else if !strings.Contains(string(entry), name) {
				t.Errorf("chart %s uses %q but scripts/echarts.js does not register %s", c.ID, u, name)
			}
		}
	}
}
