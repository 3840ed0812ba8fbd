package importer

import (
	"testing"

	"tiendo/models"
)

// seenKeys tells a key seen before, whether its series comes back at once
// or after others, and tells apart keys that differ in one part only.
func TestSeenKeysTellsRepeatedKeys(t *testing.T) {
	s := newSeenKeys()
	q1, q2 := models.Period{Year: 2020, Quarter: 1}, models.Period{Year: 2020, Quarter: 2}
	steps := []struct {
		ind, unit, bd string
		p             models.Period
		seen          bool
	}{
		{"a", "u", "", q1, false},
		{"a", "u", "", q2, false},
		{"a", "u", "", q1, true}, // the same series, at once
		{"a", "v", "", q1, false},
		{"b", "u", "", q1, false},
		{"a", "u", "SEX=F", q1, false},
		{"a", "u", "", q2, true}, // after other series
		{"b", "u", "", q1, true},
		{"a", "u", "", models.Period{Year: 2020}, false},
	}
	for i, st := range steps {
		if got := s.add(st.ind, st.unit, st.bd, st.p); got != st.seen {
			t.Errorf("step %d %v: seen %v, want %v", i, st, got, st.seen)
		}
	}
}
