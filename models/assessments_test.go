package models_test

import (
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"gorm.io/gorm"

	"tiendo/apptest"
	"tiendo/models"
	"tiendo/seed"
)

// ownerCode is the code of the unit an inherited target comes from ("" for
// the unit's own target, which names no unit).
func ownerCode(t *models.Target) string {
	if t.Unit == nil {
		return ""
	}
	return t.Unit.Code
}

// sameProgress compares the stored rows of a unit with the rows computed
// afresh from the values: the same indicators, targets (and whose), status
// and figures, latest value with its roll-up coverage, and annual series.
func sameProgress(t *testing.T, where string, got, want []models.Progress) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: %d stored rows, %d computed", where, len(got), len(want))
		return
	}
	for i := range want {
		g, w := got[i], want[i]
		what := fmt.Sprintf("%s: row %d (%s)", where, i, w.Indicator.Code)
		if g.Indicator.ID != w.Indicator.ID || g.Unit.ID != w.Unit.ID || g.Passed != w.Passed || (g.Target == nil) != (w.Target == nil) {
			t.Errorf("%s: stored %s passed=%v target=%v, computed %s passed=%v target=%v", what, g.Indicator.Code, g.Passed, g.Target != nil, w.Indicator.Code, w.Passed, w.Target != nil)
			continue
		}
		if w.Target != nil && (g.Target.ID != w.Target.ID || g.Target.UnitID != w.Target.UnitID || ownerCode(g.Target) != ownerCode(w.Target)) {
			t.Errorf("%s: target %d of %q, computed %d of %q", what, g.Target.ID, ownerCode(g.Target), w.Target.ID, ownerCode(w.Target))
		}
		if !reflect.DeepEqual(g.Assessment, w.Assessment) {
			t.Errorf("%s: stored %+v\ncomputed %+v", what, g.Assessment, w.Assessment)
		}
		if gl, wl := g.Latest(), w.Latest(); (gl == nil) != (wl == nil) ||
			(wl != nil && (gl.Period != wl.Period || gl.Value != wl.Value || gl.Demo != wl.Demo || !reflect.DeepEqual(gl.Rollup, wl.Rollup))) {
			t.Errorf("%s: latest %+v, computed %+v", what, gl, wl)
		}
		if !reflect.DeepEqual(models.AnnualSeries(g.Observations), models.AnnualSeries(w.Observations)) {
			t.Errorf("%s: the annual series differ", what)
		}
		if g.Words() != w.Words() || g.Class() != w.Class() {
			t.Errorf("%s: says %s/%s, computed %s/%s", what, g.Words(), g.Class(), w.Words(), w.Class())
		}
	}
}

// checkStored compares every unit's stored rows with a fresh computation
// at each milestone.
func checkStored(t *testing.T, s *models.Store, when string) {
	t.Helper()
	units, err := s.Units()
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range units {
		for _, m := range []int{0, 2020, 2025, 2030} {
			got, err := s.CachedEffectiveProgress(u, m)
			if err != nil {
				t.Fatal(err)
			}
			want, err := s.ComputedProgress(u, m)
			if err != nil {
				t.Fatal(err)
			}
			sameProgress(t, fmt.Sprintf("%s: %s at %d", when, u.Code, m), got, want)
		}
	}
}

// tableDump is every stored row, in key order.
func tableDump(t *testing.T, s *models.Store) []models.StoredAssessment {
	t.Helper()
	var rows []models.StoredAssessment
	if err := s.DB().Order("unit_id, breakdown, indicator_id, milestone, target_id").Find(&rows).Error; err != nil {
		t.Fatal(err)
	}
	return rows
}

// Every write stores, in its transaction, exactly the assessments a fresh
// computation gives (in the unit written, its ancestors' roll-ups, the
// descendants inheriting a target), and `tiendo reassess` rebuilds the
// same table.
func TestWritesStoreTheAssessmentsAFreshComputationGives(t *testing.T) {
	s := apptest.OpenStore(t, apptest.DSN(t))
	if err := seed.AddDemo(s.DB()); err != nil {
		t.Fatal(err)
	}
	s.SetClock(func() time.Time { return time.Date(2025, 5, 10, 9, 0, 0, 0, time.UTC) })
	checkStored(t, s, "after the demo")
	actor := models.Actor{Username: "test"}
	city, err := s.UnitByCode(seed.UnitHCMC)
	if err != nil {
		t.Fatal(err)
	}
	d1 := district(t, s, "760")
	ind := func(code string) models.Indicator {
		i, err := s.IndicatorByCode(code)
		if err != nil {
			t.Fatal(err)
		}
		return *i
	}
	v, w := 12.5, 31.0
	steps := []struct {
		name  string
		write func() error
	}{
		{"a district's value", func() error {
			return s.SaveObservations(actor, ind("5g-coverage"), []models.ObservationInput{{Unit: d1, Period: "2024", Value: &v}})
		}},
		{"two values at once, one deleted", func() error {
			return s.SaveObservations(actor, ind("5g-coverage"), []models.ObservationInput{
				{Unit: d1, Period: "2024", Value: nil}, {Unit: district(t, s, "770"), Period: "2023", Value: &w}})
		}},
		{"the city's target", func() error {
			_, err := s.SetTarget(actor, ind("5g-coverage"), *city, models.Target{Year: 2030, Comparator: models.AtLeast, Value: 97.5, Reason: "kiểm thử", Source: "kiểm thử"}, models.ExpectAny)
			return err
		}},
		{"a district's own target", func() error {
			_, err := s.SetTarget(actor, ind("5g-coverage"), d1, models.Target{Year: 2025, Comparator: models.AtLeast, Value: 40, Source: "kiểm thử"}, models.ExpectAny)
			return err
		}},
		{"the district's target withdrawn", func() error {
			return s.WithdrawTarget(actor, ind("5g-coverage"), d1, 2025, "kiểm thử")
		}},
		{"5G weighted by fibre (set by hand, then reassessed)", func() error {
			if err := s.DB().Exec(`UPDATE indicators SET rollup = 'weighted', rollup_weight = 'fibre-coverage' WHERE code = '5g-coverage'`).Error; err != nil {
				return err
			}
			return s.Reassess()
		}},
		{"a district's weight", func() error {
			return s.SaveObservations(actor, ind("fibre-coverage"), []models.ObservationInput{{Unit: district(t, s, "770"), Period: "2023", Value: &v}})
		}},
		{"a ward's end (District 1's values are its wards')", func() error {
			end := time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)
			u, err := s.UnitByCode(seed.DistrictCode("760") + "-26734")
			if err != nil {
				return err
			}
			return s.UpdateUnit(actor, u.Code, models.UnitChange{NameVI: u.NameVI, NameEN: u.NameEN, EndedOn: &end, EndedBasis: "kiểm thử"})
		}},
		{"an indicator's direction", func() error {
			i := ind("fibre-coverage")
			i.Direction = models.DirectionLower
			return s.UpdateIndicator(actor, i.Code, i, i.Pillar.Code)
		}},
		{"an indicator retired", func() error { return s.RetireIndicator(actor, "fibre-coverage") }},
	}
	for _, step := range steps {
		if err := step.write(); err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
		checkStored(t, s, "after "+step.name)
	}
	kept := tableDump(t, s)
	if err := s.Reassess(); err != nil {
		t.Fatal(err)
	}
	if rebuilt := tableDump(t, s); !reflect.DeepEqual(kept, rebuilt) {
		t.Errorf("the table kept by the writes (%d rows) differs from the one rebuilt (%d rows)", len(kept), len(rebuilt))
	}
	if len(kept) < 100 {
		t.Fatalf("only %d stored rows", len(kept))
	}
}

// A write whose transaction fails stores neither the value nor the
// assessments made from it.
func TestAFailedWriteLeavesNeitherValueNorAssessment(t *testing.T) {
	s := apptest.OpenStore(t, apptest.DSN(t))
	s.SetClock(func() time.Time { return apptest.Today })
	city, err := s.UnitByCode(seed.UnitHCMC)
	if err != nil {
		t.Fatal(err)
	}
	ind, err := s.IndicatorByCode("5g-coverage")
	if err != nil {
		t.Fatal(err)
	}
	before, err := s.CachedEffectiveProgress(*city, 0)
	if err != nil {
		t.Fatal(err)
	}
	dump := tableDump(t, s)
	cut := errors.New("cut")
	err = s.InTx(func(tx *gorm.DB) error {
		obs := []models.Observation{{IndicatorID: ind.ID, UnitID: city.ID, Period: "2024", Year: 2024, Value: 77}}
		if err := models.UpsertObservations(tx, obs, apptest.Today); err != nil {
			return err
		}
		if err := s.ReassessTx(tx, []models.Change{{Unit: city.ID, Indicator: ind.ID}}); err != nil {
			return err
		}
		return cut
	})
	if !errors.Is(err, cut) {
		t.Fatalf("the transaction ended with %v", err)
	}
	s.DataChanged(models.Change{Unit: city.ID, Indicator: ind.ID})
	var n int64
	s.DB().Model(&models.Observation{}).Where("indicator_id = ? AND unit_id = ? AND period = ?", ind.ID, city.ID, "2024").Count(&n)
	if n != 0 {
		t.Error("the value of the failed write is stored")
	}
	if !reflect.DeepEqual(tableDump(t, s), dump) {
		t.Error("the failed write changed the stored assessments")
	}
	after, err := s.CachedEffectiveProgress(*city, 0)
	if err != nil {
		t.Fatal(err)
	}
	sameProgress(t, "after the failed write", after, before)
}

// When the day changes, the value expected today moves with it, and a new
// year passes the milestones of the year before: the rows read are those
// a computation on the new day gives.
func TestTheDayChangeRefreshesTheStoredAssessments(t *testing.T) {
	s := apptest.OpenStore(t, apptest.DSN(t))
	if err := seed.AddDemo(s.DB()); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)
	s.SetClock(func() time.Time { return now })
	city, err := s.UnitByCode(seed.UnitHCMC)
	if err != nil {
		t.Fatal(err)
	}
	expected := func() map[string]float64 {
		rows, err := s.CachedEffectiveProgress(*city, 2030)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]float64{}
		for _, r := range rows {
			if r.Assessment.ExpectedNow != nil {
				out[r.Indicator.Code] = *r.Assessment.ExpectedNow
			}
		}
		return out
	}
	first := expected()
	dump := tableDump(t, s)
	now = time.Date(2025, 9, 1, 10, 0, 0, 0, time.UTC)
	second := expected()
	moved := 0
	for code, v := range second {
		if first[code] != v {
			moved++
		}
	}
	if moved == 0 {
		t.Errorf("no value expected today moved from March to September: %v", second)
	}
	if !reflect.DeepEqual(tableDump(t, s), dump) {
		t.Error("a new day within the year rewrote the table (it is refreshed as rows are read)")
	}
	checkStored(t, s, "in September")
	passed := func() int {
		rows, err := s.CachedEffectiveProgress(*city, 2025)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, r := range rows {
			if r.Assessment.Status == models.StatusTargetMissed || r.Assessment.Status == models.StatusTargetAchieved {
				n++
			}
		}
		return n
	}
	before := passed()
	now = time.Date(2026, 1, 1, 0, 30, 0, 0, time.UTC)
	if after := passed(); after <= before {
		t.Errorf("on 1 January 2026, %d rows of 2025 are achieved or missed, %d before", after, before)
	}
	checkStored(t, s, "on 1 January 2026")
}

// Planners writing values of two districts at the same time each roll the
// city up again: the stored roll-up has both values (on PostgreSQL the
// writers' assessments queue behind one lock, or each would miss the
// other's value).
func TestConcurrentWritersKeepTheRollUpWhole(t *testing.T) {
	s := apptest.OpenStore(t, apptest.DSN(t))
	if err := seed.AddDemo(s.DB()); err != nil {
		t.Fatal(err)
	}
	s.SetClock(func() time.Time { return time.Date(2025, 5, 10, 9, 0, 0, 0, time.UTC) })
	ind, err := s.IndicatorByCode("5g-coverage")
	if err != nil {
		t.Fatal(err)
	}
	units := []models.Unit{district(t, s, "760"), district(t, s, "770"), district(t, s, "761"), district(t, s, "771")}
	done := make(chan error, len(units))
	for i, u := range units {
		go func() {
			for k := range 5 {
				v := float64(10*i + k)
				err := s.SaveObservations(models.Actor{Username: "test"}, *ind, []models.ObservationInput{{Unit: u, Period: fmt.Sprint(2020 + k), Value: &v}})
				if err != nil {
					done <- err
					return
				}
			}
			done <- nil
		}()
	}
	for range units {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	checkStored(t, s, "after four planners wrote at once")
}

// A unit's kept rows are patched after a write of one indicator: the
// indicators weighted by it change with it, the others stay, and every row
// equals a fresh computation.
func TestKeptRowsFollowAWriteOfAWeight(t *testing.T) {
	s := apptest.EmptyStore(t, apptest.DSN(t))
	db := s.DB()
	s.SetClock(func() time.Time { return time.Date(2025, 5, 10, 9, 0, 0, 0, time.UTC) })
	pillar := models.Pillar{Code: "soc", NameVI: "Xã hội", NameEN: "Society"}
	must(t, db.Create(&pillar).Error)
	mk := func(code string, rule models.RollupRule, weight string) models.Indicator {
		ind := models.Indicator{Code: code, NameVI: code, NameEN: code, PillarID: pillar.ID, Measure: "%",
			Direction: models.DirectionHigher, Decimals: 1, Frequency: models.FrequencyYear, Levels: "ward", Rollup: rule, RollupWeight: weight}
		must(t, db.Omit("Pillar").Create(&ind).Error)
		return ind
	}
	households := mk("households", models.RollupSum, "")
	online := mk("online", models.RollupWeighted, "households")
	other := mk("other", models.RollupMean, "")
	d, wards := districtWithWards(t, db)
	must(t, s.Reassess())
	actor := models.Actor{Username: "test"}
	save := func(ind models.Indicator, u models.Unit, v float64) {
		t.Helper()
		must(t, s.SaveObservations(actor, ind, []models.ObservationInput{{Unit: u, Period: "2024", Value: &v}}))
	}
	save(online, wards[0], 10)
	save(online, wards[1], 20)
	save(other, wards[0], 5)
	save(other, wards[1], 7)
	save(households, wards[0], 1)
	save(households, wards[1], 1)
	latest := func(ind models.Indicator) float64 {
		t.Helper()
		rows, err := s.CachedEffectiveProgress(d, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			if r.Indicator.ID == ind.ID && r.Latest() != nil {
				return r.Latest().Value
			}
		}
		t.Fatalf("no value of %s in the district's rows", ind.Code)
		return 0
	}
	if got := latest(online); got != 15 {
		t.Fatalf("online households in the district: %v, want 15", got)
	}
	save(households, wards[1], 3) // the weight of ward B's 20 %
	if got := latest(online); got != 17.5 {
		t.Errorf("after ward B's households changed, the district's kept row says %v, want 17.5", got)
	}
	if got := latest(other); got != 6 {
		t.Errorf("an indicator the write did not touch: %v, want 6", got)
	}
	want, err := s.ComputedProgress(d, 0)
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.CachedEffectiveProgress(d, 0)
	if err != nil {
		t.Fatal(err)
	}
	sameProgress(t, "the district after the write", got, want)
}
