package models

import (
	"time"
)

// AlertKind is the condition an alert rule watches.
type AlertKind string

// The conditions a rule can watch.
const (
	AlertStatusWorse     AlertKind = "status_worse"     // the status got worse than it was
	AlertBelowPath       AlertKind = "below_path"       // the value is behind the straight path by more than the margin
	AlertMilestoneMissed AlertKind = "milestone_missed" // the milestone passed without the target
	AlertOverdue         AlertKind = "overdue"          // the last value due has not come
	AlertProjectionLate  AlertKind = "projection_late"  // at the current pace the target is reached after its year
)

// AlertKinds lists every kind, in the order forms offer them.
var AlertKinds = []AlertKind{AlertStatusWorse, AlertBelowPath, AlertMilestoneMissed, AlertOverdue, AlertProjectionLate}

// Valid reports whether k is a known kind.
func (k AlertKind) Valid() bool {
	for _, x := range AlertKinds {
		if x == k {
			return true
		}
	}
	return false
}

// statusRank orders statuses from best to worst; not_available has none.
var statusRank = map[Status]int{StatusTargetAchieved: 1, StatusSubstantial: 2, StatusModerate: 3,
	StatusLimited: 4, StatusDeterioration: 5, StatusTargetMissed: 6}

// Worse reports whether s is a worse status than than; a status without a
// rank (not available, none yet) is never worse nor better.
func (s Status) Worse(than Status) bool {
	a, b := statusRank[s], statusRank[than]
	return a > 0 && b > 0 && a > b
}

// AlertFacts is what a rule is checked against for one indicator in one
// unit: its assessment row (nil when it has none) and the period whose
// value is overdue (nil when none is).
type AlertFacts struct {
	Row     *Progress
	Overdue *Period
}

// Holds reports whether the condition of kind holds, given the margin of a
// below-path rule and the reference status of a status rule.
func (k AlertKind) Holds(f AlertFacts, margin float64, reference Status) bool {
	if k == AlertOverdue {
		return f.Overdue != nil
	}
	if f.Row == nil {
		return false
	}
	a := f.Row.Assessment
	switch k {
	case AlertStatusWorse:
		return a.Status.Worse(reference)
	case AlertMilestoneMissed:
		return a.Status == StatusTargetMissed
	case AlertBelowPath:
		if a.ExpectedNow == nil || a.CurrentValue == nil {
			return false
		}
		behind := *a.ExpectedNow - *a.CurrentValue
		if f.Row.Indicator.Direction == DirectionLower {
			behind = -behind
		}
		return behind > margin
	case AlertProjectionLate:
		return f.Row.Target != nil && a.ProjectedYear != nil && *a.ProjectedYear > f.Row.Target.Year
	}
	return false
}

// AlertState is the state of one rule for one indicator in one unit: a rule
// fires once when its condition starts, again only after it has cleared.
type AlertState struct {
	ID          uint
	RuleID      uint
	IndicatorID uint
	UnitID      uint
	Firing      bool
	Reference   Status `gorm:"column:ref_status"` // status rules: the status a drop is measured from
	Fired       int    // how many times it fired: names each firing
	FiredAt     *time.Time
	ClearedAt   *time.Time
	CheckedAt   time.Time
}

// Step moves the state on by one evaluation: holds is whether the
// condition holds now, status the current status (for the reference). It
// returns the next state and whether it fired now.
func (st AlertState) Step(holds bool, status Status, now time.Time) (AlertState, bool) {
	next, fired := st, false
	switch {
	case holds && !st.Firing:
		next.Firing, next.FiredAt, fired = true, &now, true
		next.Fired++
	case !holds && st.Firing:
		next.Firing, next.ClearedAt = false, &now
	}
	// While it is not firing the reference follows the status, so the next
	// drop is measured from where it recovered to.
	if !next.Firing && statusRank[status] > 0 {
		next.Reference = status
	}
	next.CheckedAt = now
	return next, fired
}
