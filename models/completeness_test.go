package models_test

import (
	"fmt"
	"testing"
	"time"

	"gorm.io/gorm"

	"tiendo/apptest"
	"tiendo/models"
)

func ict(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, models.ReportingZone)
}

func TestDeadlineIsTheDayAfterTheDueDateInVietnam(t *testing.T) {
	ind := models.Indicator{Frequency: models.FrequencyQuarter, DueDays: 20, Levels: "ward"}
	q3 := models.Period{Year: 2025, Quarter: 3}
	if got, want := ind.DueDate(q3), ict(2025, 10, 20, 0, 0); !got.Equal(want) {
		t.Errorf("due date of 2025-Q3 with 20 days: %v, want %v", got, want)
	}
	ward := models.Unit{Level: "ward"}
	rc := models.ReportingCase{Indicator: ind, Unit: ward, Period: q3}
	if rc.Expected(ict(2025, 10, 20, 23, 59)) {
		t.Error("a value is expected on its due date itself; it is due only from the next day")
	}
	if !rc.Expected(ict(2025, 10, 21, 0, 0)) || !rc.Overdue(ict(2025, 10, 21, 0, 0)) {
		t.Error("a missing value must be overdue from the first minute after its due date")
	}
	year := models.Indicator{Frequency: models.FrequencyYear, DueDays: 0, Levels: "city"}
	if got, want := year.DueDate(models.Period{Year: 2024}), ict(2024, 12, 31, 0, 0); !got.Equal(want) {
		t.Errorf("due date of 2024 with no delay: %v, want %v", got, want)
	}
	month := models.Indicator{Frequency: models.FrequencyMonth, DueDays: 10}
	if got, want := month.DueDate(models.Period{Year: 2024, Month: 2}), ict(2024, 3, 10, 0, 0); !got.Equal(want) {
		t.Errorf("due date of 2024-02 with 10 days: %v, want %v", got, want)
	}
}

func TestRecentPeriodsEndWithTheLastOneDue(t *testing.T) {
	now := ict(2025, 11, 15, 9, 0)
	got := models.RecentPeriods(models.FrequencyQuarter, 20, 4, now)
	want := []string{"2024-Q4", "2025-Q1", "2025-Q2", "2025-Q3"}
	for i := range want {
		if got[i].String() != want[i] {
			t.Fatalf("recent quarters at %v: %v, want %v", now, got, want)
		}
	}
	// On 15 October, Q3 (due on the 20th) is not due yet.
	if got := models.RecentPeriods(models.FrequencyQuarter, 20, 1, ict(2025, 10, 15, 9, 0)); got[0].String() != "2025-Q2" {
		t.Errorf("last due quarter on 15 October: %v, want 2025-Q2", got[0])
	}
}

func TestCompletenessAddsCountsAndNeverExceedsAHundredPercent(t *testing.T) {
	var total models.Completeness
	total.Add(models.Completeness{Expected: 1, Reported: 1, OnTime: 1})
	total.Add(models.Completeness{Expected: 3, Reported: 0})
	if r := total.Rate(); r == nil || *r != 25 {
		t.Errorf("1 of 4 reported: rate %v, want 25 (counts summed, not 100 %% and 0 %% averaged)", r)
	}
	if (models.Completeness{}).Rate() != nil {
		t.Error("nothing expected: the rate must be absent, not 0 % or 100 %")
	}
	// A value of a unit that did not exist, or not yet due, adds nothing.
	ended := time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)
	gone := models.ReportingCase{Indicator: models.Indicator{Frequency: "quarter", Levels: "ward"},
		Unit: models.Unit{Level: "ward", EndedOn: &ended}, Period: models.Period{Year: 2025, Quarter: 3}, FirstSaved: &ended}
	if c := gone.Count(ict(2026, 1, 1, 0, 0)); c != (models.Completeness{}) {
		t.Errorf("a value of a unit that had ended counts %+v, want nothing", c)
	}
}

// TestCompletenessWithAMergedWardAndALateCorrection is the fixture of the
// issue: ward A merged into ward C on 1 July 2025, ward B reports all year,
// district D reports the indicator by assignment. Each value's first save is
// set by the store's clock; corrections come later and must not move it.
func TestCompletenessWithAMergedWardAndALateCorrection(t *testing.T) {
	store := apptest.EmptyStore(t, apptest.DSN(t))
	db := store.DB()
	merger := time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)
	pillar := models.Pillar{Code: "gov", NameVI: "Chính quyền số", NameEN: "Digital government"}
	must(t, db.Create(&pillar).Error)
	ind := models.Indicator{Code: "ward-dossiers", NameVI: "Hồ sơ phường", NameEN: "Ward dossiers", PillarID: pillar.ID,
		Measure: "%", Direction: models.DirectionHigher, Decimals: 1, Frequency: models.FrequencyQuarter, DueDays: 20, Levels: "ward"}
	must(t, db.Omit("Pillar").Create(&ind).Error)
	other := models.Indicator{Code: "city-only", NameVI: "Chỉ thành phố", NameEN: "City only", PillarID: pillar.ID,
		Measure: "%", Direction: models.DirectionHigher, Decimals: 1, Frequency: models.FrequencyQuarter, DueDays: 20, Levels: "city"}
	must(t, db.Omit("Pillar").Create(&other).Error)
	d := models.Unit{Code: "D", NameVI: "Quận D", NameEN: "District D", Level: "district"}
	must(t, db.Create(&d).Error)
	a := models.Unit{Code: "A", NameVI: "Phường A", NameEN: "Ward A", Level: "ward", ParentID: &d.ID, EndedOn: &merger}
	b := models.Unit{Code: "B", NameVI: "Phường B", NameEN: "Ward B", Level: "ward", ParentID: &d.ID}
	c := models.Unit{Code: "C", NameVI: "Phường C", NameEN: "Ward C", Level: "ward", ParentID: &d.ID, StartedOn: &merger}
	for _, u := range []*models.Unit{&a, &b, &c} {
		must(t, db.Omit("Parent").Create(u).Error)
	}
	must(t, db.Create(&models.UnitSuccession{PredecessorID: a.ID, SuccessorID: c.ID}).Error)
	actor := models.Actor{Username: "test"}
	must(t, store.SetAssignments(actor, d, map[uint]bool{ind.ID: true}))

	save := func(at time.Time, u models.Unit, period string, v float64) {
		t.Helper()
		store.SetClock(func() time.Time { return at })
		must(t, store.SaveObservations(actor, ind, []models.ObservationInput{{Unit: u, Period: period, Value: &v}}))
	}
	save(ict(2025, 4, 10, 9, 0), a, "2025-Q1", 50) // on time
	save(ict(2025, 7, 25, 9, 0), a, "2025-Q2", 52) // late (due 20 July)
	// A no longer existed in Q3: a form refuses the value; one stored before
	// that rule (here behind the store's back) is not counted.
	late := 1.0
	if err := store.SaveObservations(actor, ind, []models.ObservationInput{{Unit: a, Period: "2025-Q3", Value: &late}}); err == nil {
		t.Error("a value of ward A for 2025-Q3, after it ended, was stored")
	}
	must(t, store.InTx(func(tx *gorm.DB) error {
		return models.UpsertObservations(tx, []models.Observation{{IndicatorID: ind.ID, UnitID: a.ID, Period: "2025-Q3", Year: 2025, Value: 1}},
			ict(2025, 10, 1, 9, 0))
	}))
	save(ict(2025, 4, 20, 23, 30), b, "2025-Q1", 60) // on time, half an hour before the deadline
	save(ict(2025, 7, 10, 9, 0), b, "2025-Q2", 61)   // on time ...
	save(ict(2025, 9, 1, 9, 0), b, "2025-Q2", 62)    // ... and corrected late: still on time
	save(ict(2025, 11, 1, 9, 0), b, "2025-Q4", 63)   // Q4 is not due yet: not counted
	save(ict(2025, 10, 21, 0, 30), c, "2025-Q3", 70) // late by half an hour
	save(ict(2025, 4, 1, 9, 0), d, "2025-Q1", 55)    // on time (the district by assignment) ...
	// ... and corrected late through the import path.
	must(t, store.InTx(func(tx *gorm.DB) error {
		return models.UpsertObservations(tx, []models.Observation{{IndicatorID: ind.ID, UnitID: d.ID, Period: "2025-Q1", Year: 2025, Value: 56}},
			ict(2025, 10, 30, 9, 0))
	}))
	store.SetClock(func() time.Time { return ict(2025, 11, 15, 9, 0) })

	periods := models.RecentPeriods(models.FrequencyQuarter, 20, 4, store.Now())[1:] // 2025-Q1 … Q3
	g, err := store.Completeness(d, []models.Indicator{ind, other}, append(periods, models.Period{Year: 2025, Quarter: 4}))
	if err != nil {
		t.Fatal(err)
	}
	// Expected: A in Q1, Q2 (ended 1 July); B in Q1–Q3; C in Q3 (began 1 July);
	// D in Q1–Q3 by assignment; Q4 is not due; "city-only" applies to none.
	if want := (models.Completeness{Expected: 9, Reported: 6, OnTime: 4}); g.Total != want {
		t.Errorf("total: %+v, want %+v", g.Total, want)
	}
	rows := map[string]models.Completeness{}
	for _, r := range g.Rows {
		rows[r.Unit.Code] = r.Total
	}
	want := map[string]models.Completeness{
		"D": {Expected: 3, Reported: 1, OnTime: 1},
		"A": {Expected: 2, Reported: 2, OnTime: 1},
		"B": {Expected: 3, Reported: 2, OnTime: 2},
		"C": {Expected: 1, Reported: 1, OnTime: 0},
	}
	for code, w := range want {
		if rows[code] != w {
			t.Errorf("row %s: %+v, want %+v", code, rows[code], w)
		}
	}
	perPeriod := []models.Completeness{{Expected: 3, Reported: 3, OnTime: 3}, {Expected: 3, Reported: 2, OnTime: 1},
		{Expected: 3, Reported: 1, OnTime: 0}, {}}
	for i, w := range perPeriod {
		if g.Cells[i] != w {
			t.Errorf("%s: %+v, want %+v", g.Periods[i], g.Cells[i], w)
		}
	}
	if r := g.Total.Rate(); r == nil || *r > 100 {
		t.Errorf("rate %v", r)
	}

	// Rolled up one level higher, the counts are the same sums.
	city := models.Unit{Code: "CITY", NameVI: "Thành phố", NameEN: "City", Level: "city"}
	must(t, db.Create(&city).Error)
	must(t, db.Model(&models.Unit{}).Where("id = ?", d.ID).Update("parent_id", city.ID).Error)
	store.DataChanged() // written behind the store's back
	up, err := store.Completeness(city, []models.Indicator{ind, other}, periods)
	if err != nil {
		t.Fatal(err)
	}
	// The city itself is expected "city-only" in Q1–Q3 and reported none.
	if want := (models.Completeness{Expected: 12, Reported: 6, OnTime: 4}); up.Total != want {
		t.Errorf("city total: %+v, want %+v", up.Total, want)
	}
	if len(up.Rows) != 2 || up.Rows[1].Unit.Code != "D" || up.Rows[1].Total != (models.Completeness{Expected: 9, Reported: 6, OnTime: 4}) {
		t.Errorf("city rows: %+v", up.Rows)
	}
	var missing []string
	for _, u := range up.Missing {
		missing = append(missing, u.Code)
	}
	if got := fmt.Sprint(missing); got != "[CITY D B]" {
		t.Errorf("units missing a value of 2025-Q3: %s, want [CITY D B]", got)
	}

	// The overview's cheaper question gives the same units, period by
	// period: a late value is reported, a period not due misses nothing.
	for _, p := range append(periods, models.Period{Year: 2025, Quarter: 4}) {
		g, err := store.Completeness(city, []models.Indicator{ind, other}, []models.Period{p})
		if err != nil {
			t.Fatal(err)
		}
		got, err := store.Unreported(city, []models.Indicator{ind, other}, p)
		if err != nil {
			t.Fatal(err)
		}
		if codes(got) != codes(g.Missing) {
			t.Errorf("%s: Unreported %s, Completeness %s", p, codes(got), codes(g.Missing))
		}
	}
	if got, _ := store.Unreported(city, []models.Indicator{ind, other}, periods[1]); codes(got) != "[CITY D]" {
		t.Errorf("units missing a value of 2025-Q2: %s, want [CITY D]", codes(got))
	}
}

func codes(units []models.Unit) string {
	var out []string
	for _, u := range units {
		out = append(out, u.Code)
	}
	return fmt.Sprint(out)
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// The overview's answer is kept between writes and follows every write, in
// this instance and, through the change log, in another one: a value saved
// takes its unit off the list, a value deleted puts it back.
func TestUnreportedFollowsWritesOfEveryInstance(t *testing.T) {
	dsn := apptest.DSN(t)
	a := apptest.EmptyStore(t, dsn)
	b := apptest.EmptyStore(t, dsn)
	db := a.DB()
	pillar := models.Pillar{Code: "gov", NameVI: "Chính quyền số", NameEN: "Digital government"}
	must(t, db.Create(&pillar).Error)
	var inds []models.Indicator
	for _, code := range []string{"dossiers", "payments"} {
		ind := models.Indicator{Code: code, NameVI: code, NameEN: code, PillarID: pillar.ID, Measure: "%",
			Direction: models.DirectionHigher, Decimals: 1, Frequency: models.FrequencyQuarter, DueDays: 20, Levels: "ward"}
		must(t, db.Omit("Pillar").Create(&ind).Error)
		inds = append(inds, ind)
	}
	d, wards := districtWithWards(t, db)
	clock := func() time.Time { return ict(2025, 11, 15, 9, 0) }
	a.SetClock(clock)
	b.SetClock(clock)
	q3 := models.Period{Year: 2025, Quarter: 3}
	actor := models.Actor{Username: "test"}
	save := func(s *models.Store, ind models.Indicator, u models.Unit, v *float64) {
		t.Helper()
		must(t, s.SaveObservations(actor, ind, []models.ObservationInput{{Unit: u, Period: q3.String(), Value: v}}))
	}
	check := func(s *models.Store, want string) {
		t.Helper()
		got, err := s.Unreported(d, inds, q3)
		if err != nil {
			t.Fatal(err)
		}
		if codes(got) != want {
			t.Errorf("units missing a value: %s, want %s", codes(got), want)
		}
	}
	v := 50.0
	check(b, "[A B]")
	save(a, inds[0], wards[0], &v)
	check(b, "[A B]") // A still misses "payments"
	save(a, inds[1], wards[0], &v)
	check(b, "[B]")
	check(a, "[B]")
	save(b, inds[0], wards[1], &v)
	save(b, inds[1], wards[1], &v)
	check(b, "[]")
	check(a, "[]")
	save(a, inds[1], wards[0], nil)
	check(b, "[A]")
	check(a, "[A]")
}

// districtWithWards stores district D with wards A and B, behind the
// store's back.
func districtWithWards(t *testing.T, db *gorm.DB) (models.Unit, []models.Unit) {
	t.Helper()
	d := models.Unit{Code: "D", NameVI: "Quận D", NameEN: "District D", Level: "district"}
	must(t, db.Create(&d).Error)
	var wards []models.Unit
	for _, code := range []string{"A", "B"} {
		w := models.Unit{Code: code, NameVI: code, NameEN: code, Level: "ward", ParentID: &d.ID}
		must(t, db.Omit("Parent").Create(&w).Error)
		wards = append(wards, w)
	}
	return d, wards
}
