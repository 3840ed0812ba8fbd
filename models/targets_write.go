package models

import (
	"errors"
	"fmt"
	"strings"

	"gorm.io/gorm"
)

// Ways a write treats what is already stored.
const (
	ExpectAny      = iota // create or change
	ExpectNew             // refuse if it exists
	ExpectExisting        // refuse if it does not
)

// TargetAudit is what the audit log keeps of a target revision.
func TargetAudit(t Target) map[string]any {
	return map[string]any{"year": t.Year, "comparator": t.Comparator, "value": t.Value, "value_max": t.ValueMax,
		"baseline_year": t.BaselineYear, "baseline_value": t.BaselineValue, "yearly": t.Yearly,
		"source": t.Source, "revision": t.Revision, "reason": t.Reason}
}

func targetKey(ind Indicator, unit Unit, year int) string {
	return fmt.Sprintf("%s/%s/%d", ind.Code, unit.Code, year)
}

// ValidateTarget checks a target of ind before it is stored.
func (s *Store) ValidateTarget(ind Indicator, t *Target) Problems { return CheckTarget(ind, t) }

// SetTarget stores a target of an indicator in a unit at a year. A change
// never overwrites: the current revision is marked superseded and a new one,
// with the reason, takes its place. expect says whether one may exist.
func (s *Store) SetTarget(actor Actor, ind Indicator, unit Unit, t Target, expect int) (*Target, error) {
	t.ID, t.IndicatorID, t.UnitID, t.SupersededAt = 0, ind.ID, unit.ID, nil
	t.Indicator, t.Unit = Indicator{}, Unit{}
	err := s.db.Transaction(func(tx *gorm.DB) error {
		p := s.ValidateTarget(ind, &t)
		var cur Target
		err := tx.Where("indicator_id = ? AND unit_id = ? AND year = ? AND superseded_at IS NULL", ind.ID, unit.ID, t.Year).First(&cur).Error
		exists := err == nil
		if err != nil && !errors.Is(notFound(err), ErrNotFound) {
			return fmt.Errorf("store: unable to fetch target: %w", err)
		}
		switch {
		case exists && expect == ExpectNew:
			p.Add("year", "error.target_exists", t.Year)
		case !exists && expect == ExpectExisting:
			return fmt.Errorf("store: no target %s: %w", targetKey(ind, unit, t.Year), ErrNotFound)
		case exists && t.Reason == "":
			p.Add("reason", "error.reason_required")
		case exists && sameTarget(cur, t):
			p.Add("value", "error.target_unchanged")
		}
		if err := p.Err(); err != nil {
			return err
		}
		now := s.now().UTC()
		var before any
		t.Revision = 1
		if exists {
			if err := tx.Model(&cur).Update("superseded_at", now).Error; err != nil {
				return fmt.Errorf("store: unable to supersede target: %w", err)
			}
			t.Revision, before = cur.Revision+1, TargetAudit(cur)
		}
		t.CreatedAt = now
		if err := tx.Omit("Indicator", "Unit").Create(&t).Error; err != nil {
			return fmt.Errorf("store: unable to create target: %w", err)
		}
		action := "create"
		if exists {
			action = "update"
		}
		return RecordAudit(tx, actor, action, "target", targetKey(ind, unit, t.Year), before, TargetAudit(t))
	})
	if err != nil {
		return nil, err
	}
	s.DataChanged(Change{Unit: unit.ID, Indicator: ind.ID})
	return &t, nil
}

func sameTarget(a, b Target) bool {
	eq := func(x, y *float64) bool { return (x == nil && y == nil) || (x != nil && y != nil && *x == *y) }
	eqi := func(x, y *int) bool { return (x == nil && y == nil) || (x != nil && y != nil && *x == *y) }
	return a.Comparator == b.Comparator && a.Value == b.Value && eq(a.ValueMax, b.ValueMax) &&
		eqi(a.BaselineYear, b.BaselineYear) && eq(a.BaselineValue, b.BaselineValue) &&
		a.Yearly == b.Yearly && a.Source == b.Source
}

// WithdrawTarget ends a target without a successor; its revisions stay.
func (s *Store) WithdrawTarget(actor Actor, ind Indicator, unit Unit, year int, reason string) error {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return Problems{"reason": {Key: "error.reason_required"}}
	}
	err := s.db.Transaction(func(tx *gorm.DB) error {
		var cur Target
		err := tx.Where("indicator_id = ? AND unit_id = ? AND year = ? AND superseded_at IS NULL", ind.ID, unit.ID, year).First(&cur).Error
		if err != nil {
			return fmt.Errorf("store: unable to fetch target: %w", notFound(err))
		}
		if err := tx.Model(&cur).Update("superseded_at", s.now().UTC()).Error; err != nil {
			return fmt.Errorf("store: unable to withdraw target: %w", err)
		}
		after := map[string]any{"withdrawn": true, "reason": reason}
		return RecordAudit(tx, actor, "delete", "target", targetKey(ind, unit, year), TargetAudit(cur), after)
	})
	if err != nil {
		return err
	}
	s.DataChanged(Change{Unit: unit.ID, Indicator: ind.ID})
	return nil
}

// TargetHistory returns every revision of an indicator's targets in a unit,
// by year, oldest revision first.
func (s *Store) TargetHistory(indicatorID, unitID uint) ([]Target, error) {
	var ts []Target
	err := s.db.Where("indicator_id = ? AND unit_id = ?", indicatorID, unitID).Order("year, revision, id").Find(&ts).Error
	if err != nil {
		return nil, fmt.Errorf("store: unable to fetch target history: %w", err)
	}
	return ts, nil
}
