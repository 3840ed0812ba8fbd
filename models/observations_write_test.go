package models_test

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"gorm.io/gorm"

	"tiendo/apptest"
	"tiendo/models"
)

// TestSavingOneValueReadsOnlyItsNeighbours: a write to an indicator with
// many values looks up the values it changes, not every value of the
// indicator inside the write transaction. (The assessment that follows in
// the same transaction reads the series it assesses again, the parent's
// roll-up here: that read is by hand, not counted by this GORM callback.)
func TestSavingOneValueReadsOnlyItsNeighbours(t *testing.T) {
	store := apptest.OpenStore(t, filepath.Join(t.TempDir(), "t.db"))
	store.SetClock(func() time.Time { return apptest.Today })
	ind, err := store.IndicatorByCode("poverty-funds")
	if err != nil {
		t.Fatal(err)
	}
	db := store.DB()
	var top models.Unit
	db.Where("code = ?", "VN-SG").First(&top)
	// 200 units × 25 years = 5 000 values.
	var obs []models.Observation
	var units []models.Unit
	for i := 0; i < 200; i++ {
		u := models.Unit{Code: fmt.Sprintf("W-%03d", i), NameVI: "P", NameEN: "W", Level: models.LevelWard, ParentID: &top.ID}
		if err := db.Create(&u).Error; err != nil {
			t.Fatal(err)
		}
		units = append(units, u)
		for y := 2000; y < 2025; y++ {
			obs = append(obs, models.Observation{IndicatorID: ind.ID, UnitID: u.ID, Period: fmt.Sprint(y), Year: y, Value: float64(y)})
		}
	}
	if err := store.InTx(func(tx *gorm.DB) error { return models.UpsertObservations(tx, obs, apptest.Today) }); err != nil {
		t.Fatal(err)
	}
	var read int64
	if err := db.Callback().Query().After("gorm:query").Register("test:rows", func(d *gorm.DB) {
		if d.Statement.Table == "observations" {
			read += d.Statement.RowsAffected
		}
	}); err != nil {
		t.Fatal(err)
	}
	v, w := 1.5, 2.5
	err = store.SaveObservations(models.Actor{Username: "test"}, *ind, []models.ObservationInput{
		{Unit: units[7], Period: "2024", Value: &v, Source: "s"},
		{Unit: units[9], Period: "2025", Value: &w, Source: "s"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if read > 4 {
		t.Errorf("saving two values read %d observations", read)
	}
	got, _ := store.ObservationsOf(ind.ID)
	if got[units[7].ID]["2024"].Value != 1.5 || got[units[9].ID]["2025"].Value != 2.5 || got[units[8].ID]["2024"].Value != 2024 {
		t.Error("the values saved are not the ones stored")
	}
}

// TestBatchesBindWhatTheirRowsShareOnce: a batch whose rows share a note,
// a source, a demo mark or an indicator binds it once; every value still
// lands in its own column and row, whichever columns a batch shares, and
// upserting the same keys again replaces them.
func TestBatchesBindWhatTheirRowsShareOnce(t *testing.T) {
	store := apptest.OpenStore(t, filepath.Join(t.TempDir(), "t.db"))
	db := store.DB()
	var inds []models.Indicator
	var units []models.Unit
	db.Order("id").Limit(2).Find(&inds)
	db.Order("id").Limit(3).Find(&units)
	if len(inds) < 2 || len(units) < 3 {
		t.Fatal("the seeded database has too few indicators or units")
	}
	// 1 207 rows: a first batch sharing everything it can, a second
	// sharing only its notes and demo mark, a last part sharing nothing.
	var rows []models.ObservationRow
	for i := 0; i < 1207; i++ {
		r := models.ObservationRow{IndicatorID: inds[0].ID, UnitID: units[i%3].ID, Period: fmt.Sprintf("%d-M%02d", 1900+i/12, i%12+1),
			Value: float64(i) / 4, Note: "chung", Source: "nguồn", Demo: true}
		r.Year = 1900 + i/12
		if i >= 500 {
			r.Source, r.IndicatorID = fmt.Sprint("s", i%7), inds[i%2].ID
		}
		if i >= 1000 {
			r.Note, r.Demo = fmt.Sprint("n", i%5), i%2 == 0
		}
		rows = append(rows, r)
	}
	write := func(rows []models.ObservationRow) {
		t.Helper()
		err := store.InTx(func(tx *gorm.DB) error {
			w := models.NewObservationWriter(tx, apptest.Today)
			for _, r := range rows {
				if err := w.Write(r); err != nil {
					return err
				}
			}
			return w.Close()
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	check := func(rows []models.ObservationRow) {
		t.Helper()
		for _, want := range rows {
			var got models.Observation
			err := db.Where("indicator_id = ? AND unit_id = ? AND period = ?", want.IndicatorID, want.UnitID, want.Period).First(&got).Error
			if err != nil {
				t.Fatalf("%+v: %v", want, err)
			}
			if got.Value != want.Value || got.Year != want.Year || got.Note != want.Note || got.Source != want.Source || got.Demo != want.Demo {
				t.Fatalf("stored %+v, want %+v", got, want)
			}
		}
	}
	write(rows)
	check(rows)
	for i := range rows {
		rows[i].Value, rows[i].Note = -rows[i].Value, fmt.Sprint("sửa ", i%3)
	}
	write(rows)
	check(rows)
	var n int64
	db.Model(&models.Observation{}).Where("period LIKE '19%' OR period LIKE '20%'").Where("year < 2001").Count(&n)
	if n != int64(len(rows)) {
		t.Fatalf("%d observations of the test's periods, want %d", n, len(rows))
	}
}
