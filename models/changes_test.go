package models_test

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"tiendo/apptest"
	"tiendo/models"
	"tiendo/seed"
)

// A missing answer is computed once however many readers ask for it at the
// same time.
func TestCacheBuildsOnceForManyReaders(t *testing.T) {
	c := models.NewCache[string, int](8)
	var builds atomic.Int32
	release := make(chan struct{})
	var wg sync.WaitGroup
	got := make([]int, 20)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, err := c.Build("city", 0, "city", func(int, map[uint]bool) (int, models.Deps, bool, error) {
				builds.Add(1)
				<-release
				return 42, models.Deps{Units: []uint{1}}, true, nil
			})
			if err != nil {
				t.Error(err)
			}
			got[i] = v
		}()
	}
	time.Sleep(50 * time.Millisecond) // let every reader arrive and wait
	close(release)
	wg.Wait()
	if n := builds.Load(); n != 1 {
		t.Errorf("%d computations for 20 readers of one key, want 1", n)
	}
	for i, v := range got {
		if v != 42 {
			t.Errorf("reader %d got %d", i, v)
		}
	}
}

// unitsOf returns the ids of a unit code, its parent and a sibling.
func district(t *testing.T, s *models.Store, gso string) models.Unit {
	t.Helper()
	u, err := s.UnitByCode(seed.DistrictCode(gso))
	if err != nil {
		t.Fatal(err)
	}
	return *u
}

// A change reaches the answers of the unit, its ancestors and its subtree,
// and only those; an answer computed from data read before a change that
// touches it is not stored.
func TestChangesDropOnlyWhatDependsOnThem(t *testing.T) {
	s := apptest.OpenStore(t, apptest.DSN(t))
	c := models.NewCache[string, string](64)
	models.Track(s, c)
	city, err := s.UnitByCode(seed.UnitHCMC)
	if err != nil {
		t.Fatal(err)
	}
	d1, d3 := district(t, s, "760"), district(t, s, "770")
	other, err := s.UnitByCode(seed.UnitTraVinh)
	if err != nil {
		t.Fatal(err)
	}
	fill := func() {
		since, err := s.Sync()
		if err != nil {
			t.Fatal(err)
		}
		for name, deps := range map[string]models.Deps{
			"city": {Units: []uint{city.ID}}, "d1": {Units: []uint{d1.ID}}, "d3": {Units: []uint{d3.ID}},
			"tra-vinh": {Units: []uint{other.ID}}, "d3 indicator 7": {Units: []uint{d3.ID}, Indicators: []uint{7}},
			"tra-vinh indicator 7": {Units: []uint{other.ID}, Indicators: []uint{7}}, "everything": {},
		} {
			c.Put(name, name, deps, since)
		}
	}
	cases := []struct {
		change models.Change
		gone   []string
	}{
		{models.Change{Unit: d1.ID, Indicator: 3}, []string{"city", "d1", "everything"}},
		{models.Change{Unit: d3.ID, Indicator: 7}, []string{"city", "d3", "d3 indicator 7", "tra-vinh indicator 7", "everything"}},
		{models.Change{Unit: city.ID, Indicator: 3}, []string{"city", "d1", "d3", "d3 indicator 7", "everything"}},
		{models.Change{}, []string{"city", "d1", "d3", "tra-vinh", "d3 indicator 7", "tra-vinh indicator 7", "everything"}},
	}
	for _, tc := range cases {
		fill()
		s.DataChanged(tc.change)
		gone := map[string]bool{}
		for _, k := range tc.gone {
			gone[k] = true
		}
		for _, k := range []string{"city", "d1", "d3", "tra-vinh", "d3 indicator 7", "tra-vinh indicator 7", "everything"} {
			if _, ok := c.Get(k); ok == gone[k] {
				t.Errorf("after a change of %+v: %q stored = %v, want %v", tc.change, k, ok, !gone[k])
			}
		}
	}
	// Built from data read before a write to its unit: not stored.
	since, _ := s.Sync()
	s.DataChanged(models.Change{Unit: d1.ID, Indicator: 3})
	c.Put("late city", "x", models.Deps{Units: []uint{city.ID}}, since)
	c.Put("late tra-vinh", "x", models.Deps{Units: []uint{other.ID}}, since)
	if _, ok := c.Get("late city"); ok {
		t.Error("an answer computed before a change to its subtree was stored")
	}
	if _, ok := c.Get("late tra-vinh"); !ok {
		t.Error("an answer the change does not touch was refused")
	}
}

// Another store on the same database (another app instance) learns of the
// change through the change log on its next Sync.
func TestChangesReachAnotherInstance(t *testing.T) {
	dsn := apptest.DSN(t)
	a := apptest.OpenStore(t, dsn)
	b := apptest.EmptyStore(t, dsn)
	c := models.NewCache[string, string](8)
	models.Track(b, c)
	d1, d3 := district(t, a, "760"), district(t, a, "770")
	since, err := b.Sync()
	if err != nil {
		t.Fatal(err)
	}
	c.Put("d1", "x", models.Deps{Units: []uint{d1.ID}}, since)
	c.Put("d3", "x", models.Deps{Units: []uint{d3.ID}}, since)
	a.DataChanged(models.Change{Unit: d1.ID, Indicator: 1})
	if _, ok := c.Get("d1"); !ok {
		t.Fatal("the other instance dropped the answer before reading the log")
	}
	if _, err := b.Sync(); err != nil {
		t.Fatal(err)
	}
	if _, ok := c.Get("d1"); ok {
		t.Error("the other instance still holds the changed unit's answer after its next Sync")
	}
	if _, ok := c.Get("d3"); !ok {
		t.Error("the other instance dropped an answer the change does not touch")
	}
}

// An answer built from definitions only stays through changes of values
// and targets, and goes when a unit itself or everything changes.
func TestDefinitionsGoOnlyWhenDefinitionsChange(t *testing.T) {
	s := apptest.OpenStore(t, apptest.DSN(t))
	c := models.NewCache[string, string](8)
	models.Track(s, c)
	d1 := district(t, s, "760")
	put := func() {
		since, err := s.Sync()
		if err != nil {
			t.Fatal(err)
		}
		c.Put("defs", "x", models.Deps{Definitions: true}, since)
	}
	put()
	s.DataChanged(models.Change{Unit: d1.ID, Indicator: 1})
	if _, ok := c.Get("defs"); !ok {
		t.Error("a value's change dropped an answer built from definitions")
	}
	s.DataChanged(models.Change{Unit: d1.ID})
	if _, ok := c.Get("defs"); ok {
		t.Error("a unit's own change left an answer built from definitions")
	}
	put()
	s.DataChanged()
	if _, ok := c.Get("defs"); ok {
		t.Error("a change of everything left an answer built from definitions")
	}
	// Built while a unit changed: not kept.
	since, err := s.Sync()
	if err != nil {
		t.Fatal(err)
	}
	s.DataChanged(models.Change{Unit: d1.ID})
	c.Put("defs", "x", models.Deps{Definitions: true}, since)
	if _, ok := c.Get("defs"); ok {
		t.Error("an answer read before a unit changed was kept")
	}
}

// On PostgreSQL a change row with a lower id may commit after a higher one
// was read: the next request still applies it. (SQLite lets one writer in
// at a time, so its ids commit in order and only new ids are read.)
func TestALateCommittedLowerChangeIsApplied(t *testing.T) {
	a := apptest.OpenStore(t, apptest.DSN(t))
	if !models.IsPostgres(a.DB()) {
		t.Skip("SQLite commits change ids in order; this runs in the PostgreSQL half of make test")
	}
	c := models.NewCache[string, string](8)
	models.Track(a, c)
	d1 := district(t, a, "760")
	since, err := a.Sync()
	if err != nil {
		t.Fatal(err)
	}
	var last int64
	if err := a.DB().Raw(`SELECT COALESCE(MAX(id), 0) FROM data_changes`).Row().Scan(&last); err != nil {
		t.Fatal(err)
	}
	insert := func(id int64, unit uint) {
		t.Helper()
		if err := a.DB().Exec(`INSERT INTO data_changes (id, unit_id, indicator_id, at) VALUES (?, ?, 1, ?)`,
			id, unit, time.Now().UnixMilli()).Error; err != nil {
			t.Fatal(err)
		}
	}
	c.Put("d1", "x", models.Deps{Units: []uint{d1.ID}}, since)
	insert(last+2, district(t, a, "770").ID) // committed first
	if _, err := a.Sync(); err != nil {
		t.Fatal(err)
	}
	if _, ok := c.Get("d1"); !ok {
		t.Fatal("a change of another district dropped the answer")
	}
	insert(last+1, d1.ID) // the lower id, committed later
	if _, err := a.Sync(); err != nil {
		t.Fatal(err)
	}
	if _, ok := c.Get("d1"); ok {
		t.Error("the change committed later with a lower id was not applied")
	}
}
