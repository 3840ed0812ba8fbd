package models

import (
	"testing"
	"time"
)

func TestParsePeriod(t *testing.T) {
	cases := []struct {
		in      string
		want    string
		freq    string
		wantErr bool
	}{
		{"2024", "2024", FrequencyYear, false},
		{" 2024-q3 ", "2024-Q3", FrequencyQuarter, false},
		{"2024-05", "2024-05", FrequencyMonth, false},
		{"2024-5", "", "", true},
		{"2024-13", "", "", true},
		{"2024-Q5", "", "", true},
		{"24", "", "", true},
		{"abcd", "", "", true},
		{"2024/2025", "", "", true},
		{"", "", "", true},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			p, err := ParsePeriod(c.in)
			if (err != nil) != c.wantErr {
				t.Fatalf("err = %v, want error %v", err, c.wantErr)
			}
			if err == nil && (p.String() != c.want || p.Frequency() != c.freq) {
				t.Errorf("got %s (%s), want %s (%s)", p, p.Frequency(), c.want, c.freq)
			}
		})
	}
}

func TestPeriodStarted(t *testing.T) {
	now := time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)
	for in, want := range map[string]bool{"2026": true, "2027": false, "2026-Q4": true, "2027-Q1": false, "2026-11": true, "2026-12": false} {
		p, _ := ParsePeriod(in)
		if got := p.Started(now); got != want {
			t.Errorf("%s started = %v, want %v", in, got, want)
		}
	}
}

func TestAnnualSeriesPrefersYearThenLatest(t *testing.T) {
	obs := []Observation{
		{Period: "2020-Q4", Value: 4}, {Period: "2020-Q2", Value: 2},
		{Period: "2021-03", Value: 30}, {Period: "2021", Value: 21}, {Period: "2021-12", Value: 99},
		{Period: "2019-11", Value: 11},
	}
	got := AnnualSeries(obs)
	want := []YearValue{{2019, 11}, {2020, 4}, {2021, 21}}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("got %v, want %v", got, want)
		}
	}
}

func TestBuildProgressRowsPerMilestone(t *testing.T) {
	unit := Unit{ID: 1, Code: "U"}
	inds := []Indicator{
		{ID: 1, Code: "a", Direction: DirectionHigher},
		{ID: 2, Code: "b", Direction: DirectionHigher},
		{ID: 3, Code: "c", Direction: DirectionHigher}, // no target, no value: left out
		{ID: 4, Code: "d", Direction: DirectionHigher},
	}
	targets := []Target{
		{IndicatorID: 1, Year: 2025, Comparator: AtLeast, Value: 100},
		{IndicatorID: 1, Year: 2030, Comparator: AtLeast, Value: 100},
		{IndicatorID: 2, Year: 2030, Comparator: AtLeast, Value: 9, Yearly: true},
	}
	obs := map[uint][]Observation{4: {{Period: "2020", Value: 1}, {Period: "2021", Value: 2}}}
	today := time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)

	all := BuildProgress(unit, inds, targets, obs, 0, today)
	if len(all) != 4 { // a×2, b, d
		t.Fatalf("all milestones: %d rows, want 4", len(all))
	}
	at2025 := BuildProgress(unit, inds, targets, obs, 2025, today)
	if len(at2025) != 3 || at2025[0].Target == nil || at2025[0].Target.Year != 2025 {
		t.Fatalf("2025: %+v", at2025)
	}
	if at2025[1].Target == nil || !at2025[1].Target.Yearly {
		t.Errorf("a yearly target to 2030 applies at 2025")
	}
	if at2025[2].Target != nil || at2025[2].Indicator.Code != "d" {
		t.Errorf("an indicator without target is assessed without one")
	}
}

func TestDefaultMilestone(t *testing.T) {
	today := time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)
	if got := DefaultMilestone([]int{2030, 2025}, today); got != 2030 {
		t.Errorf("got %d, want the next milestone 2030", got)
	}
	if got := DefaultMilestone([]int{2020}, today); got != 2020 {
		t.Errorf("got %d, want the latest passed milestone 2020", got)
	}
	if got := DefaultMilestone(nil, today); got != 0 {
		t.Errorf("got %d, want 0", got)
	}
}

func TestRoleAllows(t *testing.T) {
	if !RoleAdmin.Allows(RolePlanner) || RoleViewer.Allows(RoleAnalyst) || !RoleAnonymous.Allows(RoleAnonymous) {
		t.Error("role order is admin > planner > analyst > viewer > anonymous")
	}
	if RoleAnonymous.Valid() || !RoleAnalyst.Valid() || Role("boss").Valid() {
		t.Error("Valid accepts only real roles")
	}
}
