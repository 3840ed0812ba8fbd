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
