package models

import (
	"sort"
	"time"
)

// Progress is one indicator of one unit assessed against one target (or
// against none, when the indicator has no target at the milestone asked).
type Progress struct {
	Indicator    Indicator
	Unit         Unit
	Target       *Target
	Observations []Observation
	Assessment   Assessment
	// Passed says the milestone asked for is over: a row without a target
	// then says "no target" and nothing more.
	Passed bool
}

// Latest returns the most recent observation, if any.
func (p Progress) Latest() *Observation {
	if len(p.Observations) == 0 {
		return nil
	}
	return &p.Observations[len(p.Observations)-1]
}

// NoTarget is the class under which rows without a target at the milestone
// are counted and drawn. It is never an assessment's status: the API keeps
// the Open SDG keys for those rows.
const NoTarget Status = "no_target"

// Classes lists every class a row is counted under, in display order: the
// statuses of rows with a target, then NoTarget.
var Classes = append(append([]Status(nil), Statuses...), NoTarget)

// Class is what a row counts as in tiles, charts and summaries: its status
// when it is assessed against a target, else NoTarget.
func (p Progress) Class() Status {
	if p.Target == nil {
		return NoTarget
	}
	return p.Assessment.Status
}

// Words is the translation key of what a row says about its progress. With
// a target it is the Open SDG status; without one it is a trend ("improving
// fast" … "getting worse"), never "on track"; a passed milestone without a
// target says "no target"; an indicator whose direction is not set says so.
func (p Progress) Words() string {
	switch {
	case p.Indicator.Direction == DirectionUnset:
		return "status.direction_not_set"
	case p.Target != nil:
		return "status." + string(p.Assessment.Status)
	case p.Passed:
		return "status.no_target"
	}
	return "trend." + string(p.Assessment.Status)
}

// ProgressInput is everything the one computation needs for one indicator
// of one unit at one milestone. A store gathers it (Store.CachedEffectiveProgress);
// the computation itself reads nothing else.
type ProgressInput struct {
	Indicator Indicator
	Unit      Unit
	Milestone int       // 0: a row for every target
	Today     time.Time // decides passed milestones and the value expected today
	// Targets are the unit's effective targets of the indicator: its own,
	// else its nearest ancestor's (see InheritTargets).
	Targets []Target
	// Values are the unit's own values and, for periods it has none of,
	// those computed from its children (see RollUp), sorted by period.
	Values []Observation
}

// IndicatorProgress is the one computation of progress: this indicator, in
// this unit, at this milestone. Pages, the API and every export read its
// rows and compute no status of their own. With milestone 0 every target
// gets a row; otherwise only the targets that apply at that year, and
// without any the indicator is assessed as a trend (no row at all when it
// has neither a target nor a value). It is SeriesProgress (what the
// assessments table stores) read at the milestone (AtMilestone).
func IndicatorProgress(in ProgressInput) []Progress {
	rows, trend, ok := SeriesProgress(in)
	if !ok {
		return nil
	}
	return AtMilestone(rows, trend, in.Milestone, in.Today)
}

// SeriesProgress assesses the series against each of its targets (rows, in
// the order of in.Targets) and against none (trend), whatever the
// milestone: what a milestone shows is picked from these by AtMilestone.
// ok is false when the indicator has neither a target nor a value.
func SeriesProgress(in ProgressInput) (rows []Progress, trend Progress, ok bool) {
	if len(in.Targets) == 0 && len(in.Values) == 0 {
		return nil, Progress{}, false
	}
	row := func(t *Target) Progress {
		a := AssessmentInput{Direction: in.Indicator.Direction, Limit: in.Indicator.Limit, Series: AnnualSeries(in.Values), Today: in.Today}
		if t != nil {
			goal := t.Goal()
			a.Goal = &goal
		}
		return Progress{Indicator: in.Indicator, Unit: in.Unit, Target: t, Observations: in.Values, Assessment: assessDirected(a)}
	}
	for i := range in.Targets {
		t := in.Targets[i]
		rows = append(rows, row(&t))
	}
	return rows, row(nil), true
}

// AtMilestone picks the rows shown at a milestone from SeriesProgress's:
// every target's row at milestone 0, else those of the targets that apply
// that year, else the trend row. Passed is set for a milestone before
// today's year.
func AtMilestone(rows []Progress, trend Progress, milestone int, today time.Time) []Progress {
	passed := milestone != 0 && milestone < today.Year()
	var out []Progress
	for _, r := range rows {
		if milestone == 0 || r.Target.AppliesTo(milestone) {
			r.Passed = passed
			out = append(out, r)
		}
	}
	if len(out) == 0 {
		trend.Passed = passed
		out = append(out, trend)
	}
	return out
}

// assessDirected is Assess, except that an indicator whose direction is not
// set gets no status: which way is better is not ours to guess.
func assessDirected(in AssessmentInput) Assessment {
	a := Assess(in)
	if in.Direction == DirectionUnset {
		a = Assessment{Status: StatusNotAvailable, BaseYear: a.BaseYear, BaseValue: a.BaseValue,
			CurrentYear: a.CurrentYear, CurrentValue: a.CurrentValue}
	}
	return a
}

// BuildProgress is IndicatorProgress for every indicator of a unit, given
// the unit's effective targets and values by indicator id.
func BuildProgress(unit Unit, inds []Indicator, targets []Target, obs map[uint][]Observation, milestone int, today time.Time) []Progress {
	byIndicator := map[uint][]Target{}
	for _, t := range targets {
		byIndicator[t.IndicatorID] = append(byIndicator[t.IndicatorID], t)
	}
	var rows []Progress
	for _, ind := range inds {
		rows = append(rows, IndicatorProgress(ProgressInput{Indicator: ind, Unit: unit, Milestone: milestone, Today: today,
			Targets: byIndicator[ind.ID], Values: obs[ind.ID]})...)
	}
	return rows
}

// DefaultMilestone picks the milestone a page opens on: the first one not
// yet passed, else the latest.
func DefaultMilestone(years []int, today time.Time) int {
	if len(years) == 0 {
		return 0
	}
	sorted := append([]int(nil), years...)
	sort.Ints(sorted)
	for _, y := range sorted {
		if y >= today.Year() {
			return y
		}
	}
	return sorted[len(sorted)-1]
}

// StatusCounts counts rows by Class: rows with a target by status, the
// others as NoTarget, so the counts add up to the rows.
func StatusCounts(rows []Progress) map[Status]int {
	counts := map[Status]int{}
	for _, r := range rows {
		counts[r.Class()]++
	}
	return counts
}

// NeedsAttention returns the rows assessed against a target that are
// neither achieved nor on track, furthest behind the required pace first
// (Assessment.Behind), at most limit of them.
func NeedsAttention(rows []Progress, limit int) []Progress {
	var out []Progress
	for _, r := range rows {
		if r.Target != nil && r.Assessment.Behind() >= 0 && !r.Assessment.Status.OnTrack() {
			out = append(out, r)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Assessment.Behind() > out[j].Assessment.Behind() })
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out
}
