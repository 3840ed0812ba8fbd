package models

import (
	"testing"
	"time"
)

// TestNearZeroBaseOnTheStraightPath is Quận 8's 5G coverage: 0,4 % in 2020,
// 1,3 % in 2025, the city's 100 % by 2030. From a base that small the growth
// rate says "on track" (25 % a year beats the 23 % needed); the straight
// path expected about 50 % by 2025, so 1,3 % is far behind.
func TestNearZeroBaseOnTheStraightPath(t *testing.T) {
	in := AssessmentInput{Direction: DirectionHigher, Series: series(2020, 0.4, 2025, 1.3), Today: assessToday,
		Goal: &Goal{Year: 2030, Comparator: AtLeast, Value: 100}}
	a := Assess(in)
	if a.Status != StatusLimited || !a.StraightPath {
		t.Fatalf("status %s, straight path %v: want limited_progress on the straight path", a.Status, a.StraightPath)
	}
	checkRounded(t, "progress value", a.ProgressValue, fref(0.9/49.8), 6)
	checkRounded(t, "expected at 2025", a.ExpectedAtCurrent, fref(50.2), 6)
	if a.ExpectedNow == nil || *a.ExpectedNow <= *a.ExpectedAtCurrent {
		t.Errorf("expected today %v should be past the value expected at 2025", a.ExpectedNow)
	}
	// A base of 0 too, whatever the direction.
	zero := Assess(AssessmentInput{Direction: DirectionHigher, Series: series(2020, 0, 2025, 50), Today: assessToday,
		Goal: &Goal{Year: 2030, Comparator: AtLeast, Value: 100}})
	if zero.Status != StatusSubstantial || !zero.StraightPath {
		t.Errorf("0 → 50 of 100, on the path: %s (straight path %v)", zero.Status, zero.StraightPath)
	}
	// A base above 1 % of the target keeps Open SDG's growth rate.
	if b := Assess(AssessmentInput{Direction: DirectionHigher, Series: series(2015, 50, 2020, 55), Today: assessToday,
		Goal: &Goal{Year: 2030, Comparator: AtLeast, Value: 80}}); b.StraightPath {
		t.Error("a base of 50 toward 80 is assessed on the straight path")
	}
}

// TestNeverOnTrackFarBehindThePath: from 2 % to 100 % the growth rate is
// ahead of the pace required (30 → v 1,04) while the value has come less
// than half the way the straight path expected by 2025.
func TestNeverOnTrackFarBehindThePath(t *testing.T) {
	in := AssessmentInput{Direction: DirectionHigher, Series: series(2015, 2, 2025, 30), Today: assessToday,
		Goal: &Goal{Year: 2030, Comparator: AtLeast, Value: 100}}
	a := Assess(in)
	if a.ProgressValue == nil || *a.ProgressValue < targetThresholds.high {
		t.Fatalf("the case needs a growth rate that says on track: v = %v", a.ProgressValue)
	}
	if a.Status != StatusModerate || a.StraightPath {
		t.Errorf("status %s: 28 of the 65,3 points expected by 2025 is at most moderate", a.Status)
	}
	if a.Score == nil || *a.Score >= scoreWithTarget(targetThresholds.high) {
		t.Errorf("score %v stays in the on-track band", a.Score)
	}
}

func TestIndicatorProgressWords(t *testing.T) {
	today := time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)
	ind := Indicator{ID: 1, Code: "x", Direction: DirectionHigher}
	values := []Observation{{Period: "2020", Year: 2020, Value: 10}, {Period: "2025", Year: 2025, Value: 30}}
	target := Target{IndicatorID: 1, Year: 2030, Comparator: AtLeast, Value: 40}
	for _, c := range []struct {
		name      string
		ind       Indicator
		milestone int
		targets   []Target
		words     string
		class     Status
	}{
		{"with a target: Open SDG's status", ind, 2030, []Target{target}, "status.substantial_progress", StatusSubstantial},
		{"no target at a coming milestone: a trend", ind, 2030, nil, "trend.substantial_progress", NoTarget},
		{"no target at a passed milestone: no target, nothing more", ind, 2025, []Target{target}, "status.no_target", NoTarget},
		{"direction not set: no status", Indicator{ID: 1, Code: "x"}, 2030, []Target{target}, "status.direction_not_set", StatusNotAvailable},
	} {
		rows := IndicatorProgress(ProgressInput{Indicator: c.ind, Milestone: c.milestone, Today: today, Targets: c.targets, Values: values})
		if len(rows) != 1 {
			t.Fatalf("%s: %d rows", c.name, len(rows))
		}
		if r := rows[0]; r.Words() != c.words || r.Class() != c.class {
			t.Errorf("%s: %s / %s, want %s / %s", c.name, r.Words(), r.Class(), c.words, c.class)
		}
	}
	rows := IndicatorProgress(ProgressInput{Indicator: Indicator{ID: 1}, Milestone: 2030, Today: today, Targets: []Target{target}, Values: values})
	if a := rows[0].Assessment; a.Score != nil || a.ProgressValue != nil || a.CurrentValue == nil || *a.CurrentValue != 30 {
		t.Errorf("direction not set: %+v, want the values without a score", a)
	}
}

func TestStatusCountsAddUpToTheRows(t *testing.T) {
	rows := []Progress{
		{Target: &Target{}, Assessment: Assessment{Status: StatusSubstantial}},
		{Assessment: Assessment{Status: StatusSubstantial}},
		{Assessment: Assessment{Status: StatusDeterioration}},
		{Target: &Target{}, Assessment: Assessment{Status: StatusTargetMissed}},
	}
	counts := StatusCounts(rows)
	if counts[StatusSubstantial] != 1 || counts[NoTarget] != 2 || counts[StatusTargetMissed] != 1 || len(counts) != 3 {
		t.Errorf("counts %v", counts)
	}
}
