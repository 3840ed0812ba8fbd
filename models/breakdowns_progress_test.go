package models_test

import (
	"testing"
	"time"

	"tiendo/apptest"
	"tiendo/models"
)

// TestBreakdownAssessments: the breakdowns an indicator names get their
// own status beside the total, against the total's target; the total's
// own row is unchanged by them.
func TestBreakdownAssessments(t *testing.T) {
	store := apptest.OpenStore(t, apptest.DSN(t))
	store.SetClock(func() time.Time { return apptest.Today })
	admin := models.Actor{Username: "admin"}
	ind, err := store.IndicatorByCode("dvc-l34-online")
	if err != nil {
		t.Fatal(err)
	}
	unit, err := store.UnitByCode("VN-SG")
	if err != nil {
		t.Fatal(err)
	}
	if err := store.SetAssessedBreakdowns(admin, *ind, []string{"SEX=F"}); !hasProblem(err, "breakdowns", "error.breakdown_not_listed") {
		t.Fatalf("a breakdown of a dimension not listed: %v", err)
	}
	if err := store.SetIndicatorDimensions(admin, *ind, []string{"SEX"}); err != nil {
		t.Fatal(err)
	}
	if err := store.SetAssessedBreakdowns(admin, *ind, []string{"sex=m", "SEX=F", "SEX=M", "_T", "SEX=X"}); !hasProblem(err, "breakdowns", "error.breakdown_value") {
		t.Fatalf("an unknown value: %v", err)
	}
	if err := store.SetAssessedBreakdowns(admin, *ind, []string{"sex=m", "SEX=F", "SEX=M", "_T"}); err != nil {
		t.Fatal(err)
	}
	assessed, err := store.AssessedBreakdowns()
	if err != nil || len(assessed[ind.ID]) != 2 || assessed[ind.ID][0] != "SEX=M" || assessed[ind.ID][1] != "SEX=F" {
		t.Fatalf("stored canonical, in order, once, without the total: %v %v", assessed, err)
	}
	before, err := store.CachedEffectiveProgress(*unit, 2030)
	if err != nil {
		t.Fatal(err)
	}
	// Women's share grows fast, men's falls.
	var inputs []models.ObservationInput
	for i, y := range []string{"2021", "2022", "2023", "2024"} {
		f, m := 60+10*float64(i), 60-5*float64(i)
		inputs = append(inputs,
			models.ObservationInput{Unit: *unit, Period: y, Value: &f, Source: "s", Breakdown: "SEX=F"},
			models.ObservationInput{Unit: *unit, Period: y, Value: &m, Source: "s", Breakdown: "SEX=M"})
	}
	if err := store.SaveObservations(admin, *ind, inputs); err != nil {
		t.Fatal(err)
	}
	rows, err := store.CachedEffectiveProgress(*unit, 2030)
	if err != nil {
		t.Fatal(err)
	}
	bds, err := store.BreakdownAssessments(*unit, rows)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for i, r := range rows {
		if r.Indicator.ID != ind.ID {
			if len(bds[i]) != 0 {
				t.Errorf("%s: breakdowns it does not name: %+v", r.Indicator.Code, bds[i])
			}
			continue
		}
		found = true
		if r.Assessment.Status != before[i].Assessment.Status {
			t.Errorf("the total moved: %s → %s", before[i].Assessment.Status, r.Assessment.Status)
		}
		if len(bds[i]) != 2 || bds[i][0].Breakdown != "SEX=M" || bds[i][1].Breakdown != "SEX=F" {
			t.Fatalf("breakdown rows: %+v", bds[i])
		}
		m, f := bds[i][0], bds[i][1]
		if (m.Target == nil) != (r.Target == nil) || m.Assessment.Status != models.StatusDeterioration {
			t.Errorf("men: %+v against %+v", m.Assessment, m.Target)
		}
		if !f.Assessment.Status.OnTrack() || *f.Assessment.CurrentValue != 90 || f.Words() == m.Words() {
			t.Errorf("women: %+v", f.Assessment)
		}
	}
	if !found {
		t.Fatal("no row of the indicator")
	}
}

// TestAssessBreakdownTakesTheTotalsTarget: a breakdown is assessed against
// the total's target, and a passed milestone stays passed.
func TestAssessBreakdownTakesTheTotalsTarget(t *testing.T) {
	ind := models.Indicator{ID: 1, Code: "skills", Direction: models.DirectionHigher}
	target := models.Target{ID: 9, Year: 2025, Comparator: models.AtLeast, Value: 50}
	total := models.Progress{Indicator: ind, Target: &target, Passed: true}
	values := []models.Observation{{Period: "2024", Year: 2024, Value: 55}}
	got, ok := models.AssessBreakdown(total, "SEX=F", values, apptest.Today)
	if !ok || got.Target == nil || got.Target.ID != 9 || !got.Passed || got.Breakdown != "SEX=F" || got.Assessment.Status != models.StatusTargetAchieved {
		t.Fatalf("%+v %v", got, ok)
	}
	if _, ok := models.AssessBreakdown(total, "SEX=F", nil, apptest.Today); ok {
		t.Fatal("assessed without a value")
	}
}
