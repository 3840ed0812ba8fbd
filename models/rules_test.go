package models

import (
	"testing"
	"time"
)

func TestCheckTreeFindsCycles(t *testing.T) {
	tree := map[string]string{"VN": "", "VN-SG": "VN", "D1": "VN-SG", "W1": "D1", "SELF": "SELF", "A": "B", "B": "C", "C": "A", "UNDER": "A"}
	got := CheckTree(tree)
	want := []string{"A", "B", "C", "SELF"}
	if len(got) != len(want) {
		t.Fatalf("cycles = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("cycles = %v, want %v", got, want)
		}
	}
}

// TestWalksSurviveAStoredCycle: a cycle already in the database (written
// before imports were checked) ends every walk of the tree.
func TestWalksSurviveAStoredCycle(t *testing.T) {
	id := func(n uint) *uint { return &n }
	units := []Unit{{ID: 1, Code: "TOP"}, {ID: 2, Code: "CYC-A", ParentID: id(3)}, {ID: 3, Code: "CYC-B", ParentID: id(2)},
		{ID: 4, Code: "SELF", ParentID: id(4)}, {ID: 5, Code: "LEAF", ParentID: id(2)}}
	if got := Subtree(units, 2); len(got) != 3 {
		t.Errorf("subtree of CYC-A: %d units, want CYC-A, CYC-B and LEAF once each", len(got))
	}
	if got := Subtree(units, 4); len(got) != 1 {
		t.Errorf("subtree of SELF: %d units", len(got))
	}
	if got := treeOrder(units, 2); len(got) != 3 {
		t.Errorf("tree below CYC-A: %d units", len(got))
	}
	if got := treeOrder(units, 0); len(got) != 1 {
		t.Errorf("every tree from its top: %d units (the cycle has no top)", len(got))
	}
}

// A unit's life is checked the same way wherever it comes from (the units
// page, an import): the end after the start, both within the known years.
func TestCheckUnitLife(t *testing.T) {
	day := func(s string) *time.Time {
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			t.Fatal(err)
		}
		return &d
	}
	for _, c := range []struct {
		started, ended *time.Time
		bad            string
	}{
		{nil, nil, ""},
		{day("2021-01-01"), day("2025-07-01"), ""},
		{day("2025-07-01"), day("2025-07-01"), "ended_on"},
		{day("2025-07-01"), day("2021-01-01"), "ended_on"},
		{day("1850-01-01"), nil, "started_on"},
		{nil, day("2300-01-01"), "ended_on"},
	} {
		u := Unit{Code: "X", NameVI: "X", NameEN: "X", Level: LevelWard, StartedOn: c.started, EndedOn: c.ended}
		p := CheckUnit(&u)
		if c.bad == "" && len(p) > 0 || c.bad != "" && p[c.bad].Key == "" {
			t.Errorf("%v → %v: problems %v, want one on %q", c.started, c.ended, p, c.bad)
		}
	}
}
