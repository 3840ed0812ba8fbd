package seed

import (
	"fmt"

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

// AddDemo stores the demo actuals for HCMC, marked demo. It never replaces a
// real value.
func AddDemo(db *gorm.DB) error {
	return db.Transaction(func(tx *gorm.DB) error {
		var unit models.Unit
		if err := tx.Where("code = ?", UnitHCMC).First(&unit).Error; err != nil {
			return fmt.Errorf("seed: demo needs the seeded unit %s: %w", UnitHCMC, err)
		}
		l := loader{tx: tx}
		for code, values := range demoValues {
			var ind models.Indicator
			if err := tx.Where("code = ?", code).First(&ind).Error; err != nil {
				return fmt.Errorf("seed: demo needs the seeded indicator %s: %w", code, err)
			}
			for i, v := range values {
				l.observation(models.Observation{IndicatorID: ind.ID, UnitID: unit.ID,
					Period: fmt.Sprint(demoFirstYear + i), Value: v, Note: DemoNote, Source: DemoSource, Demo: true})
			}
		}
		return l.err
	})
}

// RemoveDemo deletes every value and unit marked demo.
func RemoveDemo(db *gorm.DB) error {
	return db.Transaction(func(tx *gorm.DB) error {
		if err := tx.Where("demo = ?", true).Delete(&models.Observation{}).Error; err != nil {
			return err
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
		if err := tx.Where("unit_id IN ?", ids).Delete(&models.Observation{}).Error; err != nil {
			return err
		}
		if err := tx.Where("unit_id IN ?", ids).Delete(&models.Target{}).Error; err != nil {
			return err
		}
		return tx.Where("id IN ?", ids).Delete(&models.Unit{}).Error
	})
}
