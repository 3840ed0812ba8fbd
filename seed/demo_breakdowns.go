package seed

import (
	"fmt"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"tiendo/models"
)

// The demo shows breakdowns too: HCMC's made-up 5G coverage split into
// urban and rural areas, both assessed beside the total. Made up like
// every demo value, marked demo; a real value is never replaced. The
// indicator keeps URBANISATION among its dimensions and the two assessed
// breakdowns after RemoveDemo (they are definitions, not values).
const demoBreakdownIndicator = "5g-coverage"

// demoBreakdowns are the parts of the city's demo value v in the year-th
// year: urban areas ahead of the total, rural ones behind.
var demoBreakdowns = []struct {
	breakdown string
	value     func(year int, v float64) float64
}{
	{"URBANISATION=U", func(_ int, v float64) float64 { return min(100, round1(v*1.3)) }},
	{"URBANISATION=R", func(_ int, v float64) float64 { return round1(v * 0.55) }},
}

func round1(v float64) float64 { return float64(int(v*10+0.5)) / 10 }

func addDemoBreakdowns(tx *gorm.DB, cityID uint) error {
	var ind models.Indicator
	if err := tx.Where("code = ?", demoBreakdownIndicator).First(&ind).Error; err != nil {
		return fmt.Errorf("seed: demo needs the seeded indicator %s: %w", demoBreakdownIndicator, err)
	}
	var dim models.Dimension
	if err := tx.Where("code = ?", "URBANISATION").First(&dim).Error; err != nil {
		return fmt.Errorf("seed: demo needs the dimension URBANISATION: %w", err)
	}
	keep := clause.OnConflict{DoNothing: true}
	if err := tx.Clauses(keep).Create(&models.IndicatorDimension{IndicatorID: ind.ID, DimensionID: dim.ID}).Error; err != nil {
		return err
	}
	var rows []models.BreakdownValue
	for i, b := range demoBreakdowns {
		if err := tx.Clauses(keep).Create(&models.IndicatorBreakdown{IndicatorID: ind.ID, Breakdown: b.breakdown, Position: i + 1}).Error; err != nil {
			return err
		}
		for year, v := range demoValues[demoBreakdownIndicator] {
			rows = append(rows, models.BreakdownValue{IndicatorID: ind.ID, UnitID: cityID, Period: fmt.Sprint(demoFirstYear + year),
				Year: demoFirstYear + year, Breakdown: b.breakdown, Value: b.value(year, v), Note: DemoNote, Source: DemoSource, Demo: true})
		}
	}
	return tx.Clauses(keep).Create(&rows).Error
}
