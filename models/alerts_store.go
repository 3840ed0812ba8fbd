package models

import (
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// AlertRule watches an indicator (or every indicator of a pillar, or all)
// in a unit, or in the unit and every unit below it.
type AlertRule struct {
	ID          uint
	Kind        AlertKind
	IndicatorID *uint
	Indicator   *Indicator
	PillarID    *uint
	Pillar      *Pillar
	UnitID      uint
	Unit        Unit
	Subtree     bool
	Margin      float64 // below-path rules: how far behind, in the indicator's measure
	CreatedBy   string
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// AlertSubscription is a user who hears about a rule.
type AlertSubscription struct {
	RuleID uint `gorm:"primaryKey;autoIncrement:false"`
	UserID uint `gorm:"primaryKey;autoIncrement:false"`
}

// Notification is one message in a user's inbox; EventKey names the event
// it reports, so one event never reaches a user twice.
type Notification struct {
	ID          uint `json:"id"`
	UserID      uint `json:"-"`
	EventKey    string
	Kind        string `json:"kind"`
	IndicatorID uint   `json:"-"`
	UnitID      uint   `json:"-"`
	Period      string `json:"period,omitempty"`
	Status      string `json:"status,omitempty"`
	Link        string `json:"link"`
	Mailed      bool   `json:"-"`
	CreatedAt   time.Time
	ReadAt      *time.Time
}

// AlertRuleInput is a rule as typed in the form or the API.
type AlertRuleInput struct {
	Kind      string
	Indicator string // a code, or "" for a pillar or every indicator
	Pillar    string
	Unit      string
	Subtree   bool
	Margin    *float64
}

// MayEditRule reports whether u may create or change a rule on a unit:
// admins and planners, a scoped planner only within their unit.
func (s *Store) MayEditRule(u *User, unitID uint) (bool, error) {
	if u == nil || !u.Role.Allows(RolePlanner) {
		return false, nil
	}
	return s.InScope(u, unitID)
}

// MaySeeRule reports whether u may see and subscribe to a rule: its unit is
// in their scope, or their unit is in the subtree it watches.
func (s *Store) MaySeeRule(u *User, r AlertRule) (bool, error) {
	if ok, err := s.InScope(u, r.UnitID); ok || err != nil {
		return ok, err
	}
	if !r.Subtree {
		return false, nil
	}
	return s.InScope(&User{UnitID: &r.UnitID}, *u.UnitID)
}

func (s *Store) validateRule(tx *gorm.DB, u *User, in AlertRuleInput, r *AlertRule) Problems {
	p := Problems{}
	r.Kind = AlertKind(in.Kind)
	if !r.Kind.Valid() {
		p.Add("kind", "error.choose")
	}
	r.IndicatorID, r.PillarID, r.Indicator, r.Pillar = nil, nil, nil, nil
	if in.Indicator != "" {
		var ind Indicator
		if err := tx.Where("code = ?", in.Indicator).First(&ind).Error; err != nil {
			p.Add("indicator", "error.unknown_indicator", in.Indicator)
		} else {
			r.IndicatorID = &ind.ID
		}
	} else if in.Pillar != "" {
		var pl Pillar
		if err := tx.Where("code = ?", in.Pillar).First(&pl).Error; err != nil {
			p.Add("pillar", "error.unknown_pillar", in.Pillar)
		} else {
			r.PillarID = &pl.ID
		}
	}
	var unit Unit
	if in.Unit == "" {
		p.Add("unit", "error.required")
	} else if err := tx.Where("code = ?", in.Unit).First(&unit).Error; err != nil {
		p.Add("unit", "error.unknown_unit", in.Unit)
	} else if ok, err := s.MayEditRule(u, unit.ID); err != nil || !ok {
		p.Add("unit", "error.out_of_scope", in.Unit)
	} else {
		r.UnitID = unit.ID
	}
	r.Subtree, r.Margin = in.Subtree, 0
	if in.Margin != nil {
		if *in.Margin < 0 {
			p.Add("margin", "error.not_negative")
		}
		r.Margin = *in.Margin
	}
	return p
}

// SaveAlertRule creates (id 0) or changes a rule; its creator hears about it.
func (s *Store) SaveAlertRule(actor Actor, u *User, id uint, in AlertRuleInput) (*AlertRule, error) {
	var r AlertRule
	err := s.db.Transaction(func(tx *gorm.DB) error {
		var before map[string]any
		if id != 0 {
			if err := tx.First(&r, id).Error; err != nil {
				return fmt.Errorf("store: unable to fetch alert rule: %w", notFound(err))
			}
			if ok, err := s.MayEditRule(u, r.UnitID); err != nil || !ok {
				return ErrNotFound
			}
			before = ruleAudit(r, in.Unit)
		}
		if err := s.validateRule(tx, u, in, &r).Err(); err != nil {
			return err
		}
		r.UpdatedAt = s.now().UTC()
		if id == 0 {
			r.CreatedBy, r.CreatedAt = u.Username, r.UpdatedAt
		}
		if err := tx.Omit("Indicator", "Pillar", "Unit").Save(&r).Error; err != nil {
			return fmt.Errorf("store: unable to save alert rule: %w", err)
		}
		if id != 0 {
			// The condition changed: the states start again.
			if err := tx.Where("rule_id = ?", r.ID).Delete(&AlertState{}).Error; err != nil {
				return fmt.Errorf("store: unable to reset alert states: %w", err)
			}
		} else if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&AlertSubscription{RuleID: r.ID, UserID: u.ID}).Error; err != nil {
			return fmt.Errorf("store: unable to subscribe: %w", err)
		}
		action := "create"
		if id != 0 {
			action = "update"
		}
		return RecordAudit(tx, actor, action, "alert_rule", strconv.Itoa(int(r.ID)), before, ruleAudit(r, in.Unit))
	})
	if err != nil {
		return nil, err
	}
	// A new rule is checked at once against what is stored.
	if _, err := s.EvaluateAlerts([]Change{{}}, r.ID); err != nil {
		slog.Error("alert rule saved but not evaluated", "rule", r.ID, "error", err)
	}
	return &r, nil
}

func ruleAudit(r AlertRule, unit string) map[string]any {
	return map[string]any{"kind": r.Kind, "indicator_id": r.IndicatorID, "pillar_id": r.PillarID, "unit": unit,
		"subtree": r.Subtree, "margin": r.Margin}
}

// DeleteAlertRule removes a rule with its states and subscriptions.
func (s *Store) DeleteAlertRule(actor Actor, u *User, id uint) error {
	return s.db.Transaction(func(tx *gorm.DB) error {
		var r AlertRule
		if err := tx.First(&r, id).Error; err != nil {
			return fmt.Errorf("store: unable to fetch alert rule: %w", notFound(err))
		}
		if ok, err := s.MayEditRule(u, r.UnitID); err != nil || !ok {
			return ErrNotFound
		}
		for _, model := range []any{&AlertState{}, &AlertSubscription{}} {
			if err := tx.Where("rule_id = ?", id).Delete(model).Error; err != nil {
				return fmt.Errorf("store: unable to delete alert rule: %w", err)
			}
		}
		if err := tx.Delete(&AlertRule{}, id).Error; err != nil {
			return fmt.Errorf("store: unable to delete alert rule: %w", err)
		}
		return RecordAudit(tx, actor, "delete", "alert_rule", strconv.Itoa(int(id)), ruleAudit(r, ""), nil)
	})
}

// AlertRules returns every rule with its indicator, pillar and unit.
func (s *Store) AlertRules() ([]AlertRule, error) {
	var rules []AlertRule
	if err := s.db.Preload("Indicator").Preload("Pillar").Preload("Unit").Order("id").Find(&rules).Error; err != nil {
		return nil, fmt.Errorf("store: unable to fetch alert rules: %w", err)
	}
	return rules, nil
}

// Subscribe makes u hear (on) or stop hearing about a rule they may see.
func (s *Store) Subscribe(u *User, ruleID uint, on bool) error {
	var r AlertRule
	if err := s.db.First(&r, ruleID).Error; err != nil {
		return fmt.Errorf("store: unable to fetch alert rule: %w", notFound(err))
	}
	if ok, err := s.MaySeeRule(u, r); err != nil || !ok {
		return ErrNotFound
	}
	sub := AlertSubscription{RuleID: ruleID, UserID: u.ID}
	var err error
	if on {
		err = s.db.Clauses(clause.OnConflict{DoNothing: true}).Create(&sub).Error
	} else {
		err = s.db.Where("rule_id = ? AND user_id = ?", ruleID, u.ID).Delete(&AlertSubscription{}).Error
	}
	if err != nil {
		return fmt.Errorf("store: unable to change subscription: %w", err)
	}
	return nil
}

// Subscriptions returns the rules a user hears about.
func (s *Store) Subscriptions(userID uint) (map[uint]bool, error) {
	var ids []uint
	if err := s.db.Model(&AlertSubscription{}).Where("user_id = ?", userID).Pluck("rule_id", &ids).Error; err != nil {
		return nil, fmt.Errorf("store: unable to fetch subscriptions: %w", err)
	}
	out := map[uint]bool{}
	for _, id := range ids {
		out[id] = true
	}
	return out, nil
}

// alertRun is one evaluation: what it read once for every rule.
type alertRun struct {
	s        *Store
	now      time.Time
	parent   map[uint]*uint
	rows     map[uint]map[uint]*Progress // unit → indicator → row
	assigned map[uint]map[uint]bool
}

// related reports whether a is b, above it or below it: a value of one
// rolls up into the other, a target of one is inherited by the other.
func (r *alertRun) related(a, b uint) bool {
	return r.above(a, b) || r.above(b, a)
}

func (r *alertRun) above(top, u uint) bool {
	for i := 0; i < 32; i++ {
		if u == top {
			return true
		}
		p := r.parent[u]
		if p == nil {
			return false
		}
		u = *p
	}
	return false
}

// row is the unit's assessment of the indicator, as the overview shows it:
// the same cached computation at the unit's default milestone.
func (r *alertRun) row(unit Unit, indicatorID uint) (*Progress, error) {
	if byInd, ok := r.rows[unit.ID]; ok {
		return byInd[indicatorID], nil
	}
	targets, err := r.s.EffectiveTargets(unit)
	if err != nil {
		return nil, err
	}
	rows, err := r.s.CachedEffectiveProgress(unit, DefaultMilestone(TargetMilestones(targets), r.now))
	if err != nil {
		return nil, err
	}
	byInd := map[uint]*Progress{}
	for i := range rows {
		if cur := byInd[rows[i].Indicator.ID]; cur == nil || (cur.Target == nil && rows[i].Target != nil) {
			byInd[rows[i].Indicator.ID] = &rows[i]
		}
	}
	r.rows[unit.ID] = byInd
	return byInd[indicatorID], nil
}

// overdue is the last period due of the indicator in the unit whose value
// has not come, or nil.
func (r *alertRun) overdue(ind Indicator, unit Unit) (*Period, error) {
	p := RecentPeriods(ind.Frequency, ind.DueDays, 1, r.now)[0]
	rc := ReportingCase{Indicator: ind, Unit: unit, Assigned: r.assigned[ind.ID][unit.ID], Period: p}
	if !rc.Expected(r.now) {
		return nil, nil
	}
	var n int64
	if err := r.s.db.Model(&Observation{}).Where("indicator_id = ? AND unit_id = ? AND period = ?", ind.ID, unit.ID, p.String()).Count(&n).Error; err != nil {
		return nil, fmt.Errorf("store: unable to look for a value: %w", err)
	}
	if n > 0 {
		return nil, nil
	}
	return &p, nil
}

// EvaluateAlerts checks the rules (only those given, or all) against the
// series the changes touched (Change{}: every series) and notifies the
// subscribers of every rule that fires. It returns how many notifications
// it created.
func (s *Store) EvaluateAlerts(changes []Change, only ...uint) (int, error) {
	rules, err := s.AlertRules()
	if err != nil || len(rules) == 0 {
		return 0, err
	}
	units, err := s.Units()
	if err != nil {
		return 0, err
	}
	inds, err := s.Indicators()
	if err != nil {
		return 0, err
	}
	run := &alertRun{s: s, now: s.now(), parent: map[uint]*uint{}, rows: map[uint]map[uint]*Progress{}}
	for _, u := range units {
		run.parent[u.ID] = u.ParentID
	}
	if run.assigned, err = s.assignments(); err != nil {
		return 0, err
	}
	touched := func(ind, unit uint) bool {
		for _, c := range changes {
			if (c.Indicator == 0 || c.Indicator == ind) && (c.Unit == 0 || run.related(c.Unit, unit)) {
				return true
			}
		}
		return false
	}
	wanted := map[uint]bool{}
	for _, id := range only {
		wanted[id] = true
	}
	created := 0
	for _, rule := range rules {
		if len(only) > 0 && !wanted[rule.ID] {
			continue
		}
		scope := []Unit{rule.Unit}
		if rule.Subtree {
			scope = Subtree(units, rule.UnitID)
		}
		for _, ind := range inds {
			if (rule.IndicatorID != nil && *rule.IndicatorID != ind.ID) || (rule.PillarID != nil && *rule.PillarID != ind.PillarID) {
				continue
			}
			for _, unit := range scope {
				if !touched(ind.ID, unit.ID) {
					continue
				}
				n, err := run.check(rule, ind, unit)
				if err != nil {
					return created, err
				}
				created += n
			}
		}
	}
	return created, nil
}

// check evaluates one rule for one series and stores its state; on firing
// it notifies, in the same transaction, every subscriber who may see the unit.
func (r *alertRun) check(rule AlertRule, ind Indicator, unit Unit) (int, error) {
	var facts AlertFacts
	var err error
	if rule.Kind == AlertOverdue {
		if facts.Overdue, err = r.overdue(ind, unit); err != nil {
			return 0, err
		}
	} else if facts.Row, err = r.row(unit, ind.ID); err != nil {
		return 0, err
	}
	var st AlertState
	found := true
	if err := r.s.db.Where("rule_id = ? AND indicator_id = ? AND unit_id = ?", rule.ID, ind.ID, unit.ID).First(&st).Error; err != nil {
		if !errors.Is(notFound(err), ErrNotFound) {
			return 0, fmt.Errorf("store: unable to fetch alert state: %w", err)
		}
		found = false
		st = AlertState{RuleID: rule.ID, IndicatorID: ind.ID, UnitID: unit.ID}
	}
	var status Status
	if facts.Row != nil {
		status = facts.Row.Assessment.Status
	}
	holds := rule.Kind.Holds(facts, rule.Margin, st.Reference)
	next, fired := st.Step(holds, status, r.now)
	if !found && !holds && next.Reference == "" {
		return 0, nil // nothing to remember for a series that never mattered
	}
	created := 0
	err = r.s.db.Transaction(func(tx *gorm.DB) error {
		if err := tx.Save(&next).Error; err != nil {
			return fmt.Errorf("store: unable to save alert state: %w", err)
		}
		if !fired {
			return nil
		}
		n := Notification{EventKey: fmt.Sprintf("alert:%d:%d:%d:%d", rule.ID, ind.ID, unit.ID, next.Fired), Kind: string(rule.Kind),
			IndicatorID: ind.ID, UnitID: unit.ID, Status: string(status), CreatedAt: r.now.UTC(), Link: alertLink(rule.Kind, ind, unit, facts)}
		if facts.Overdue != nil {
			n.Period = facts.Overdue.String()
		}
		var err error
		created, err = r.s.notifySubscribers(tx, rule.ID, unit.ID, n)
		return err
	})
	return created, err
}

// alertLink is the page that shows the problem: the completeness of the
// indicator in the unit for a missing value, else the indicator in the unit.
func alertLink(kind AlertKind, ind Indicator, unit Unit, f AlertFacts) string {
	q := url.Values{"unit": {unit.Code}}
	if kind == AlertOverdue && f.Overdue != nil {
		q.Set("indicator", ind.Code)
		q.Set("from", f.Overdue.String())
		q.Set("to", f.Overdue.String())
		return "/completeness?" + q.Encode()
	}
	return "/indicators/" + url.PathEscape(ind.Code) + "?" + q.Encode()
}

// notifySubscribers gives every subscriber of the rule who may see the unit
// a copy of n, once per event.
func (s *Store) notifySubscribers(tx *gorm.DB, ruleID, unitID uint, n Notification) (int, error) {
	var users []User
	err := tx.Where("disabled = ? AND id IN (?)", false, tx.Model(&AlertSubscription{}).Select("user_id").Where("rule_id = ?", ruleID)).
		Order("id").Find(&users).Error
	if err != nil {
		return 0, fmt.Errorf("store: unable to fetch subscribers: %w", err)
	}
	created := 0
	for _, u := range users {
		if ok, err := s.InScope(&u, unitID); err != nil || !ok {
			continue // a ward planner never hears about another ward
		}
		c := n
		c.UserID = u.ID
		res := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&c)
		if res.Error != nil {
			return created, fmt.Errorf("store: unable to store notification: %w", res.Error)
		}
		created += int(res.RowsAffected)
	}
	return created, nil
}

// Inbox returns a user's newest notifications and how many are unread.
func (s *Store) Inbox(userID uint, limit int) ([]Notification, int64, error) {
	var ns []Notification
	if err := s.db.Where("user_id = ?", userID).Order("created_at DESC, id DESC").Limit(limit).Find(&ns).Error; err != nil {
		return nil, 0, fmt.Errorf("store: unable to fetch notifications: %w", err)
	}
	n, err := s.UnreadCount(userID)
	return ns, n, err
}

// UnreadCount is the number on the bell.
func (s *Store) UnreadCount(userID uint) (int64, error) {
	var n int64
	if err := s.db.Model(&Notification{}).Where("user_id = ? AND read_at IS NULL", userID).Count(&n).Error; err != nil {
		return 0, fmt.Errorf("store: unable to count notifications: %w", err)
	}
	return n, nil
}

// MarkRead marks one of the user's notifications (id 0: all) as read.
func (s *Store) MarkRead(userID, id uint) error {
	q := s.db.Model(&Notification{}).Where("user_id = ? AND read_at IS NULL", userID)
	if id != 0 {
		q = q.Where("id = ?", id)
	}
	if err := q.Update("read_at", s.now().UTC()).Error; err != nil {
		return fmt.Errorf("store: unable to mark notifications read: %w", err)
	}
	return nil
}

// evaluateAfterWrite runs the alert rules on what a committed write changed.
// A failure is logged, never hidden and never undoes the write.
func (s *Store) evaluateAfterWrite(changes []Change) {
	if _, err := s.EvaluateAlerts(changes); err != nil {
		slog.Error("alert rules were not evaluated after a write", "changes", describeChanges(changes), "error", err)
	}
}

func describeChanges(changes []Change) string {
	var parts []string
	for _, c := range changes {
		parts = append(parts, fmt.Sprintf("%d/%d", c.Indicator, c.Unit))
	}
	return strings.Join(parts, " ")
}
