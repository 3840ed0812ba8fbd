package main

import (
	"path/filepath"
	"testing"

	"tiendo/models"
	"tiendo/seed"
)

func countDemo(t *testing.T, dsn string) (units, obs int64) {
	t.Helper()
	db, err := models.Open(dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if sqlDB, err := db.DB(); err == nil {
			sqlDB.Close()
		}
	}()
	db.Model(&models.Unit{}).Where("demo = ?", true).Count(&units)
	db.Model(&models.Observation{}).Where("demo = ?", true).Count(&obs)
	return units, obs
}

func TestDemoCommand(t *testing.T) {
	dsn := filepath.Join(t.TempDir(), "demo.db")
	// No size flag: the small HCMC demo, as before.
	if err := demo([]string{"-db", dsn}); err != nil {
		t.Fatal(err)
	}
	if units, obs := countDemo(t, dsn); units != 0 || obs != 66 {
		t.Fatalf("HCMC demo: %d demo units, %d demo values; want 0 and 66", units, obs)
	}
	if err := demo([]string{"-db", dsn, "--units", "20", "--indicators", "4", "--from", "2020", "--to", "2022", "--period", "month", "--seed", "3"}); err != nil {
		t.Fatal(err)
	}
	if units, obs := countDemo(t, dsn); units != 20 || obs != 66+20*4*36 {
		t.Fatalf("synthetic city: %d demo units, %d demo values; want 20 and %d", units, obs, 66+20*4*36)
	}
	if err := demo([]string{"-db", dsn, "--units", "20"}); err != seed.ErrSyntheticPresent {
		t.Errorf("a second synthetic city: %v", err)
	}
	if err := demo([]string{"-db", dsn, "-remove"}); err != nil {
		t.Fatal(err)
	}
	if units, obs := countDemo(t, dsn); units != 0 || obs != 0 {
		t.Fatalf("after -remove: %d demo units, %d demo values", units, obs)
	}
}
