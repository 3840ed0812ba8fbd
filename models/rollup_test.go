package models

import (
	"math"
	"testing"
	"time"
)

func obs(period string, v float64) Observation {
	p, _ := ParsePeriod(period)
	return Observation{IndicatorID: 7, Period: period, Year: p.Year, Value: v}
}

func TestRollUp(t *testing.T) {
	children := []ChildValues{
		{Values: []Observation{obs("2023", 10), obs("2024", 20)}, Weights: []Observation{obs("2023", 1), obs("2024", 3)}},
		{Values: []Observation{obs("2024", 40)}, Weights: []Observation{obs("2024", 1)}},
		{Values: []Observation{obs("2024", 90)}}, // no weight: left out of a weighted value
		{},
	}
	own := []Observation{obs("2022", 5)}
	cases := []struct {
		rule     RollupRule
		want2024 float64
		from     int
	}{
		{RollupSum, 150, 3},
		{RollupMean, 50, 3},
		{RollupWeighted, (3*20 + 1*40) / 4.0, 2},
	}
	for _, c := range cases {
		t.Run(string(c.rule), func(t *testing.T) {
			half := 0.5
			got := RollUp(Indicator{Rollup: c.rule, RollupThreshold: &half}, own, children)
			// 2023: one child of four, under the threshold.
			if len(got) != 2 || got[0].Period != "2022" || got[0].Rollup != nil {
				t.Fatalf("want own 2022 then computed 2024; got %+v", got)
			}
			last := got[1]
			if last.Period != "2024" || math.Abs(last.Value-c.want2024) > 1e-9 {
				t.Errorf("2024 = %v, want %v", last.Value, c.want2024)
			}
			if last.Rollup == nil || last.Rollup.From != c.from || last.Rollup.Of != 4 || last.Rollup.Rule != c.rule {
				t.Errorf("rollup = %+v, want from %d of 4", last.Rollup, c.from)
			}
		})
	}
}

func TestRollUpKeepsOwnValues(t *testing.T) {
	own := []Observation{obs("2024", 1)}
	got := RollUp(Indicator{Rollup: RollupSum}, own, []ChildValues{{Values: []Observation{obs("2024", 50), obs("2025", 60)}}})
	if len(got) != 2 || got[0].Value != 1 || got[0].Rollup != nil || got[1].Value != 60 || got[1].Rollup == nil {
		t.Fatalf("own value must win, the missing period be computed: %+v", got)
	}
	if got := RollUp(Indicator{}, own, []ChildValues{{Values: []Observation{obs("2025", 60)}}}); len(got) != 1 {
		t.Errorf("no rule: nothing computed, got %+v", got)
	}
}

func TestRollUpDemoIsContagious(t *testing.T) {
	d := obs("2024", 3)
	d.Demo = true
	got := RollUp(Indicator{Rollup: RollupMean}, nil, []ChildValues{{Values: []Observation{obs("2024", 1)}}, {Values: []Observation{d}}})
	if len(got) != 1 || !got[0].Demo {
		t.Fatalf("a value computed from demo values is demo: %+v", got)
	}
}

func TestInheritTargets(t *testing.T) {
	own := []Target{{IndicatorID: 1, UnitID: 3, Year: 2030, Value: 80}}
	parent := []Target{{IndicatorID: 1, UnitID: 2, Year: 2030, Value: 100}, {IndicatorID: 2, UnitID: 2, Year: 2025, Value: 60}}
	top := []Target{{IndicatorID: 2, UnitID: 1, Year: 2025, Value: 50}, {IndicatorID: 3, UnitID: 1, Year: 2030, Value: 9, Yearly: true}}
	got := InheritTargets(own, [][]Target{parent, top})
	want := map[uint]uint{1: 3, 2: 2, 3: 1} // indicator → unit whose target applies
	if len(got) != 3 {
		t.Fatalf("got %d targets, want 3: %+v", len(got), got)
	}
	for _, tg := range got {
		if want[tg.IndicatorID] != tg.UnitID {
			t.Errorf("indicator %d takes the target of unit %d, want %d", tg.IndicatorID, tg.UnitID, want[tg.IndicatorID])
		}
	}
	if ys := TargetMilestones(got); len(ys) != 2 || ys[0] != 2025 || ys[1] != 2030 {
		t.Errorf("milestones %v, want [2025 2030] (yearly targets are not milestones)", ys)
	}
}

func TestNeedsAttentionOrdersByBehind(t *testing.T) {
	score := func(v float64) *float64 { return &v }
	tg := &Target{}
	rows := []Progress{
		{Indicator: Indicator{Code: "ok"}, Target: tg, Assessment: Assessment{Status: StatusTargetAchieved}},
		{Indicator: Indicator{Code: "slow"}, Target: tg, Assessment: Assessment{Status: StatusLimited, Score: score(-1)}},
		{Indicator: Indicator{Code: "missed"}, Target: tg, Assessment: Assessment{Status: StatusTargetMissed, Score: score(-3)}},
		{Indicator: Indicator{Code: "good"}, Target: tg, Assessment: Assessment{Status: StatusSubstantial, Score: score(4)}},
		{Indicator: Indicator{Code: "notarget"}, Assessment: Assessment{Status: StatusDeterioration}},
		{Indicator: Indicator{Code: "na"}, Target: tg, Assessment: Assessment{Status: StatusNotAvailable}},
	}
	got := NeedsAttention(rows, 0)
	var codes []string
	for _, r := range got {
		codes = append(codes, r.Indicator.Code)
	}
	if len(codes) != 2 || codes[0] != "missed" || codes[1] != "slow" {
		t.Fatalf("order %v, want [missed slow]: achieved, on track, unknown and untargeted left out", codes)
	}
	if got := NeedsAttention(rows, 1); len(got) != 1 {
		t.Errorf("limit 1 gave %d", len(got))
	}
}

// TestRollUpFillsGapsNeverReplaces is the city's 5G row after a planner
// entered Quận 6 = 60 for 2026: one child of 22 is no mean of the city, and
// the city's own 48 % (2025) stays its latest value.
func TestRollUpFillsGapsNeverReplaces(t *testing.T) {
	mean := Indicator{Rollup: RollupMean}
	own := []Observation{obs("2024", 30), obs("2025", 48)}
	children := make([]ChildValues, 22)
	for i := range children {
		children[i].Values = []Observation{obs("2023", 10+float64(i))}
	}
	children[5].Values = append(children[5].Values, obs("2026", 60))
	got := RollUp(mean, own, children)
	if last := got[len(got)-1]; last.Period != "2025" || last.Value != 48 || last.Rollup != nil {
		t.Fatalf("latest %+v, want the city's own 48 (2025)", last)
	}
	if got[0].Period != "2023" || got[0].Rollup == nil || got[0].Rollup.From != 22 || got[0].Rollup.Of != 22 {
		t.Errorf("2023, where every child has a value and the city none, is computed: %+v", got[0])
	}
	// 80 % for a mean: 18 of 22 is enough, 17 is not.
	for n, want := range map[int]bool{18: true, 17: false} {
		cs := make([]ChildValues, 22)
		for i := 0; i < n; i++ {
			cs[i].Values = []Observation{obs("2024", 50)}
		}
		if got := RollUp(mean, nil, cs); (len(got) == 1) != want {
			t.Errorf("%d of 22 children: computed %v, want %v", n, len(got) == 1, want)
		}
	}
	// A sum needs every child; a threshold set on the indicator wins.
	sum := Indicator{Rollup: RollupSum}
	cs := []ChildValues{{Values: []Observation{obs("2024", 5)}}, {}}
	if got := RollUp(sum, nil, cs); len(got) != 0 {
		t.Errorf("a sum of 1 of 2 children: %+v", got)
	}
	half := 0.5
	sum.RollupThreshold = &half
	if got := RollUp(sum, nil, cs); len(got) != 1 || got[0].Rollup.From != 1 || got[0].Rollup.Of != 2 {
		t.Errorf("a sum at a threshold of 50 %%: %+v", got)
	}
}

// TestRollUpCountsChildrenThatExisted: districts that ended on 01/07/2025
// count in 2025 and not in 2026; their values for 2026 are not used.
func TestRollUpCountsChildrenThatExisted(t *testing.T) {
	ended := time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)
	started := time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)
	district := Unit{EndedOn: &ended}
	ward := Unit{StartedOn: &started}
	children := []ChildValues{
		{Unit: district, Values: []Observation{obs("2024", 10), obs("2026", 99)}},
		{Unit: ward, Values: []Observation{obs("2024", 77), obs("2026", 20)}},
	}
	got := RollUp(Indicator{Rollup: RollupSum}, nil, children)
	if len(got) != 2 || got[0].Value != 10 || got[0].Rollup.Of != 1 || got[1].Value != 20 || got[1].Rollup.Of != 1 {
		t.Fatalf("2024 from the district alone, 2026 from the ward alone: %+v", got)
	}
}
