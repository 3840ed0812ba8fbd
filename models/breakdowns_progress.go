package models

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Progress is assessed on the total, as Open SDG does. An indicator may
// name breakdowns to assess beside it (women and men, Khmer households):
// each gets its own status from the one computation, IndicatorProgress,
// against the total's target, with the breakdown's own values in the unit
// (parts are not rolled up from the unit's children: only totals are).

// BreakdownProgress is the progress of one breakdown beside a total row.
type BreakdownProgress struct {
	Breakdown string
	Progress
}

// AssessBreakdown assesses the values of a breakdown (sorted by period)
// against the total's row: the same indicator, unit and target (or none).
// ok is false when the breakdown has no value in the unit: a unit that
// does not publish it gets no row, rather than "not available" under each
// total.
func AssessBreakdown(total Progress, breakdown string, values []Observation, today time.Time) (BreakdownProgress, bool) {
	if len(values) == 0 {
		return BreakdownProgress{}, false
	}
	in := ProgressInput{Indicator: total.Indicator, Unit: total.Unit, Today: today, Values: values}
	if total.Target != nil {
		in.Targets = []Target{*total.Target}
	}
	rows := IndicatorProgress(in)
	if len(rows) == 0 {
		return BreakdownProgress{}, false
	}
	rows[0].Passed = total.Passed
	return BreakdownProgress{Breakdown: breakdown, Progress: rows[0]}, true
}

// AssessedBreakdowns returns the breakdowns assessed beside each
// indicator's total, by indicator id, in their order.
func (s *Store) AssessedBreakdowns() (map[uint][]string, error) {
	var rows []IndicatorBreakdown
	if err := s.db.Order("indicator_id, position, breakdown").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("store: unable to fetch assessed breakdowns: %w", err)
	}
	out := map[uint][]string{}
	for _, r := range rows {
		out[r.IndicatorID] = append(out[r.IndicatorID], r.Breakdown)
	}
	return out, nil
}

// SetAssessedBreakdowns replaces the breakdowns assessed beside the
// indicator's total. Each must be a breakdown of dimensions the indicator
// is broken down by; they are stored canonical.
func (s *Store) SetAssessedBreakdowns(actor Actor, ind Indicator, breakdowns []string) error {
	rules, err := s.BreakdownRules(ind.ID)
	if err != nil {
		return err
	}
	p := Problems{}
	var list []string
	for _, b := range breakdowns {
		if strings.TrimSpace(b) == "" {
			continue
		}
		c, prob := rules.Resolve(b)
		switch {
		case prob != nil:
			p.Add("breakdowns", prob.Key, prob.Args...)
		case c == "":
			continue // the total is always assessed
		case !rules.Lists(ind.ID, c):
			p.Add("breakdowns", "error.breakdown_not_listed", ind.Code, c)
		case !slices.Contains(list, c):
			list = append(list, c)
		}
	}
	if err := p.Err(); err != nil {
		return err
	}
	err = s.db.Transaction(func(tx *gorm.DB) error {
		var before []string
		tx.Model(&IndicatorBreakdown{}).Where("indicator_id = ?", ind.ID).Order("position").Pluck("breakdown", &before)
		if err := tx.Where("indicator_id = ?", ind.ID).Delete(&IndicatorBreakdown{}).Error; err != nil {
			return fmt.Errorf("store: unable to change assessed breakdowns: %w", err)
		}
		for i, b := range list {
			if err := tx.Create(&IndicatorBreakdown{IndicatorID: ind.ID, Breakdown: b, Position: i + 1}).Error; err != nil {
				return fmt.Errorf("store: unable to change assessed breakdowns: %w", err)
			}
		}
		return RecordAudit(tx, actor, "update", "assessed_breakdowns", ind.Code, map[string]any{"breakdowns": before}, map[string]any{"breakdowns": list})
	})
	if err != nil {
		return err
	}
	s.DataChanged()
	return nil
}

// BreakdownAssessments assesses, beside each of a unit's progress rows
// (the totals, e.g. from CachedEffectiveProgress), the breakdowns its
// indicator names (see AssessBreakdown). The answer is parallel to rows.
func (s *Store) BreakdownAssessments(unit Unit, rows []Progress) ([][]BreakdownProgress, error) {
	out := make([][]BreakdownProgress, len(rows))
	assessed, err := s.AssessedBreakdowns()
	if err != nil || len(assessed) == 0 {
		return out, err
	}
	var ids []uint
	for _, r := range rows {
		if len(assessed[r.Indicator.ID]) > 0 && !slices.Contains(ids, r.Indicator.ID) {
			ids = append(ids, r.Indicator.ID)
		}
	}
	if len(ids) == 0 {
		return out, nil
	}
	var vals []BreakdownValue
	if err := s.db.Where("unit_id = ? AND indicator_id IN ?", unit.ID, ids).Order("indicator_id, breakdown, period").Find(&vals).Error; err != nil {
		return nil, fmt.Errorf("store: unable to fetch breakdown values: %w", err)
	}
	series := map[string][]Observation{}
	for _, v := range vals {
		k := fmt.Sprint(v.IndicatorID, "/", v.Breakdown)
		series[k] = append(series[k], v.Observation())
	}
	for k := range series {
		SortObservations(series[k])
	}
	today := s.now()
	for i, r := range rows {
		for _, b := range assessed[r.Indicator.ID] {
			if bp, ok := AssessBreakdown(r, b, series[fmt.Sprint(r.Indicator.ID, "/", b)], today); ok {
				out[i] = append(out[i], bp)
			}
		}
	}
	return out, nil
}
