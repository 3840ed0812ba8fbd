package models

import (
	"maps"
	"sort"
)

// RollupRule is how a parent's value is computed from its children's.
type RollupRule string

// Roll-up rules. RollupNone leaves a parent without a value of its own empty.
const (
	RollupNone     RollupRule = ""
	RollupSum      RollupRule = "sum"      // counts and amounts: households, billion VND
	RollupMean     RollupRule = "mean"     // rates where every child counts alike
	RollupWeighted RollupRule = "weighted" // rates weighted by another indicator (e.g. households)
)

// Rollup tells that a value was computed, by which rule, from how many of
// how many children (those that existed in the period).
type Rollup struct {
	Rule RollupRule `json:"rule"`
	From int        `json:"from"`
	Of   int        `json:"of"`
}

// Default coverage thresholds: a sum is only a total when every child is
// in it; a mean of most children is a fair estimate of all.
const (
	defaultSumCoverage  = 1.0
	defaultMeanCoverage = 0.8
)

// RollupCoverage is the share of the children that must have a value in a
// period before the indicator's value is computed from theirs.
func (ind Indicator) RollupCoverage() float64 {
	switch {
	case ind.RollupThreshold != nil:
		return *ind.RollupThreshold
	case ind.Rollup == RollupSum:
		return defaultSumCoverage
	}
	return defaultMeanCoverage
}

// ChildValues is one child's values of an indicator and, for a weighted
// rule, of the weighting indicator. Unit decides the periods the child
// counts in: a child that had ended, or not yet started, is neither in the
// value nor in the coverage.
type ChildValues struct {
	Unit    Unit
	Values  []Observation
	Weights []Observation
}

// RollUp returns own plus, for every period in which own has no value, a
// value computed from the children by the indicator's rule, where the
// children with a value cover at least RollupCoverage of the children that
// existed in the period. A computed value never replaces an own one, and
// carries Rollup (its coverage); it is demo when any input is. A weighted
// value uses only children with a positive weight in the same period.
func RollUp(ind Indicator, own []Observation, children []ChildValues) []Observation {
	rule := ind.Rollup
	if rule == RollupNone || len(children) == 0 {
		return own
	}
	have := map[string]bool{}
	for _, o := range own {
		have[o.Period] = true
	}
	type acc struct {
		sum, weight float64
		n           int
		demo        bool
		first       Observation
		period      Period
	}
	byPeriod := map[string]*acc{}
	var periods []string
	for _, c := range children {
		weights := map[string]Observation{}
		for _, w := range c.Weights {
			weights[w.Period] = w
		}
		for _, v := range c.Values {
			if have[v.Period] {
				continue
			}
			per, err := ParsePeriod(v.Period)
			if err != nil || !c.Unit.ExistedDuring(per) {
				continue
			}
			a := byPeriod[v.Period]
			if a == nil {
				a = &acc{first: v, period: per}
				byPeriod[v.Period] = a
				periods = append(periods, v.Period)
			}
			w := 1.0
			if rule == RollupWeighted {
				wo, ok := weights[v.Period]
				if !ok || wo.Value <= 0 {
					continue
				}
				w = wo.Value
				a.demo = a.demo || wo.Demo
			}
			a.sum += w * v.Value
			a.weight += w
			a.n++
			a.demo = a.demo || v.Demo
		}
	}
	sort.Strings(periods)
	out := append([]Observation(nil), own...)
	need := ind.RollupCoverage()
	for _, p := range periods {
		a := byPeriod[p]
		of := 0
		for _, c := range children {
			if c.Unit.ExistedDuring(a.period) {
				of++
			}
		}
		if a.n == 0 || float64(a.n) < need*float64(of)-1e-9 {
			continue
		}
		v := a.sum
		if rule != RollupSum {
			v = a.sum / a.weight
		}
		out = append(out, Observation{IndicatorID: a.first.IndicatorID, Period: p, Year: a.first.Year,
			Value: v, Demo: a.demo, Rollup: &Rollup{Rule: rule, From: a.n, Of: of}})
	}
	SortObservations(out)
	return out
}

// rollUpParent is a parent's values by indicator: its own, and for each of
// inds with a rule, those rolled up from its children's (childObs[i] are
// children[i]'s values by indicator) where it has none. weightOf gives the
// id of a weight indicator by its code.
func rollUpParent(parent uint, inds []Indicator, own map[uint][]Observation, children []Unit,
	childObs []map[uint][]Observation, weightOf func(code string) uint) map[uint][]Observation {
	out := make(map[uint][]Observation, len(own))
	maps.Copy(out, own)
	for _, ind := range inds {
		if ind.Rollup == RollupNone {
			continue
		}
		values := make([]ChildValues, len(children))
		for i := range children {
			values[i].Unit = children[i]
			values[i].Values = childObs[i][ind.ID]
			if ind.Rollup == RollupWeighted {
				values[i].Weights = childObs[i][weightOf(ind.RollupWeight)]
			}
		}
		if rolled := RollUp(ind, own[ind.ID], values); len(rolled) > 0 {
			for j := range rolled {
				rolled[j].UnitID = parent
			}
			out[ind.ID] = rolled
		}
	}
	return out
}

// weightedBy are the indicators among inds whose roll-up is weighted by
// the indicator coded code.
func weightedBy(inds []Indicator, code string) []uint {
	var out []uint
	for _, ind := range inds {
		if ind.Rollup == RollupWeighted && ind.RollupWeight == code {
			out = append(out, ind.ID)
		}
	}
	return out
}
