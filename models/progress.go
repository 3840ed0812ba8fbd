package models

import (
	"fmt"
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
}

// Latest returns the most recent observation, if any.
func (p Progress) Latest() *Observation {
	if len(p.Observations) == 0 {
		return nil
	}
	return &p.Observations[len(p.Observations)-1]
}

// BuildProgress assesses every indicator that has a target or a value in the
// unit. With milestone 0 every target gets a row; otherwise only targets that
// apply at that year, and an indicator with none is assessed without one.
func BuildProgress(unit Unit, inds []Indicator, targets []Target, obs map[uint][]Observation, milestone int, today time.Time) []Progress {
	byIndicator := map[uint][]Target{}
	for _, t := range targets {
		byIndicator[t.IndicatorID] = append(byIndicator[t.IndicatorID], t)
	}
	var rows []Progress
	for _, ind := range inds {
		ts, values := byIndicator[ind.ID], obs[ind.ID]
		if len(ts) == 0 && len(values) == 0 {
			continue
		}
		in := AssessmentInput{Direction: ind.Direction, Limit: ind.Limit, Series: AnnualSeries(values), Today: today}
		var chosen []Target
		for _, t := range ts {
			if milestone == 0 || t.AppliesTo(milestone) {
				chosen = append(chosen, t)
			}
		}
		if len(chosen) == 0 {
			rows = append(rows, Progress{Indicator: ind, Unit: unit, Observations: values, Assessment: Assess(in)})
			continue
		}
		for i := range chosen {
			t := chosen[i]
			goal := t.Goal()
			in.Goal = &goal
			rows = append(rows, Progress{Indicator: ind, Unit: unit, Target: &t, Observations: values, Assessment: Assess(in)})
		}
	}
	return rows
}

// UnitProgress loads and assesses every indicator of a unit against its
// own targets, with its own values and those rolled up from its children.
func (s *Store) UnitProgress(unit Unit, milestone int) ([]Progress, error) {
	targets, err := s.UnitTargets(unit.ID)
	if err != nil {
		return nil, err
	}
	return s.ProgressWith(unit, targets, milestone)
}

// Milestones returns the target years of a unit, ascending.
func (s *Store) Milestones(unitID uint) ([]int, error) {
	var years []int
	err := s.db.Model(&Target{}).Where("unit_id = ? AND superseded_at IS NULL AND yearly = ?", unitID, false).
		Distinct("year").Order("year").Pluck("year", &years).Error
	if err != nil {
		return nil, fmt.Errorf("store: unable to fetch milestones: %w", err)
	}
	return years, nil
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

// StatusCounts counts rows by status.
func StatusCounts(rows []Progress) map[Status]int {
	counts := map[Status]int{}
	for _, r := range rows {
		counts[r.Assessment.Status]++
	}
	return counts
}
