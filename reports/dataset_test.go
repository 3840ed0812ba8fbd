package reports

import (
	"errors"
	"path/filepath"
	"testing"
	"time"

	"tiendo/models"
	"tiendo/seed"
)

// TestEachValueHandsOverEveryRowInOrder: the rows read on the other
// goroutine reach the writer as EachObservation gives them, all and in
// order; when the writer fails, its error comes back and the reader stops
// rather than hanging.
func TestEachValueHandsOverEveryRowInOrder(t *testing.T) {
	// apptest would import this package back: the store is opened here.
	db, err := models.Open(filepath.Join(t.TempDir(), "demo.db"))
	if err != nil {
		t.Fatal(err)
	}
	if err := models.Migrate(db); err != nil {
		t.Fatal(err)
	}
	if _, err := seed.Ensure(db); err != nil {
		t.Fatal(err)
	}
	if err := seed.AddDemo(db); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if sqlDB, err := db.DB(); err == nil {
			sqlDB.Close()
		}
	})
	d, err := Load(models.NewStore(db), Filter{})
	if err != nil {
		t.Fatal(err)
	}
	var want []models.Observation
	err = d.EachObservation(func(o models.Observation, _ models.Indicator, _ models.Unit) error {
		want = append(want, models.Observation{IndicatorID: o.IndicatorID, UnitID: o.UnitID, Period: o.Period, Breakdown: o.Breakdown,
			Value: o.Value, Note: o.Note, Source: o.Source, Demo: o.Demo})
		return nil
	})
	if err != nil || len(want) <= valueBatch {
		t.Fatalf("%d observations (%v): the test wants several batches", len(want), err)
	}
	var got []models.Observation
	err = d.eachValue(nil, func(o *models.Observation) error {
		got = append(got, *o)
		return nil
	})
	if err != nil || len(got) != len(want) {
		t.Fatalf("%d rows of %d (%v)", len(got), len(want), err)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("row %d: %+v, want %+v", i, got[i], want[i])
		}
	}

	full := errors.New("disk full")
	done := make(chan error, 1)
	n := 0
	go func() {
		done <- d.eachValue(nil, func(*models.Observation) error {
			if n++; n == 100 {
				return full
			}
			return nil
		})
	}()
	select {
	case err := <-done:
		if !errors.Is(err, full) || n != 100 {
			t.Errorf("after a failed write: %v, %d rows written", err, n)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("eachValue hangs after a failed write")
	}
}
