package models_test

import (
	"testing"
	"time"

	"tiendo/apptest"
	"tiendo/models"
)

func TestAlertStateFiresOnceAndRearmsAfterClearing(t *testing.T) {
	var st models.AlertState
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	steps := []struct {
		holds bool
		fired bool
	}{{false, false}, {true, true}, {true, false}, {true, false}, {false, false}, {false, false}, {true, true}}
	for i, s := range steps {
		var fired bool
		st, fired = st.Step(s.holds, "", t0.AddDate(0, 0, i))
		if fired != s.fired {
			t.Errorf("step %d (holds=%v): fired=%v, want %v", i, s.holds, fired, s.fired)
		}
	}
	if st.Fired != 2 || st.ClearedAt == nil || !st.ClearedAt.Equal(t0.AddDate(0, 0, 4)) {
		t.Errorf("after two breaches: fired %d times, cleared at %v; want 2 and the day it recovered", st.Fired, st.ClearedAt)
	}
}

func TestStatusRuleMeasuresADropFromWhereItRecovered(t *testing.T) {
	row := func(s models.Status) models.AlertFacts {
		return models.AlertFacts{Row: &models.Progress{Assessment: models.Assessment{Status: s}}}
	}
	var st models.AlertState
	var fired bool
	for _, c := range []struct {
		status models.Status
		fired  bool
	}{
		{models.StatusSubstantial, false}, // first look: the reference
		{models.StatusNotAvailable, false},
		{models.StatusModerate, true},
		{models.StatusLimited, false}, // worse still: the same breach
		{models.StatusSubstantial, false},
		{models.StatusTargetAchieved, false},
		{models.StatusSubstantial, true}, // a drop from achieved
	} {
		holds := models.AlertStatusWorse.Holds(row(c.status), 0, st.Reference)
		st, fired = st.Step(holds, c.status, time.Now())
		if fired != c.fired {
			t.Errorf("status %s after reference %s: fired=%v, want %v", c.status, st.Reference, fired, c.fired)
		}
	}
}

func TestBelowPathAndProjectionConditions(t *testing.T) {
	f := func(dir models.Direction, expected, current float64) models.AlertFacts {
		return models.AlertFacts{Row: &models.Progress{Indicator: models.Indicator{Direction: dir},
			Assessment: models.Assessment{ExpectedNow: &expected, CurrentValue: &current}}}
	}
	for _, c := range []struct {
		facts  models.AlertFacts
		margin float64
		want   bool
	}{
		{f(models.DirectionHigher, 30, 27), 2, true},
		{f(models.DirectionHigher, 30, 29), 2, false},
		{f(models.DirectionLower, 10, 13), 2, true}, // a rate that must fall, 3 above its path
		{f(models.DirectionLower, 10, 7), 2, false},
	} {
		if got := models.AlertBelowPath.Holds(c.facts, c.margin, ""); got != c.want {
			t.Errorf("below path: expected %v, current %v, margin %v: %v", *c.facts.Row.Assessment.ExpectedNow, *c.facts.Row.Assessment.CurrentValue, c.margin, got)
		}
	}
	year := 2032
	late := models.AlertFacts{Row: &models.Progress{Target: &models.Target{Year: 2030}, Assessment: models.Assessment{ProjectedYear: &year}}}
	if !models.AlertProjectionLate.Holds(late, 0, "") {
		t.Error("projected 2032 for a 2030 target must hold")
	}
	year = 2030
	if models.AlertProjectionLate.Holds(late, 0, "") {
		t.Error("projected 2030 for a 2030 target must not hold")
	}
}

// TestOneBreachOneNotification: a status rule on HCMC's digital economy, one
// subscriber in scope and one ward planner outside it. Writes are evaluated
// as they commit.
func TestOneBreachOneNotification(t *testing.T) {
	store := apptest.OpenStore(t, apptest.DSN(t))
	store.SetClock(func() time.Time { return apptest.Today })
	actor := models.Actor{Username: "test"}
	admin, err := store.CreateUser(actor, models.UserInput{Username: "lead", Role: models.RoleAdmin, Password: "secret-password-1"})
	must(t, err)
	other, err := store.CreateUser(actor, models.UserInput{Username: "trvinh", Role: models.RolePlanner, UnitCode: "VN-51", Password: "secret-password-1"})
	must(t, err)
	ind, err := store.IndicatorByCode("digital-economy-grdp")
	must(t, err)
	hcmc, err := store.UnitByCode("VN-SG")
	must(t, err)
	save := func(period string, v float64) {
		t.Helper()
		must(t, store.SaveObservations(actor, *ind, []models.ObservationInput{{Unit: *hcmc, Period: period, Value: &v}}))
	}
	save("2020", 10)
	save("2024", 30)
	rule, err := store.SaveAlertRule(actor, admin, 0, models.AlertRuleInput{Kind: "status_worse", Indicator: ind.Code, Unit: "VN-SG"})
	must(t, err)
	// The ward planner of another province may not even subscribe.
	if err := store.Subscribe(other, rule.ID, true); err == nil {
		t.Error("a planner of Trà Vinh subscribed to a rule on Ho Chi Minh City")
	}
	inbox := func() int64 {
		n, err := store.UnreadCount(admin.ID)
		must(t, err)
		return n
	}
	if inbox() != 0 {
		t.Fatalf("a new rule notified before anything got worse")
	}
	save("2025", 12) // the status drops
	if inbox() != 1 {
		t.Fatalf("one breach: %d notifications, want 1", inbox())
	}
	n, err := store.EvaluateAlerts([]models.Change{{}})
	must(t, err)
	if n != 0 || inbox() != 1 {
		t.Fatalf("re-run: %d new notifications, want none", n)
	}
	save("2025", 35) // recovers
	save("2025", 12) // and drops again
	if inbox() != 2 {
		t.Fatalf("recovery then a new breach: %d notifications, want 2", inbox())
	}
	ns, _, err := store.Inbox(admin.ID, 10)
	must(t, err)
	if ns[0].Link != "/indicators/digital-economy-grdp?unit=VN-SG" || ns[0].Kind != "status_worse" {
		t.Errorf("notification: %+v", ns[0])
	}
	if n, _ := store.UnreadCount(other.ID); n != 0 {
		t.Errorf("the planner outside the scope got %d notifications", n)
	}
	must(t, store.MarkRead(admin.ID, 0))
	if inbox() != 0 {
		t.Error("marking all read left unread notifications")
	}
}

// The overdue rule fires on the day after the due date, not before.
func TestOverdueFiresTheDayAfterTheDueDate(t *testing.T) {
	store := apptest.OpenStore(t, apptest.DSN(t))
	actor := models.Actor{Username: "test"}
	store.SetClock(func() time.Time { return ict(2026, 1, 5, 9, 0) })
	admin, err := store.CreateUser(actor, models.UserInput{Username: "lead", Role: models.RoleAdmin, Password: "secret-password-1"})
	must(t, err)
	// digital-economy-grdp is yearly and reported by the city, due 30 days
	// after the year: 2025's value is due on 30 January 2026.
	_, err = store.SaveAlertRule(actor, admin, 0, models.AlertRuleInput{Kind: "overdue", Indicator: "digital-economy-grdp", Unit: "VN-SG"})
	must(t, err)
	check := func(at time.Time, want int64) {
		t.Helper()
		store.SetClock(func() time.Time { return at })
		_, err := store.EvaluateAlerts([]models.Change{{}})
		must(t, err)
		if n, _ := store.UnreadCount(admin.ID); n != want {
			t.Errorf("at %v: %d notifications, want %d", at, n, want)
		}
	}
	// 2024's value is missing too and was due long ago: the rule fires for
	// it at once; mark that read and watch 2025.
	check(ict(2026, 1, 5, 9, 0), 1)
	must(t, store.MarkRead(admin.ID, 0))
	ind, _ := store.IndicatorByCode("digital-economy-grdp")
	hcmc, _ := store.UnitByCode("VN-SG")
	v := 20.0
	must(t, store.SaveObservations(actor, *ind, []models.ObservationInput{{Unit: *hcmc, Period: "2024", Value: &v}}))
	check(ict(2026, 1, 30, 23, 59), 0)
	check(ict(2026, 1, 31, 0, 1), 1)
	ns, _, _ := store.Inbox(admin.ID, 1)
	if ns[0].Period != "2025" || ns[0].Link != "/completeness?from=2025&indicator=digital-economy-grdp&to=2025&unit=VN-SG" {
		t.Errorf("overdue notification: %+v", ns[0])
	}
}
