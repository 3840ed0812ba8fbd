package models_test

import (
	"fmt"
	"testing"

	"gorm.io/gorm"

	"tiendo/apptest"
	"tiendo/models"
)

// BenchmarkEachBreakdownValue streams 50 000 breakdown values, as an
// export of a city's breakdowns does.
func BenchmarkEachBreakdownValue(b *testing.B) {
	store := apptest.OpenStore(b, apptest.DSN(b))
	ind, err := store.IndicatorByCode("poverty-funds")
	if err != nil {
		b.Fatal(err)
	}
	unit, err := store.UnitByCode("VN-SG")
	if err != nil {
		b.Fatal(err)
	}
	var rows []models.BreakdownValue
	for i := 0; i < 50_000; i++ {
		y := 2000 + i%25
		rows = append(rows, models.BreakdownValue{IndicatorID: ind.ID, UnitID: unit.ID, Period: fmt.Sprint(y), Year: y,
			Breakdown: fmt.Sprintf("AGE=Y%d;SEX=F", i/25), Value: float64(i), Source: "s"})
	}
	if err := store.InTx(func(tx *gorm.DB) error { return models.UpsertBreakdownValues(tx, rows, apptest.Today) }); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		n := 0
		if err := store.EachBreakdownValue(nil, nil, "", "", func(models.Observation) error { n++; return nil }); err != nil || n != len(rows) {
			b.Fatal(n, err)
		}
	}
}
