package apptest

import (
	"testing"

	"tiendo/models"
)

// Hostile is a name written to break out of HTML, attributes, JSON and
// script blocks; if any of its scripts ran, window.__xss is set.
const Hostile = `<script>window.__xss=1</script>"'><img src=x onerror="window.__xss=2"></script><script>window.__xss=3</script>{{.}}&amp;`

// HostileCodes name what AddHostile stores.
const (
	HostileIndicator = "xss-indicator"
	HostileUnit      = "XSS-UNIT"
)

// AddHostile stores a unit and an indicator named Hostile, with targets and
// values, so they appear on every page, chart and export.
func AddHostile(t testing.TB, store *models.Store) {
	t.Helper()
	db := store.DB()
	var pillar models.Pillar
	if err := db.Order("position").First(&pillar).Error; err != nil {
		t.Fatal(err)
	}
	var city models.Unit
	if err := db.Order("id").First(&city).Error; err != nil {
		t.Fatal(err)
	}
	unit := models.Unit{Code: HostileUnit, NameVI: Hostile + " vi", NameEN: Hostile + " en", Level: models.LevelDistrict, ParentID: &city.ID}
	ind := models.Indicator{Code: HostileIndicator, NameVI: Hostile + " vi", NameEN: Hostile + " en", PillarID: pillar.ID,
		Measure: `%</script>`, Direction: models.DirectionHigher, Decimals: 1, Frequency: models.FrequencyYear}
	if err := db.Create(&unit).Error; err != nil {
		t.Fatal(err)
	}
	if err := db.Create(&ind).Error; err != nil {
		t.Fatal(err)
	}
	base, baseYear := 10.0, 2020
	for _, u := range []models.Unit{city, unit} {
		tg := models.Target{IndicatorID: ind.ID, UnitID: u.ID, Year: 2030, Comparator: models.AtLeast, Value: 80,
			BaselineYear: &baseYear, BaselineValue: &base, Source: Hostile}
		if err := db.Create(&tg).Error; err != nil {
			t.Fatal(err)
		}
		for i, v := range []float64{10, 20, 35, 50} {
			o := models.Observation{IndicatorID: ind.ID, UnitID: u.ID, Period: []string{"2020", "2022", "2024", "2025-Q2"}[i],
				Year: []int{2020, 2022, 2024, 2025}[i], Value: v, Note: Hostile, Source: Hostile}
			if err := db.Create(&o).Error; err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := store.Reassess(); err != nil {
		t.Fatal(err)
	}
}
