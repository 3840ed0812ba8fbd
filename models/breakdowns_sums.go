package models

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// Where an indicator's roll-up is a sum (households, funds, people), the
// parts of a total along some dimensions should add up to it. A total is
// never replaced by its parts; parts that do not add up are flagged, a
// warning and not a refusal (a published total may count people whose
// sex was not recorded).

// BreakdownSumTolerance is the share of a total by which the sum of its
// parts may differ before it is flagged, beyond the rounding of the parts
// to the indicator's decimals.
const BreakdownSumTolerance = 0.005

// SumMismatch is a stored total whose parts, along Dimensions, add up to
// Sum instead.
type SumMismatch struct {
	UnitID     uint
	Period     string
	Dimensions string // the dimension codes the parts are broken down by, e.g. "SEX" or "SEX;URBANISATION"
	Parts      int
	Total, Sum float64
}

// CheckBreakdownSums compares, for an indicator whose roll-up is a sum,
// each total with the sum of its parts along each set of dimensions whose
// every combination of values is present (SEX=F and SEX=M; or the four of
// SEX × URBANISATION). A set with a value missing, or with AGE (its bands
// overlap), is not compared: its sum means nothing. dims gives each
// dimension's values; parts carry their Breakdown. Mismatches come sorted
// by unit, period and dimensions.
func CheckBreakdownSums(ind Indicator, dims []Dimension, totals, parts []Observation) []SumMismatch {
	if ind.Rollup != RollupSum || len(parts) == 0 {
		return nil
	}
	size := map[string]int{}
	for _, d := range dims {
		size[d.Code] = len(d.Values)
	}
	type group struct {
		unit         uint
		period, dims string
	}
	sums, counts := map[group]float64{}, map[group]int{}
	for _, p := range parts {
		pairs, err := ParseBreakdown(p.Breakdown)
		if err != nil || len(pairs) == 0 {
			continue
		}
		names := make([]string, len(pairs))
		for i, pair := range pairs {
			names[i] = pair.Dimension
		}
		g := group{p.UnitID, p.Period, strings.Join(names, ";")}
		sums[g] += p.Value
		counts[g]++
	}
	total := map[string]float64{}
	for _, o := range totals {
		total[fmt.Sprint(o.UnitID, "/", o.Period)] = o.Value
	}
	rounding := 0.5 * math.Pow(10, -float64(ind.Decimals))
	var out []SumMismatch
	for g, sum := range sums {
		t, ok := total[fmt.Sprint(g.unit, "/", g.period)]
		if !ok || counts[g] != combinations(size, g.dims) {
			continue
		}
		allowed := math.Max(BreakdownSumTolerance*math.Abs(t), rounding*float64(counts[g]))
		if math.Abs(sum-t) > allowed {
			out = append(out, SumMismatch{UnitID: g.unit, Period: g.period, Dimensions: g.dims, Parts: counts[g], Total: t, Sum: sum})
		}
	}
	slices.SortFunc(out, func(a, b SumMismatch) int {
		if a.UnitID != b.UnitID {
			return int(a.UnitID) - int(b.UnitID)
		}
		if a.Period != b.Period {
			pa, _ := ParsePeriod(a.Period)
			pb, _ := ParsePeriod(b.Period)
			return periodKey(pa) - periodKey(pb)
		}
		return strings.Compare(a.Dimensions, b.Dimensions)
	})
	return out
}

// overlapping are the dimensions whose values overlap by design (the
// SDMX age bands Y15T64 and Y_GE15 share people): their sums mean nothing.
var overlapping = map[string]bool{"AGE": true}

// combinations is how many breakdowns cover every value of the dimensions
// (codes joined by ";"); -1 when one is unknown or has no value.
func combinations(size map[string]int, dims string) int {
	n := 1
	for _, d := range strings.Split(dims, ";") {
		if size[d] == 0 || overlapping[d] {
			return -1
		}
		n *= size[d]
	}
	return n
}

// BreakdownSumMismatches is CheckBreakdownSums on what is stored for the
// indicator in a unit (every unit: 0).
func (s *Store) BreakdownSumMismatches(ind Indicator, unitID uint) ([]SumMismatch, error) {
	if ind.Rollup != RollupSum {
		return nil, nil
	}
	vals, err := s.BreakdownValues(ind.ID, unitID, "")
	if err != nil || len(vals) == 0 {
		return nil, err
	}
	dims, err := s.IndicatorDimensions(ind.ID)
	if err != nil {
		return nil, err
	}
	q := s.db.Where("indicator_id = ?", ind.ID)
	if unitID != 0 {
		q = q.Where("unit_id = ?", unitID)
	}
	var totals []Observation
	if err := q.Find(&totals).Error; err != nil {
		return nil, fmt.Errorf("store: unable to fetch observations: %w", err)
	}
	parts := make([]Observation, len(vals))
	for i, v := range vals {
		parts[i] = v.Observation()
	}
	return CheckBreakdownSums(ind, dims, totals, parts), nil
}
