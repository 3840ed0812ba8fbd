package seed

import (
	"testing"

	"tiendo/models"
)

// TestDemoBreakdowns: the demo adds made-up urban and rural values of the
// city's fibre coverage, marked demo, assessed beside the total; a real
// value is kept; RemoveDemo takes the demo ones away.
func TestDemoBreakdowns(t *testing.T) {
	store := openDB(t)
	db := store.DB()
	if _, err := Ensure(db); err != nil {
		t.Fatal(err)
	}
	ind, err := store.IndicatorByCode(demoBreakdownIndicator)
	if err != nil {
		t.Fatal(err)
	}
	city, err := store.UnitByCode(UnitHCMC)
	if err != nil {
		t.Fatal(err)
	}
	real := models.BreakdownValue{IndicatorID: ind.ID, UnitID: city.ID, Period: "2021", Year: 2021, Breakdown: "URBANISATION=R", Value: 61.5, Source: "Sở TT&TT"}
	if err := db.Create(&real).Error; err != nil {
		t.Fatal(err)
	}
	if err := AddDemo(db); err != nil {
		t.Fatal(err)
	}
	vals, err := store.BreakdownValues(ind.ID, city.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	demo := 0
	for _, v := range vals {
		if v.Demo {
			demo++
			if v.Note != DemoNote || v.Value < 0 || v.Value > 100 {
				t.Errorf("demo value %+v", v)
			}
		} else if v.Period != "2021" || v.Value != 61.5 {
			t.Errorf("real value changed: %+v", v)
		}
	}
	if n := len(demoValues[demoBreakdownIndicator]); demo != 2*n-1 || len(vals) != 2*n {
		t.Errorf("%d demo values of %d", demo, len(vals))
	}
	if assessed, err := store.AssessedBreakdowns(); err != nil || len(assessed[ind.ID]) != 2 {
		t.Errorf("assessed breakdowns: %v %v", assessed, err)
	}
	// The demo's values pass the one check of every way in.
	rules, err := store.BreakdownRules(ind.ID)
	if err != nil {
		t.Fatal(err)
	}
	p := models.Problems{}
	for _, b := range demoBreakdowns {
		rules.Check(p, b.breakdown, *ind, b.breakdown)
	}
	if len(p) != 0 {
		t.Errorf("demo breakdowns refused: %v", p)
	}
	if err := RemoveDemo(db); err != nil {
		t.Fatal(err)
	}
	if vals, _ := store.BreakdownValues(ind.ID, 0, ""); len(vals) != 1 || vals[0].Demo {
		t.Errorf("after RemoveDemo: %+v", vals)
	}
}
