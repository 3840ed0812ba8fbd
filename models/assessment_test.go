package models

import (
	"encoding/json"
	"math"
	"sort"
	"testing"
	"time"
)

// assessToday is the "now" of the published peer cases.
var assessToday = time.Date(2026, time.November, 26, 0, 0, 0, 0, time.UTC)

func fref(x float64) *float64 { return &x }
func iref(x int) *int         { return &x }

// series builds a series from year, value pairs.
func series(pairs ...float64) []YearValue {
	out := make([]YearValue, 0, len(pairs)/2)
	for i := 0; i+1 < len(pairs); i += 2 {
		out = append(out, YearValue{Year: int(pairs[i]), Value: pairs[i+1]})
	}
	return out
}

// roundTo rounds x to the given number of decimals.
func roundTo(x float64, decimals int) float64 {
	p := math.Pow(10, float64(decimals))
	return math.Round(x*p) / p
}

// checkRounded asserts that got and want agree when rounded to decimals; want nil
// asserts that got is nil.
func checkRounded(t *testing.T, field string, got, want *float64, decimals int) {
	t.Helper()
	switch {
	case want == nil && got != nil:
		t.Errorf("%s = %v, want nil", field, *got)
	case want != nil && got == nil:
		t.Errorf("%s = nil, want %v", field, *want)
	case want != nil && math.Abs(roundTo(*got, decimals)-roundTo(*want, decimals)) > 1e-12:
		t.Errorf("%s = %.9f, want %v (to %d decimals)", field, *got, *want, decimals)
	}
}

func checkInt(t *testing.T, field string, got, want *int) {
	t.Helper()
	switch {
	case want == nil && got != nil:
		t.Errorf("%s = %d, want nil", field, *got)
	case want != nil && got == nil:
		t.Errorf("%s = nil, want %d", field, *want)
	case want != nil && *got != *want:
		t.Errorf("%s = %d, want %d", field, *got, *want)
	}
}

func TestAssessProgressMeasure(t *testing.T) {
	higher, lower := DirectionHigher, DirectionLower
	target := func(year int, c Comparator, v float64) *Goal {
		return &Goal{Year: year, Comparator: c, Value: v}
	}
	between := func(lo, hi float64) *Goal {
		return &Goal{Year: 2030, Comparator: Between, Value: lo, ValueMax: fref(hi)}
	}
	tests := []struct {
		name      string
		in        AssessmentInput
		status    Status
		v         *float64 // 6 decimals
		score     *float64 // 5 decimals
		baseYear  *int
		baseValue *float64
	}{
		// Published peer cases.
		{
			name:   "published a: lower is better with target",
			in:     AssessmentInput{Direction: lower, Series: series(2015, 14.5, 2023, 10.2), Goal: &Goal{Year: 2030, Value: 7.25}},
			status: StatusSubstantial, v: fref(0.952590), score: fref(2.51856),
		},
		{
			name:   "published b: higher is better moving away",
			in:     AssessmentInput{Direction: higher, Series: series(2015, 98.8, 2024, 98.3), Goal: &Goal{Year: 2030, Value: 100}},
			status: StatusDeterioration, v: fref(-0.699948), score: fref(-5),
		},
		{
			name:   "published c: no target with limit 100",
			in:     AssessmentInput{Direction: higher, Limit: fref(100), Series: series(2015, 90.0, 2021, 93.2)},
			status: StatusSubstantial, v: fref(0.005840), score: fref(2.81539),
		},
		{
			name:   "published d: single year without target",
			in:     AssessmentInput{Direction: higher, Series: series(2021, 59.9)},
			status: StatusNotAvailable,
		},
		{
			name:   "single unmet year with target is not available",
			in:     AssessmentInput{Direction: higher, Series: series(2021, 59.9), Goal: target(2030, AtLeast, 80)},
			status: StatusNotAvailable,
		},
		{
			name:   "single year meeting the target is achieved (sdg-build checks the target first)",
			in:     AssessmentInput{Direction: higher, Series: series(2021, 85), Goal: target(2030, AtLeast, 80)},
			status: StatusTargetAchieved, score: fref(5),
		},
		// Comparators.
		{
			name:   "at_most with lower direction equals Open SDG",
			in:     AssessmentInput{Direction: lower, Series: series(2015, 14.5, 2023, 10.2), Goal: target(2030, AtMost, 7.25)},
			status: StatusSubstantial, v: fref(0.952590), score: fref(2.51856),
		},
		{
			name:   "at_least moderate",
			in:     AssessmentInput{Direction: higher, Series: series(2015, 50, 2020, 55), Goal: target(2030, AtLeast, 80)},
			status: StatusModerate, v: fref(0.604621), score: fref(0.03305),
		},
		{
			name:   "at_least just under the high threshold is moderate",
			in:     AssessmentInput{Direction: higher, Series: series(2015, 50, 2020, 57.8), Goal: target(2030, AtLeast, 80)},
			status: StatusModerate, v: fref(0.924219), score: fref(2.31590),
		},
		{
			name:   "at_least limited",
			in:     AssessmentInput{Direction: higher, Series: series(2015, 50, 2020, 52), Goal: target(2030, AtLeast, 80)},
			status: StatusLimited, v: fref(0.247411), score: fref(-1.46911),
		},
		{
			name:   "at_least achieved still reports the progress value",
			in:     AssessmentInput{Direction: higher, Series: series(2015, 50, 2020, 82), Goal: target(2030, AtLeast, 80)},
			status: StatusTargetAchieved, v: fref(3.267371), score: fref(5),
		},
		{
			name:   "at_least decides the direction even when Direction says lower",
			in:     AssessmentInput{Direction: lower, Series: series(2015, 50, 2020, 55), Goal: target(2030, AtLeast, 60)},
			status: StatusSubstantial, v: fref(1.573716), score: fref(5),
		},
		{
			name:   "exactly from below",
			in:     AssessmentInput{Direction: higher, Series: series(2015, 10, 2020, 12), Goal: target(2030, Exactly, 20)},
			status: StatusModerate, v: fref(0.785241), score: fref(1.32320),
		},
		{
			name:   "exactly from above moves down whatever the direction",
			in:     AssessmentInput{Direction: higher, Series: series(2015, 30, 2020, 25), Goal: target(2030, Exactly, 20)},
			status: StatusSubstantial, v: fref(1.342667), score: fref(5),
		},
		{
			name:   "exactly met",
			in:     AssessmentInput{Direction: higher, Series: series(2015, 10, 2020, 20), Goal: target(2030, Exactly, 20)},
			status: StatusTargetAchieved, score: fref(5), v: fref(math.Inf(1)), // +Inf: any finite value
		},
		{
			name:   "between below the range aims at the lower bound",
			in:     AssessmentInput{Direction: higher, Series: series(2015, 1.0, 2020, 1.2), Goal: between(2, 3)},
			status: StatusModerate, v: fref(0.785241), score: fref(1.32320),
		},
		{
			name:   "between above the range aims at the upper bound",
			in:     AssessmentInput{Direction: higher, Series: series(2015, 5.0, 2020, 4.5), Goal: between(2, 3)},
			status: StatusModerate, v: fref(0.622777), score: fref(0.16274),
		},
		{
			name:   "between overshot from below is deterioration toward the upper bound",
			in:     AssessmentInput{Direction: higher, Series: series(2015, 1.0, 2020, 3.5), Goal: between(2, 3)},
			status: StatusDeterioration, v: fref(-3.747027), score: fref(-5),
		},
		{
			name:   "between inside the range is achieved, progress from the base's side",
			in:     AssessmentInput{Direction: lower, Series: series(2015, 1.0, 2020, 2.5), Goal: between(2, 3)},
			status: StatusTargetAchieved, v: fref(4.252631), score: fref(5),
		},
		{
			name:   "between on a bound is achieved (inclusive)",
			in:     AssessmentInput{Direction: higher, Series: series(2015, 1.0, 2020, 3), Goal: between(2, 3)},
			status: StatusTargetAchieved, score: fref(5), v: fref(math.Inf(1)),
		},
		{
			name:   "between with swapped bounds",
			in:     AssessmentInput{Direction: higher, Series: series(2015, 1.0, 2020, 1.2), Goal: between(3, 2)},
			status: StatusModerate, v: fref(0.785241), score: fref(1.32320),
		},
		{
			name:   "between without ValueMax is a one-point range",
			in:     AssessmentInput{Direction: higher, Series: series(2015, 1.0, 2020, 1.2), Goal: &Goal{Year: 2030, Comparator: Between, Value: 2}},
			status: StatusModerate, v: fref(0.785241), score: fref(1.32320),
		},
		// Base year selection.
		{
			name: "baseline supplied by the goal counts as a data point",
			in: AssessmentInput{Direction: higher, Series: series(2020, 43, 2022, 46),
				Goal: &Goal{Year: 2030, Comparator: AtLeast, Value: 60, BaselineYear: iref(2018), BaselineValue: fref(40)}},
			status: StatusSubstantial, v: fref(1.034685), score: fref(3.10495), baseYear: iref(2018), baseValue: fref(40),
		},
		{
			name: "series value wins over the goal's baseline value",
			in: AssessmentInput{Direction: higher, Series: series(2018, 44, 2022, 46),
				Goal: &Goal{Year: 2030, Comparator: AtLeast, Value: 60, BaselineYear: iref(2018), BaselineValue: fref(40)}},
			status: StatusLimited, v: fref(0.426798), score: fref(-0.72166), baseYear: iref(2018), baseValue: fref(44),
		},
		{
			name: "baseline year without value falls to the next year with data",
			in: AssessmentInput{Direction: higher, Series: series(2019, 44, 2022, 46),
				Goal: &Goal{Year: 2030, Comparator: AtLeast, Value: 60, BaselineYear: iref(2018)}},
			status: StatusLimited, v: fref(0.521995), score: fref(-0.32500), baseYear: iref(2019), baseValue: fref(44),
		},
		{
			name: "default base 2015 falls to the first later year; earlier data ignored",
			in: AssessmentInput{Direction: higher, Series: series(2012, 30, 2016, 44, 2022, 46),
				Goal: target(2030, AtLeast, 60)},
			status: StatusLimited, v: fref(0.331954), score: fref(-1.11685), baseYear: iref(2016), baseValue: fref(44),
		},
		{
			name:   "only data before the base year is not available",
			in:     AssessmentInput{Direction: higher, Series: series(2012, 30, 2014, 44)},
			status: StatusNotAvailable,
		},
		// Zero, sign and degenerate cases.
		{
			// sdg-build's growth rate from 0.001 would say 4.21 (on track);
			// the straight path expected 3.33 by 2020, 2 is 60 % of that.
			name:   "zero base is assessed on the straight path and reported as 0",
			in:     AssessmentInput{Direction: higher, Series: series(2015, 0, 2020, 2), Goal: target(2030, AtLeast, 10)},
			status: StatusModerate, v: fref(0.6), score: fref(0.00004), baseYear: iref(2015), baseValue: fref(0),
		},
		{
			name:   "zero target is replaced by 0.001",
			in:     AssessmentInput{Direction: lower, Series: series(2015, 10, 2020, 5), Goal: target(2030, AtMost, 0)},
			status: StatusLimited, v: fref(0.282129), score: fref(-1.32445),
		},
		{
			name:   "zero target counts as achieved at 0.001 (sdg-build)",
			in:     AssessmentInput{Direction: lower, Series: series(2015, 10, 2020, 0.0005), Goal: target(2030, AtMost, 0)},
			status: StatusTargetAchieved, score: fref(5), v: fref(math.Inf(1)),
		},
		{
			name:   "base and current of opposite signs with target",
			in:     AssessmentInput{Direction: higher, Series: series(2015, -5, 2020, 3), Goal: target(2030, AtLeast, 10)},
			status: StatusNotAvailable,
		},
		{
			name:   "base and current of opposite signs without target",
			in:     AssessmentInput{Direction: higher, Series: series(2015, -5, 2016, 3)},
			status: StatusNotAvailable,
		},
		{
			name:   "opposite signs over one year (where the power would still be real)",
			in:     AssessmentInput{Direction: higher, Series: series(2019, -5, 2020, 3), Goal: target(2030, AtLeast, 10)},
			status: StatusNotAvailable,
		},
		{
			name: "target year not after the base year",
			in: AssessmentInput{Direction: higher, Series: series(2031, 12),
				Goal: &Goal{Year: 2030, Comparator: AtLeast, Value: 20, BaselineYear: iref(2030), BaselineValue: fref(10)}},
			status: StatusNotAvailable,
		},
		{
			name:   "negative base flips the sign",
			in:     AssessmentInput{Direction: higher, Series: series(2015, -10, 2020, -8), Goal: target(2030, AtLeast, -5)},
			status: StatusSubstantial, v: fref(0.966542), score: fref(2.61822),
		},
		{
			name:   "target equal to base: no progress value, score -5",
			in:     AssessmentInput{Direction: higher, Series: series(2015, 50, 2020, 45), Goal: target(2030, AtLeast, 50)},
			status: StatusDeterioration, score: fref(-5),
		},
		{
			name:   "target of the opposite sign to the base is not available",
			in:     AssessmentInput{Direction: lower, Series: series(2015, 10, 2020, 5), Goal: target(2030, AtMost, -5)},
			status: StatusNotAvailable,
		},
		// No target: thresholds and limits.
		{
			name:   "limit with base at least twice the limit: C = 1",
			in:     AssessmentInput{Direction: higher, Limit: fref(50), Series: series(2015, 120, 2020, 126)},
			status: StatusModerate, v: fref(0.009806), score: fref(1.20145),
		},
		{
			name:   "limit with base between L and 2L",
			in:     AssessmentInput{Direction: higher, Limit: fref(100), Series: series(2015, 150, 2020, 160)},
			status: StatusModerate, v: fref(0.012991), score: fref(2.15470),
		},
		{
			name:   "limit with base below the limit",
			in:     AssessmentInput{Direction: higher, Limit: fref(100), Series: series(2015, 60, 2020, 62)},
			status: StatusModerate, v: fref(0.006580), score: fref(0.58480),
		},
		{
			name:   "base on the limit held: C = 0 scores 5",
			in:     AssessmentInput{Direction: higher, Limit: fref(100), Series: series(2015, 100, 2020, 100)},
			status: StatusSubstantial, v: fref(0), score: fref(5),
		},
		{
			name:   "base on the limit lost",
			in:     AssessmentInput{Direction: higher, Limit: fref(100), Series: series(2015, 100, 2020, 99)},
			status: StatusDeterioration, v: fref(-0.002008), score: fref(-2.75101),
		},
		{
			name:   "zero limit and zero base: C = 1 (b >= 2L tested first)",
			in:     AssessmentInput{Direction: higher, Limit: fref(0), Series: series(2015, 0, 2020, 0.002)},
			status: StatusSubstantial, v: fref(0.148698), score: fref(5),
		},
		{
			name:   "no limit, moderate",
			in:     AssessmentInput{Direction: higher, Series: series(2015, 100, 2020, 103)},
			status: StatusModerate, v: fref(0.005929), score: fref(0.23232),
		},
		{
			name:   "no limit, limited",
			in:     AssessmentInput{Direction: higher, Series: series(2015, 100, 2020, 101)},
			status: StatusLimited, v: fref(0.001992), score: fref(-1.50398),
		},
		{
			name:   "no limit, steep fall floors the score at -5",
			in:     AssessmentInput{Direction: higher, Series: series(2015, 100, 2016, 50)},
			status: StatusDeterioration, v: fref(-0.5), score: fref(-5),
		},
		{
			name:   "lower is better improving slowly",
			in:     AssessmentInput{Direction: lower, Series: series(2015, 100, 2020, 99)},
			status: StatusLimited, v: fref(0.002008), score: fref(-1.49598),
		},
		{
			name:   "empty direction means lower is better (sdg-build default)",
			in:     AssessmentInput{Series: series(2015, 100, 2020, 99)},
			status: StatusLimited, v: fref(0.002008), score: fref(-1.49598),
		},
		{
			name:   "unsorted input, NaN dropped, later duplicate wins",
			in:     AssessmentInput{Direction: higher, Series: series(2021, math.NaN(), 2021, 5, 2015, 90.0, 2021, 93.2, 2018, math.Inf(1)), Limit: fref(100)},
			status: StatusSubstantial, v: fref(0.005840), score: fref(2.81539),
		},
		{
			name:   "no data with target",
			in:     AssessmentInput{Direction: higher, Goal: target(2030, AtLeast, 10)},
			status: StatusNotAvailable,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.in.Today.IsZero() {
				tc.in.Today = assessToday
			}
			got := Assess(tc.in)
			if got.Status != tc.status {
				t.Fatalf("status = %q, want %q", got.Status, tc.status)
			}
			// An infinite want marks "some finite value, not checked".
			if tc.v != nil && math.IsInf(*tc.v, 1) {
				if got.ProgressValue == nil {
					t.Errorf("progress value = nil, want a value")
				}
			} else {
				checkRounded(t, "progress value", got.ProgressValue, tc.v, 6)
			}
			checkRounded(t, "score", got.Score, tc.score, 5)
			if tc.baseYear != nil {
				checkInt(t, "base year", got.BaseYear, tc.baseYear)
				checkRounded(t, "base value", got.BaseValue, tc.baseValue, 9)
			}
		})
	}
}

func TestAssessNotAvailableKeepsObservations(t *testing.T) {
	got := Assess(AssessmentInput{Direction: DirectionHigher, Series: series(2021, 59.9), Today: assessToday})
	checkInt(t, "current year", got.CurrentYear, iref(2021))
	checkRounded(t, "current value", got.CurrentValue, fref(59.9), 9)
	checkInt(t, "base year", got.BaseYear, iref(2021))
	if got.Score != nil || got.ProgressValue != nil {
		t.Errorf("score/progress value should be nil, got %v/%v", got.Score, got.ProgressValue)
	}
}

func TestAssessPassedMilestone(t *testing.T) {
	goal := func(year int, v float64) *Goal { return &Goal{Year: year, Comparator: AtLeast, Value: v} }
	tests := []struct {
		name        string
		series      []YearValue
		goal        *Goal
		status      Status
		currentYear *int
		v           *float64
		score       *float64
	}{
		{
			name:   "latest value in the target year meets it; later decline ignored",
			series: series(2015, 50, 2023, 65, 2024, 72, 2025, 60),
			goal:   goal(2024, 70), status: StatusTargetAchieved, currentYear: iref(2024), score: fref(5),
		},
		{
			name:   "latest value before the target year misses it; later recovery ignored",
			series: series(2015, 50, 2023, 55, 2025, 75),
			goal:   goal(2024, 70), status: StatusTargetMissed, currentYear: iref(2023), v: fref(0.314622), score: fref(-1.18907),
		},
		{
			name:   "single value missing a passed target is missed without a score",
			series: series(2023, 55),
			goal:   goal(2024, 70), status: StatusTargetMissed, currentYear: iref(2023),
		},
		{
			name:   "single value meeting a passed target is achieved",
			series: series(2020, 75),
			goal:   goal(2024, 70), status: StatusTargetAchieved, currentYear: iref(2020), score: fref(5),
		},
		{
			name:   "no data up to the target year",
			series: series(2025, 75),
			goal:   goal(2024, 70), status: StatusNotAvailable,
		},
		{
			name:   "no data at all",
			goal:   goal(2024, 70),
			status: StatusNotAvailable,
		},
		{
			name:   "between range judged at the target year",
			series: series(2015, 1, 2024, 2.5, 2025, 4),
			goal:   &Goal{Year: 2024, Comparator: Between, Value: 2, ValueMax: fref(3)},
			status: StatusTargetAchieved, currentYear: iref(2024), score: fref(5),
		},
		{
			name:   "target year equal to today's year is still in progress",
			series: series(2015, 50, 2020, 55),
			goal:   goal(2026, 80), status: StatusLimited, currentYear: iref(2020),
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Assess(AssessmentInput{Direction: DirectionHigher, Series: tc.series, Goal: tc.goal, Today: assessToday})
			if got.Status != tc.status {
				t.Fatalf("status = %q, want %q", got.Status, tc.status)
			}
			checkInt(t, "current year", got.CurrentYear, tc.currentYear)
			if tc.v != nil {
				checkRounded(t, "progress value", got.ProgressValue, tc.v, 6)
			}
			if tc.status != StatusLimited {
				checkRounded(t, "score", got.Score, tc.score, 5)
			}
			if got.Status == StatusTargetMissed && got.RequiredAnnualChange != nil {
				t.Errorf("required annual change = %v, want nil after the deadline", *got.RequiredAnnualChange)
			}
		})
	}
}

func TestAssessYearlyGoal(t *testing.T) {
	atLeast9 := func(year int) *Goal { return &Goal{Year: year, Comparator: AtLeast, Value: 9, Yearly: true} }
	tests := []struct {
		name     string
		dir      Direction
		series   []YearValue
		goal     *Goal
		status   Status
		v        *float64
		score    *float64
		required *float64
	}{
		{
			name: "latest year meets", dir: DirectionHigher, series: series(2023, 8.5, 2024, 9.5), goal: atLeast9(2030),
			status: StatusSubstantial, v: fref(9.5 / 9), score: fref(5),
		},
		{
			name: "latest misses and is worse than the previous year", dir: DirectionHigher, series: series(2023, 8.5, 2024, 8.1), goal: atLeast9(2030),
			status: StatusDeterioration, v: fref(0.9), score: fref(-2.75), required: fref(0.9),
		},
		{
			name: "previous year met, latest misses: worse", dir: DirectionHigher, series: series(2023, 9.5, 2024, 8.1), goal: atLeast9(2030),
			status: StatusDeterioration, v: fref(0.9), score: fref(-2.75),
		},
		{
			name: "latest misses but improves", dir: DirectionHigher, series: series(2023, 8.0, 2024, 8.1), goal: atLeast9(2030),
			status: StatusLimited, v: fref(0.9), score: fref(-0.25), required: fref(0.9),
		},
		{
			name: "one year of data is enough", dir: DirectionHigher, series: series(2024, 8.1), goal: atLeast9(2030),
			status: StatusLimited, v: fref(0.9), score: fref(-0.25),
		},
		{
			name: "at_most every year, lower is better", dir: DirectionLower, series: series(2024, 16),
			goal:   &Goal{Year: 2030, Comparator: AtMost, Value: 12, Yearly: true},
			status: StatusLimited, v: fref(0.75), score: fref(-0.625), required: fref(-4),
		},
		{
			name: "latest misses by the same amount as the previous year: limited", dir: DirectionHigher, series: series(2023, 8.1, 2024, 8.1), goal: atLeast9(2030),
			status: StatusLimited, v: fref(0.9), score: fref(-0.25),
		},
		{
			name: "negative target every year", dir: DirectionHigher, series: series(2024, -7),
			goal:   &Goal{Year: 2030, Comparator: AtLeast, Value: -5, Yearly: true},
			status: StatusLimited, v: fref(5.0 / 7), score: fref(2.5*5/7 - 2.5),
		},
		{
			name: "passed: every year met", dir: DirectionHigher, series: series(2022, 9.5, 2023, 9.1, 2024, 9.0, 2025, 10), goal: atLeast9(2025),
			status: StatusTargetAchieved, v: fref(10.0 / 9), score: fref(5),
		},
		{
			name: "passed: one year missed, data after the target year ignored", dir: DirectionHigher,
			series: series(2022, 9.5, 2023, 7.5, 2024, 9.2, 2026, 5), goal: atLeast9(2025),
			status: StatusTargetMissed, v: fref(9.2 / 9), score: fref(-2.91667),
		},
		{
			name: "passed: years before the baseline year do not count", dir: DirectionHigher,
			series: series(2018, 5, 2021, 10, 2022, 10),
			goal:   &Goal{Year: 2022, Comparator: AtLeast, Value: 9, Yearly: true, BaselineYear: iref(2020)},
			status: StatusTargetAchieved, v: fref(10.0 / 9), score: fref(5),
		},
		{
			name: "passed: no data", dir: DirectionHigher, goal: atLeast9(2025),
			status: StatusNotAvailable,
		},
		{
			name: "between every year, above the range", dir: DirectionHigher, series: series(2023, 3.5, 2024, 4),
			goal:   &Goal{Year: 2030, Comparator: Between, Value: 2, ValueMax: fref(3), Yearly: true},
			status: StatusDeterioration, v: fref(0.75), score: fref(-3.125), required: fref(-1),
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Assess(AssessmentInput{Direction: tc.dir, Series: tc.series, Goal: tc.goal, Today: assessToday})
			if got.Status != tc.status {
				t.Fatalf("status = %q, want %q", got.Status, tc.status)
			}
			checkRounded(t, "progress value", got.ProgressValue, tc.v, 6)
			checkRounded(t, "score", got.Score, tc.score, 5)
			if tc.required != nil {
				checkRounded(t, "required annual change", got.RequiredAnnualChange, tc.required, 6)
			}
			if got.Status == StatusSubstantial && got.RequiredAnnualChange != nil {
				t.Errorf("required annual change = %v, want nil when met", *got.RequiredAnnualChange)
			}
		})
	}
}

func TestAssessPlanningFigures(t *testing.T) {
	tests := []struct {
		name      string
		in        AssessmentInput
		expected  *float64 // 6 decimals
		projected *int
		required  *float64 // 6 decimals
	}{
		{
			name:     "published a",
			in:       AssessmentInput{Direction: DirectionLower, Series: series(2015, 14.5, 2023, 10.2), Goal: &Goal{Year: 2030, Value: 7.25}},
			expected: fref(8.747671), projected: iref(2031), required: fref(-0.421429),
		},
		{
			name:     "published b: moving away never reaches the target",
			in:       AssessmentInput{Direction: DirectionHigher, Series: series(2015, 98.8, 2024, 98.3), Goal: &Goal{Year: 2030, Value: 100}},
			expected: fref(99.752110), projected: nil, required: fref(0.283333),
		},
		{
			name: "baseline from the goal",
			in: AssessmentInput{Direction: DirectionHigher, Series: series(2020, 43, 2022, 46),
				Goal: &Goal{Year: 2030, Comparator: AtLeast, Value: 60, BaselineYear: iref(2018), BaselineValue: fref(40)}},
			expected: fref(54.835616), projected: iref(2030), required: fref(1.75),
		},
		{
			name:     "between aims at the nearer bound",
			in:       AssessmentInput{Direction: DirectionHigher, Series: series(2015, 1.0, 2020, 1.2), Goal: &Goal{Year: 2030, Comparator: Between, Value: 2, ValueMax: fref(3)}},
			expected: fref(1.793425), projected: iref(2035), required: fref(0.08),
		},
		{
			name:     "base inside a range: the expected line stays at the base",
			in:       AssessmentInput{Direction: DirectionHigher, Series: series(2015, 2.5, 2020, 3.5), Goal: &Goal{Year: 2030, Comparator: Between, Value: 2, ValueMax: fref(3)}},
			expected: fref(2.5), projected: nil, required: fref(-0.05),
		},
		{
			name:     "yearly range met: expected is the current value",
			in:       AssessmentInput{Direction: DirectionHigher, Series: series(2024, 2.5), Goal: &Goal{Year: 2030, Comparator: Between, Value: 2, ValueMax: fref(3), Yearly: true}},
			expected: fref(2.5), projected: nil, required: nil,
		},
		{
			name:     "achieved: nothing projected or required",
			in:       AssessmentInput{Direction: DirectionHigher, Series: series(2015, 50, 2020, 82), Goal: &Goal{Year: 2030, Comparator: AtLeast, Value: 80}},
			expected: fref(73.802740), projected: nil, required: nil,
		},
		{
			name:     "no goal: no planning figures",
			in:       AssessmentInput{Direction: DirectionHigher, Series: series(2015, 50, 2020, 82)},
			expected: nil, projected: nil, required: nil,
		},
		{
			name:     "passed milestone: expected is the target, nothing required",
			in:       AssessmentInput{Direction: DirectionHigher, Series: series(2015, 50, 2023, 55), Goal: &Goal{Year: 2024, Comparator: AtLeast, Value: 70}},
			expected: fref(70), projected: iref(2044), required: nil,
		},
		{
			name: "today before the base year: expected is the base value",
			in: AssessmentInput{Direction: DirectionHigher, Series: series(2015, 50, 2020, 55), Goal: &Goal{Year: 2030, Comparator: AtLeast, Value: 80},
				Today: time.Date(2010, 6, 1, 0, 0, 0, 0, time.UTC)},
			expected: fref(50), projected: iref(2040), required: fref(2.5),
		},
		{
			name:     "pace too slow to project within 1000 years",
			in:       AssessmentInput{Direction: DirectionHigher, Series: series(2015, 50, 2020, 50.0001), Goal: &Goal{Year: 2030, Comparator: AtLeast, Value: 80}},
			expected: fref(73.802740), projected: nil, required: fref(2.999990),
		},
		{
			name:     "flat series never reaches the target",
			in:       AssessmentInput{Direction: DirectionHigher, Series: series(2015, 50, 2020, 50), Goal: &Goal{Year: 2030, Comparator: AtLeast, Value: 80}},
			expected: fref(73.802740), projected: nil, required: fref(3),
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.in.Today.IsZero() {
				tc.in.Today = assessToday
			}
			got := Assess(tc.in)
			checkRounded(t, "expected now", got.ExpectedNow, tc.expected, 6)
			checkInt(t, "projected year", got.ProjectedYear, tc.projected)
			checkRounded(t, "required annual change", got.RequiredAnnualChange, tc.required, 6)
		})
	}
}

func TestAssessGoalBaselineAfterTheData(t *testing.T) {
	// The goal's baseline is later than every observation, so it becomes the
	// current point as well as the base: one point, not available.
	got := Assess(AssessmentInput{Direction: DirectionHigher, Series: series(2016, 52, 2015, 50), Today: assessToday,
		Goal: &Goal{Year: 2030, Comparator: AtLeast, Value: 80, BaselineYear: iref(2018), BaselineValue: fref(55)}})
	if got.Status != StatusNotAvailable {
		t.Errorf("status = %q, want not_available", got.Status)
	}
	checkInt(t, "current year", got.CurrentYear, iref(2018))
	checkInt(t, "base year", got.BaseYear, iref(2018))
}

func TestAssessDoesNotModifyInput(t *testing.T) {
	in := series(2023, 10.2, 2015, 14.5)
	Assess(AssessmentInput{Direction: DirectionLower, Series: in, Today: assessToday,
		Goal: &Goal{Year: 2030, Value: 7.25, BaselineYear: iref(2014), BaselineValue: fref(15)}})
	if in[0] != (YearValue{2023, 10.2}) || in[1] != (YearValue{2015, 14.5}) || len(in) != 2 {
		t.Errorf("series modified: %v", in)
	}
}

func TestAssessmentJSONIsFinite(t *testing.T) {
	// Target equal to the base makes v infinite; it must not reach the JSON.
	a := Assess(AssessmentInput{Direction: DirectionHigher, Series: series(2015, 50, 2020, 45),
		Goal: &Goal{Year: 2030, Comparator: AtLeast, Value: 50}, Today: assessToday})
	b, err := json.Marshal(a)
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	if m["status"] != string(StatusDeterioration) || m["progress_value"] != nil || m["score"] != -5.0 {
		t.Errorf("unexpected JSON %s", b)
	}
}

func TestGoalMet(t *testing.T) {
	tests := []struct {
		name  string
		goal  Goal
		value float64
		want  bool
	}{
		{"at_least above", Goal{Comparator: AtLeast, Value: 9}, 9.5, true},
		{"at_least equal", Goal{Comparator: AtLeast, Value: 9}, 9, true},
		{"at_least below", Goal{Comparator: AtLeast, Value: 9}, 8.99, false},
		{"empty comparator is at_least", Goal{Value: 9}, 8.99, false},
		{"at_most below", Goal{Comparator: AtMost, Value: 12}, 11, true},
		{"at_most equal", Goal{Comparator: AtMost, Value: 12}, 12, true},
		{"at_most above", Goal{Comparator: AtMost, Value: 12}, 12.01, false},
		{"at_most zero is not relaxed", Goal{Comparator: AtMost, Value: 0}, 0.0005, false},
		{"exactly equal", Goal{Comparator: Exactly, Value: 100}, 100, true},
		{"exactly within 1e-9 relative", Goal{Comparator: Exactly, Value: 100}, 100 + 5e-8, true},
		{"exactly outside 1e-9 relative", Goal{Comparator: Exactly, Value: 100}, 100 + 1e-6, false},
		{"exactly zero", Goal{Comparator: Exactly, Value: 0}, 1e-12, false},
		{"between inside", Goal{Comparator: Between, Value: 2, ValueMax: fref(3)}, 2.5, true},
		{"between lower bound", Goal{Comparator: Between, Value: 2, ValueMax: fref(3)}, 2, true},
		{"between upper bound", Goal{Comparator: Between, Value: 2, ValueMax: fref(3)}, 3, true},
		{"between below", Goal{Comparator: Between, Value: 2, ValueMax: fref(3)}, 1.99, false},
		{"between above", Goal{Comparator: Between, Value: 2, ValueMax: fref(3)}, 3.01, false},
		{"between swapped bounds", Goal{Comparator: Between, Value: 3, ValueMax: fref(2)}, 2.5, true},
		{"between without max", Goal{Comparator: Between, Value: 2}, 2.5, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.goal.Met(tc.value); got != tc.want {
				t.Errorf("Met(%v) = %v, want %v", tc.value, got, tc.want)
			}
		})
	}
}

func TestBehindOrdering(t *testing.T) {
	scored := func(s Status, score float64) Assessment { return Assessment{Status: s, Score: fref(score)} }
	byName := map[string]Assessment{
		"not available": {Status: StatusNotAvailable},
		"achieved":      scored(StatusTargetAchieved, 5),
		"substantial":   scored(StatusSubstantial, 4),
		"moderate":      scored(StatusModerate, 1),
		"limited":       scored(StatusLimited, -1),
		"deterioration": scored(StatusDeterioration, -5),
		"missed":        scored(StatusTargetMissed, 3),
	}
	want := []string{"missed", "deterioration", "limited", "moderate", "substantial", "achieved", "not available"}
	names := make([]string, 0, len(byName))
	for n := range byName {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool { return byName[names[i]].Behind() > byName[names[j]].Behind() })
	for i := range want {
		if names[i] != want[i] {
			t.Fatalf("order = %v, want %v", names, want)
		}
	}

	t.Run("formula", func(t *testing.T) {
		cases := []struct {
			a    Assessment
			want float64
		}{
			{scored(StatusModerate, 1), 4},
			{scored(StatusDeterioration, -5), 10},
			{scored(StatusTargetMissed, 3), 12},
			{Assessment{Status: StatusTargetMissed}, 15},
			{scored(StatusTargetAchieved, 5), -1},
			{Assessment{Status: StatusNotAvailable}, -2},
		}
		for _, c := range cases {
			if got := c.a.Behind(); got != c.want {
				t.Errorf("Behind(%s) = %v, want %v", c.a.Status, got, c.want)
			}
		}
	})

	t.Run("real assessments", func(t *testing.T) {
		slow := Assess(AssessmentInput{Direction: DirectionHigher, Series: series(2015, 50, 2020, 52),
			Goal: &Goal{Year: 2030, Comparator: AtLeast, Value: 80}, Today: assessToday})
		fast := Assess(AssessmentInput{Direction: DirectionHigher, Series: series(2015, 50, 2020, 55),
			Goal: &Goal{Year: 2030, Comparator: AtLeast, Value: 80}, Today: assessToday})
		if !(slow.Behind() > fast.Behind()) {
			t.Errorf("slower pace should be further behind: %v vs %v", slow.Behind(), fast.Behind())
		}
	})
}

func TestStatusOnTrack(t *testing.T) {
	want := map[Status]bool{
		StatusTargetAchieved: true,
		StatusSubstantial:    true,
		StatusModerate:       false,
		StatusLimited:        false,
		StatusDeterioration:  false,
		StatusTargetMissed:   false,
		StatusNotAvailable:   false,
	}
	for s, ok := range want {
		t.Run(string(s), func(t *testing.T) {
			if s.OnTrack() != ok {
				t.Errorf("%s.OnTrack() = %v, want %v", s, !ok, ok)
			}
		})
	}
}

func TestStatusesDisplayOrder(t *testing.T) {
	want := []Status{StatusTargetAchieved, StatusSubstantial, StatusModerate, StatusLimited,
		StatusDeterioration, StatusTargetMissed, StatusNotAvailable}
	if len(Statuses) != len(want) {
		t.Fatalf("Statuses = %v, want %v", Statuses, want)
	}
	for i := range want {
		if Statuses[i] != want[i] {
			t.Errorf("Statuses[%d] = %q, want %q", i, Statuses[i], want[i])
		}
	}
}
