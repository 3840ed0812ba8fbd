package models

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Target is one revision of a goal for an indicator in a unit at a milestone
// year. Revisions are never overwritten: the current one has no SupersededAt.
type Target struct {
	ID            uint       `json:"id"`
	IndicatorID   uint       `json:"-"`
	Indicator     *Indicator `json:"-"`
	UnitID        uint       `json:"-"`
	Unit          *Unit      `json:"-"`
	Year          int        `json:"year"`
	Comparator    Comparator `json:"comparator"`
	Value         float64    `json:"value"`
	ValueMax      *float64   `json:"value_max"`
	BaselineYear  *int       `json:"baseline_year"`
	BaselineValue *float64   `json:"baseline_value"`
	Yearly        bool       `gorm:"default:false" json:"yearly"`
	Source        string     `gorm:"default:''" json:"source"`
	Revision      int        `gorm:"default:1" json:"revision"`
	Reason        string     `gorm:"default:''" json:"reason,omitempty"`
	SupersededAt  *time.Time `json:"superseded_at,omitempty"`
	CreatedAt     time.Time  `json:"created_at"`
}

// CurrentTargets returns the current revision of every target, with its
// indicator and unit, optionally limited to one indicator (0 for all).
func (s *Store) CurrentTargets(indicatorID uint) ([]Target, error) {
	q := s.db.Preload("Unit").Preload("Indicator").Where("superseded_at IS NULL")
	if indicatorID != 0 {
		q = q.Where("indicator_id = ?", indicatorID)
	}
	var targets []Target
	if err := q.Order("indicator_id, unit_id, year").Find(&targets).Error; err != nil {
		return nil, fmt.Errorf("store: unable to fetch targets: %w", err)
	}
	return targets, nil
}

// UnitTargets returns the current targets of one unit.
func (s *Store) UnitTargets(unitID uint) ([]Target, error) {
	var targets []Target
	err := s.db.Where("unit_id = ? AND superseded_at IS NULL", unitID).
		Order("indicator_id, year, id").Find(&targets).Error
	if err != nil {
		return nil, fmt.Errorf("store: unable to fetch targets: %w", err)
	}
	return targets, nil
}

// Goal returns the assessment's view of the target.
func (t Target) Goal() Goal {
	return Goal{
		Year:          t.Year,
		Comparator:    t.Comparator,
		Value:         t.Value,
		ValueMax:      t.ValueMax,
		BaselineYear:  t.BaselineYear,
		BaselineValue: t.BaselineValue,
		Yearly:        t.Yearly,
	}
}

// AppliesTo reports whether the target counts at the milestone year: its own
// year, or any year up to it for a yearly target.
func (t Target) AppliesTo(milestone int) bool {
	return t.Year == milestone || (t.Yearly && milestone <= t.Year)
}

// EffectiveTargets returns the unit's own current targets and, for the
// indicators it has none for, those of its nearest ancestor (with Unit set,
// so pages can say whose target it is).
func (s *Store) EffectiveTargets(unit Unit) ([]Target, error) {
	own, err := s.UnitTargets(unit.ID)
	if err != nil {
		return nil, err
	}
	ancestors, err := s.Ancestors(unit)
	if err != nil {
		return nil, err
	}
	var inherited [][]Target
	for i := len(ancestors) - 1; i >= 0; i-- {
		ts, err := s.UnitTargets(ancestors[i].ID)
		if err != nil {
			return nil, err
		}
		for j := range ts {
			ts[j].Unit = &ancestors[i]
		}
		inherited = append(inherited, ts)
	}
	return InheritTargets(own, inherited), nil
}

// InheritTargets returns the unit's own targets plus, for every indicator it
// has none for, the targets of its nearest ancestor that has some (ancestors
// nearest first). An inherited target keeps its own UnitID, so pages can
// label it as the parent's.
func InheritTargets(own []Target, ancestors [][]Target) []Target {
	covered := map[uint]bool{}
	for _, t := range own {
		covered[t.IndicatorID] = true
	}
	out := append([]Target(nil), own...)
	for _, ts := range ancestors {
		added := map[uint]bool{}
		for _, t := range ts {
			if !covered[t.IndicatorID] {
				out = append(out, t)
				added[t.IndicatorID] = true
			}
		}
		for id := range added {
			covered[id] = true
		}
	}
	return out
}

// TargetMilestones returns the distinct years of targets that are not
// yearly, ascending.
func TargetMilestones(targets []Target) []int {
	seen := map[int]bool{}
	var years []int
	for _, t := range targets {
		if !t.Yearly && !seen[t.Year] {
			seen[t.Year] = true
			years = append(years, t.Year)
		}
	}
	sort.Ints(years)
	return years
}

// ReviseTarget stores t as the current target of its indicator, unit and
// year inside tx: a current revision that differs is superseded, and t
// becomes the next revision.
func ReviseTarget(tx *gorm.DB, t Target, previous *Target, now time.Time) error {
	t.ID, t.Revision, t.CreatedAt, t.SupersededAt = 0, 1, now, nil
	if previous != nil {
		if err := tx.Model(&Target{}).Where("id = ?", previous.ID).Update("superseded_at", now).Error; err != nil {
			return fmt.Errorf("store: unable to supersede target: %w", err)
		}
		t.Revision = previous.Revision + 1
	}
	if err := tx.Omit("Indicator", "Unit").Create(&t).Error; err != nil {
		return fmt.Errorf("store: unable to write target: %w", err)
	}
	return nil
}

// TargetsOf returns the current targets of the given indicators and units
// (all when empty).
func (s *Store) TargetsOf(indicatorIDs, unitIDs []uint) ([]Target, error) {
	var ts []Target
	err := s.EachTarget(indicatorIDs, unitIDs, func(t Target) error {
		ts = append(ts, t)
		return nil
	})
	return ts, err
}

// EachTarget streams the current targets of the given indicators and units
// (all when empty) from one cursor, ordered by indicator, unit and year.
func (s *Store) EachTarget(indicatorIDs, unitIDs []uint, each func(Target) error) error {
	q := s.db.Model(&Target{}).Where("superseded_at IS NULL")
	if len(indicatorIDs) > 0 {
		q = q.Where("indicator_id IN ?", indicatorIDs)
	}
	if len(unitIDs) > 0 {
		q = q.Where("unit_id IN ?", unitIDs)
	}
	return eachTargetRow(q.Order("indicator_id, unit_id, year"), each)
}

// targetColumns are the columns of a Target, in the order eachTargetRow
// reads them.
const targetColumns = "id, indicator_id, unit_id, year, comparator, value, value_max, baseline_year, baseline_value, yearly, source, revision, reason, superseded_at, created_at"

// eachTargetRow streams the targets q selects, scanned by hand (see scanner).
func eachTargetRow(q *gorm.DB, each func(Target) error) error {
	rows, err := q.Select(targetColumns).Rows()
	if err != nil {
		return fmt.Errorf("store: unable to fetch targets: %w", err)
	}
	defer rows.Close()
	sc := newScanner(15)
	for rows.Next() {
		if err := sc.scan(rows); err != nil {
			return fmt.Errorf("store: unable to read target: %w", err)
		}
		t := Target{ID: sc.uint(0), IndicatorID: sc.uint(1), UnitID: sc.uint(2), Year: sc.int(3), Comparator: Comparator(sc.string(4)),
			Value: sc.float(5), ValueMax: sc.optFloat(6), BaselineYear: sc.optInt(7), BaselineValue: sc.optFloat(8), Yearly: sc.bool(9),
			Source: sc.string(10), Revision: sc.int(11), Reason: sc.string(12), SupersededAt: sc.optTime(13), CreatedAt: sc.time(14)}
		if err := each(t); err != nil {
			return err
		}
	}
	return rows.Err()
}

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
	t.Indicator, t.Unit = nil, nil
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
		if err := RecordAudit(tx, actor, action, "target", targetKey(ind, unit, t.Year), before, TargetAudit(t)); err != nil {
			return err
		}
		return s.ReassessTx(tx, []Change{{Unit: unit.ID, Indicator: ind.ID}})
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
		if err := RecordAudit(tx, actor, "delete", "target", targetKey(ind, unit, year), TargetAudit(cur), after); err != nil {
			return err
		}
		return s.ReassessTx(tx, []Change{{Unit: unit.ID, Indicator: ind.ID}})
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
