package main

import (
	"errors"
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
	// No size flag: the small HCMC demo: the city's 66 values, and 6 values
	// of 6 indicators in 21 districts and 6 demo wards (less Cần Giờ's 5G).
	const hcmcUnits, hcmcValues = 6, 66 + (21+6)*6*6 - 6
	if err := demo([]string{"-db", dsn}); err != nil {
		t.Fatal(err)
	}
	if units, obs := countDemo(t, dsn); units != hcmcUnits || obs != hcmcValues {
		t.Fatalf("HCMC demo: %d demo units, %d demo values; want %d and %d", units, obs, hcmcUnits, hcmcValues)
	}
	if err := demo([]string{"-db", dsn, "--units", "20", "--indicators", "4", "--from", "2020", "--to", "2022", "--period", "month", "--seed", "3"}); err != nil {
		t.Fatal(err)
	}
	if units, obs := countDemo(t, dsn); units != hcmcUnits+20 || obs != hcmcValues+20*4*36 {
		t.Fatalf("synthetic city: %d demo units, %d demo values; want %d and %d", units, obs, hcmcUnits+20, hcmcValues+20*4*36)
	}
	if err := demo([]string{"-db", dsn, "--units", "20"}); !errors.Is(err, seed.ErrSyntheticPresent) {
		t.Errorf("a second synthetic city: %v", err)
	}
	if err := demo([]string{"-db", dsn, "-remove"}); err != nil {
		t.Fatal(err)
	}
	if units, obs := countDemo(t, dsn); units != 0 || obs != 0 {
		t.Fatalf("after -remove: %d demo units, %d demo values", units, obs)
	}
}
