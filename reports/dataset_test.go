package reports

import (
	"errors"
	"io"
	"path/filepath"
	"testing"
	"time"

	"tiendo/locale"
	"tiendo/models"
	"tiendo/seed"
)

// TestEachValueHandsOverEveryRowInOrder: the rows read on the other
// goroutine reach the writer as EachObservation gives them, all and in
// order; when the writer fails, its error comes back and the reader stops
// rather than hanging.
func TestEachValueHandsOverEveryRowInOrder(t *testing.T) {
	d := demoDataset(t, Filter{})
	var want []models.Observation
	err := d.EachObservation(func(o models.Observation, _ models.Indicator, _ models.Unit) error {
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

// demoDataset is the small demo's dataset, from a store opened here
// (apptest would import this package back).
func demoDataset(t *testing.T, f Filter) *Dataset {
	t.Helper()
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
	d, err := Load(models.NewStore(db), f)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// A workbook holds a sheet's rows and no more: a choice of more values is
// refused before anything is written when they can be counted, and the
// writing stops at the limit when they cannot (a period filter).
func TestWorkbookRefusesMoreValuesThanItsSheetHolds(t *testing.T) {
	if CheckFits(XLSX, excelizeRows-1) != nil || CheckFits(XLSX, excelizeRows) == nil || CheckFits(CSV, 10*excelizeRows) != nil {
		t.Errorf("CheckFits around the sheet's %d rows", excelizeRows)
	}
	old := xlsxMaxRows
	xlsxMaxRows = 3
	t.Cleanup(func() { xlsxMaxRows = old })
	d := demoDataset(t, Filter{From: "2000"})
	n, err := d.CountObservations()
	if err != nil || n != 0 {
		t.Fatalf("a period filter leaves the count unknown: %d, %v", n, err)
	}
	if err := Write(io.Discard, XLSX, d, locale.Catalog{}, nil); !errors.Is(err, ErrTooManyRows) {
		t.Errorf("a workbook of more than 3 values: %v, want ErrTooManyRows", err)
	}
	if err := Write(io.Discard, CSV, demoDataset(t, Filter{From: "2000"}), locale.Catalog{}, nil); err != nil {
		t.Errorf("CSV has no such limit: %v", err)
	}
}

// excelizeRows is a sheet's rows, the header's included.
const excelizeRows = 1048576
