package models

import (
	"strings"
	"testing"
)

// FuzzParsePeriod: whatever is typed, ParsePeriod either refuses it or
// returns a period whose canonical form is what was typed (up to case and
// surrounding space), and which parses back to itself.
func FuzzParsePeriod(f *testing.F) {
	for _, s := range []string{"2024", "2024-Q3", "2024-q1", "2024-05", " 2030 ", "2024-13", "2024-Q5", "1899", "2101", "abcd", "٢٠٢٤", "2024-Q3\n", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePeriod(s)
		if err != nil {
			return
		}
		if p.Year < 1900 || p.Year > 2100 || p.Quarter < 0 || p.Quarter > 4 || p.Month < 0 || p.Month > 12 || (p.Quarter > 0 && p.Month > 0) {
			t.Fatalf("ParsePeriod(%q) = %+v: out of range", s, p)
		}
		if got, want := p.String(), strings.ToUpper(strings.TrimSpace(s)); got != want {
			t.Fatalf("ParsePeriod(%q) accepted it as %s", s, got)
		}
		again, err := ParsePeriod(p.String())
		if err != nil || again != p {
			t.Fatalf("%s does not parse back: %+v, %v", p, again, err)
		}
		if !p.Started(p.End()) {
			t.Fatalf("%s has not started at its own end", p)
		}
	})
}
