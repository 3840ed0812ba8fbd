package seed

import (
	"fmt"
	"time"

	"gorm.io/gorm"

	"tiendo/models"
)

// DemoNote marks every made-up value, on the pages and in exports.
const DemoNote = "Dữ liệu minh họa (demo data)"

// DemoSource is the source of made-up values: none.
const DemoSource = "Dữ liệu minh họa, không phải số liệu thật (made-up demo data, not real figures)"

// demoValues are made-up yearly actuals 2020–2025 for HCMC's indicators, so
// a newcomer sees full charts. They are not real figures.
var demoValues = map[string][]float64{
	"dvc-l34-online":             {45, 62, 78, 88, 95, 98},
	"dvc-national-portal":        {30, 48, 65, 82, 94, 100},
	"systems-connected":          {20, 28, 37, 46, 55, 63},
	"dvc-l4-multidevice":         {25, 35, 46, 58, 67, 75},
	"dossiers-city-district":     {55, 64, 72, 80, 86, 90},
	"dossiers-ward":              {40, 48, 55, 61, 66, 70},
	"procedures-cut":             {5, 8, 12, 15, 17, 19},
	"digital-economy-grdp":       {14.5, 15.8, 17.1, 18.4, 20.3, 22},
	"labour-productivity-growth": {4.8, 5.6, 6.2, 5.5, 6.1, 5.9},
	"fibre-coverage":             {70, 76, 82, 87, 91, 94},
	"5g-coverage":                {0.5, 1, 5, 15, 30, 48},
}

const demoFirstYear = 2020

// demoWards are a few wards for the demo, marked demo: the real ward list
// comes by import. District 1's carry their GSO codes; Gò Vấp's, whose
// codes we do not hold, a plain mnemonic.
var demoWards = []struct{ district, code, vi, en string }{
	{"760", "26734", "Phường Tân Định", "Tân Định Ward"},
	{"760", "26737", "Phường Đa Kao", "Đa Kao Ward"},
	{"760", "26740", "Phường Bến Nghé", "Bến Nghé Ward"},
	{"760", "26743", "Phường Bến Thành", "Bến Thành Ward"},
	{"764", "P01", "Phường 1", "Ward 1"},
	{"764", "P03", "Phường 3", "Ward 3"},
}

// demoLocalIndicators get made-up values in districts and wards; District 1
// gets none of its own, so its values are rolled up from its wards.
var demoLocalIndicators = []string{"dvc-l34-online", "systems-connected", "dossiers-city-district", "dossiers-ward", "fibre-coverage", "5g-coverage"}

// demoLocalValue is a made-up value for the i-th local unit in the year-th
// year: the city's demo value shifted by a fixed, unit-specific amount that
// grows over the years, kept within 0–100; one unit in four moves at a
// third of the city's pace, so the demo shows units falling behind too.
// Deterministic, so screenshots and tests are stable.
func demoLocalValue(city []float64, i, year int) float64 {
	c := city[year]
	if i%4 == 3 {
		c = city[0] + (c-city[0])/3
	}
	spread := float64((i*7)%11-5) * 2.5
	v := c + spread*(0.6+0.12*float64(year))
	v = max(0, min(100, v))
	return float64(int(v*10+0.5)) / 10
}

// demoMark names the demo data in seed_marks once it has been added.
const demoMark = "demo"

// demoActor is who adds demo data in the audit log.
var demoActor = models.Actor{Username: "tiendo", Address: "localhost", Via: models.ViaSystem}

// HasDemo reports whether demo data was ever added to the database (and not
// removed with RemoveDemo since).
func HasDemo(db *gorm.DB) (bool, error) {
	var n int64
	err := db.Table("seed_marks").Where("name = ?", demoMark).Count(&n).Error
	return n > 0, err
}

// AddDemo stores the demo actuals for HCMC, its districts and a few demo
// wards, all marked demo, in one audited transaction. It never replaces a
// real value, and adds them only once: a database that has had them (a mark
// in seed_marks) is left alone, so a demo value a user deleted stays deleted.
func AddDemo(db *gorm.DB) error {
	return db.Transaction(func(tx *gorm.DB) error {
		if had, err := HasDemo(tx); err != nil || had {
			return err
		}
		var before int64
		if err := tx.Model(&models.Observation{}).Where("demo = ?", true).Count(&before).Error; err != nil {
			return err
		}
		if err := addDemo(tx); err != nil {
			return err
		}
		var after int64
		if err := tx.Model(&models.Observation{}).Where("demo = ?", true).Count(&after).Error; err != nil {
			return err
		}
		if err := tx.Exec(`INSERT INTO seed_marks (name, added_at) VALUES (?, ?)`, demoMark, time.Now().UTC()).Error; err != nil {
			return err
		}
		if err := models.MarkUnassessed(tx); err != nil {
			return err
		}
		return models.RecordAudit(tx, demoActor, "create", "demo", demoMark, nil, map[string]any{"observations": after - before})
	})
}

func addDemo(tx *gorm.DB) error {
	var unit models.Unit
	if err := tx.Where("code = ?", UnitHCMC).First(&unit).Error; err != nil {
		return fmt.Errorf("seed: demo needs the seeded unit %s: %w", UnitHCMC, err)
	}
	l := loader{tx: tx, units: map[string]uint{}}
	inds := map[string]uint{}
	for code := range demoValues {
		var ind models.Indicator
		if err := tx.Where("code = ?", code).First(&ind).Error; err != nil {
			return fmt.Errorf("seed: demo needs the seeded indicator %s: %w", code, err)
		}
		inds[code] = ind.ID
	}
	add := func(unitID uint, code string, value func(year int, city float64) float64) {
		for i, v := range demoValues[code] {
			l.observation(models.Observation{IndicatorID: inds[code], UnitID: unitID,
				Period: fmt.Sprint(demoFirstYear + i), Value: value(i, v), Note: DemoNote, Source: DemoSource, Demo: true})
		}
	}
	for code := range demoValues {
		add(unit.ID, code, func(_ int, v float64) float64 { return v })
	}
	var districts []models.Unit
	if err := tx.Where("parent_id = ?", unit.ID).Order("id").Find(&districts).Error; err != nil {
		return err
	}
	for _, w := range demoWards {
		var d models.Unit
		if err := tx.Where("code = ?", DistrictCode(w.district)).First(&d).Error; err != nil {
			return fmt.Errorf("seed: demo needs the district %s: %w", w.district, err)
		}
		l.unit(models.Unit{Code: DistrictCode(w.district) + "-" + w.code, NameVI: w.vi, NameEN: w.en,
			Level: models.LevelWard, ParentID: &d.ID, EndedOn: d.EndedOn, EndedBasis: d.EndedBasis, EndedBasisEN: d.EndedBasisEN, Demo: true})
	}
	local := append([]models.Unit(nil), districts...)
	for _, w := range demoWards {
		local = append(local, models.Unit{ID: l.units[DistrictCode(w.district)+"-"+w.code]})
	}
	for i, u := range local {
		if u.Code == DistrictCode("760") {
			continue
		}
		for j, code := range demoLocalIndicators {
			// Cần Giờ, a rural island district, reports no 5G value in the demo:
			// pages must cope with a child without data.
			if u.Code == DistrictCode("787") && code == "5g-coverage" {
				continue
			}
			add(u.ID, code, func(year int, _ float64) float64 { return demoLocalValue(demoValues[code], i+j, year) })
		}
	}
	if l.err != nil {
		return l.err
	}
	return addDemoBreakdowns(tx, unit.ID)
}

// RemoveDemo deletes every value and unit marked demo, and the mark that
// they were added, so `tiendo demo` may add them again.
func RemoveDemo(db *gorm.DB) error {
	return db.Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec(`DELETE FROM seed_marks WHERE name = ?`, demoMark).Error; err != nil {
			return err
		}
		if err := models.MarkUnassessed(tx); err != nil {
			return err
		}
		for _, m := range []any{&models.Observation{}, &models.BreakdownValue{}} {
			if err := tx.Where("demo = ?", true).Delete(m).Error; err != nil {
				return err
			}
		}
		if err := removeSynthetic(tx); err != nil {
			return err
		}
		var ids []uint
		if err := tx.Model(&models.Unit{}).Where("demo = ?", true).Pluck("id", &ids).Error; err != nil {
			return err
		}
		if len(ids) == 0 {
			return nil
		}
		for _, m := range []any{&models.Observation{}, &models.BreakdownValue{}, &models.Target{}} {
			if err := tx.Where("unit_id IN ?", ids).Delete(m).Error; err != nil {
				return err
			}
		}
		return tx.Where("id IN ?", ids).Delete(&models.Unit{}).Error
	})
}
