package charts

import (
	"encoding/json"
	"strings"
	"testing"

	"tiendo/models"
)

// Each breakdown is one more line, named as given, on the same years as
// the total; a breakdown's years widen the axis.
func TestTrajectoryDrawsALinePerBreakdown(t *testing.T) {
	total := []models.YearValue{{Year: 2020, Value: 10}, {Year: 2021, Value: 12}}
	parts := []Series{
		{Name: "Nữ", Values: []models.YearValue{{Year: 2020, Value: 9}, {Year: 2022, Value: 11}}},
		{Name: "Nam", Values: []models.YearValue{{Year: 2019, Value: 8}}},
	}
	c := Trajectory("t", total, nil, TrajectoryLabels{Actual: "Tổng", Path: "p", Target: "m", Measure: "%"}, "alt", parts...)
	var o struct {
		XAxis []struct {
			Data []string `json:"data"`
		} `json:"xAxis"`
		Series []struct {
			Name   string `json:"name"`
			Symbol string `json:"symbol"`
			Data   []struct {
				Value any `json:"value"`
			} `json:"data"`
		} `json:"series"`
	}
	if err := json.Unmarshal([]byte(c.Options), &o); err != nil {
		t.Fatal(err)
	}
	if got := o.XAxis[0].Data; len(got) != 4 || got[0] != "2019" || got[3] != "2022" {
		t.Fatalf("years %v, want 2019–2022", got)
	}
	if len(o.Series) != 3 || o.Series[0].Name != "Tổng" || o.Series[1].Name != "Nữ" || o.Series[2].Name != "Nam" {
		t.Fatalf("series %+v, want the total, Nữ and Nam", o.Series)
	}
	if o.Series[1].Symbol == o.Series[2].Symbol {
		t.Errorf("two breakdowns share the marker %q: told apart by colour only", o.Series[1].Symbol)
	}
	want := []any{9.0, "-", 11.0} // 2020, 2021, 2022
	for i, w := range want {
		if got := o.Series[1].Data[i+1].Value; got != w {
			t.Errorf("Nữ at %d: %v, want %v", 2020+i, got, w)
		}
	}
	if got := o.Series[0].Data[0].Value; got != "-" {
		t.Errorf("the total in 2019: %v, want no value", got)
	}
}

// Sparklines kept between pages are those of the same values: a changed
// value is drawn afresh.
func TestSparklinesKeptOnlyForTheSameValues(t *testing.T) {
	series := []models.YearValue{{Year: 2023, Value: 41.5}, {Year: 2024, Value: 47.25}}
	first := Sparkline("spark-keep", series, "a").Options
	if again := Sparkline("spark-keep", series, "a").Options; again != first {
		t.Error("the same sparkline drawn twice differs")
	}
	changed := Sparkline("spark-keep", []models.YearValue{{Year: 2023, Value: 41.5}, {Year: 2024, Value: 49}}, "a").Options
	if changed == first || !strings.Contains(changed, "49") || strings.Contains(changed, "47.25") {
		t.Errorf("a changed value gave %s", changed)
	}
}
