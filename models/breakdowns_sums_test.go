package models_test

import (
	"testing"

	"tiendo/models"
)

func TestCheckBreakdownSums(t *testing.T) {
	dims := []models.Dimension{
		{Code: "SEX", Values: []models.DimensionValue{{Code: "F"}, {Code: "M"}}},
		{Code: "URBANISATION", Values: []models.DimensionValue{{Code: "U"}, {Code: "R"}}},
		{Code: "AGE", Values: []models.DimensionValue{{Code: "Y0T14"}, {Code: "Y15T64"}, {Code: "Y_GE15"}}},
	}
	sum := models.Indicator{Code: "households", Rollup: models.RollupSum, Decimals: 0}
	total := func(unit uint, period string, v float64) models.Observation {
		return models.Observation{UnitID: unit, Period: period, Value: v}
	}
	part := func(unit uint, period, b string, v float64) models.Observation {
		return models.Observation{UnitID: unit, Period: period, Value: v, Breakdown: b}
	}
	totals := []models.Observation{total(1, "2023", 1000), total(1, "2024", 1000), total(2, "2024", 50)}
	parts := []models.Observation{
		// 2023: F + M = 1 000 exactly, U + R = 996 (within 0.5 %).
		part(1, "2023", "SEX=F", 480), part(1, "2023", "SEX=M", 520),
		part(1, "2023", "URBANISATION=U", 600), part(1, "2023", "URBANISATION=R", 396),
		// 2024: F + M = 900; the four of SEX × URBANISATION = 1 100.
		part(1, "2024", "SEX=F", 400), part(1, "2024", "SEX=M", 500),
		part(1, "2024", "SEX=F;URBANISATION=U", 300), part(1, "2024", "SEX=F;URBANISATION=R", 300),
		part(1, "2024", "SEX=M;URBANISATION=U", 250), part(1, "2024", "SEX=M;URBANISATION=R", 250),
		// Incomplete (no R) or overlapping bands: not compared.
		part(1, "2024", "URBANISATION=U", 10),
		part(1, "2024", "AGE=Y0T14", 100), part(1, "2024", "AGE=Y15T64", 700), part(1, "2024", "AGE=Y_GE15", 900),
		// A unit with parts and no stored total: nothing to compare.
		part(3, "2024", "SEX=F", 1), part(3, "2024", "SEX=M", 1),
		// Rounding: 50 against 25.4 + 25.4 rounded to whole numbers passes.
		part(2, "2024", "SEX=F", 25.4), part(2, "2024", "SEX=M", 25.4),
	}
	got := models.CheckBreakdownSums(sum, dims, totals, parts)
	want := []models.SumMismatch{
		{UnitID: 1, Period: "2024", Dimensions: "SEX", Parts: 2, Total: 1000, Sum: 900},
		{UnitID: 1, Period: "2024", Dimensions: "SEX;URBANISATION", Parts: 4, Total: 1000, Sum: 1100},
	}
	if len(got) != len(want) {
		t.Fatalf("got %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("%d: got %+v, want %+v", i, got[i], want[i])
		}
	}
	// A rate does not add up: never compared.
	rate := sum
	rate.Rollup = models.RollupMean
	if got := models.CheckBreakdownSums(rate, dims, totals, parts); len(got) != 0 {
		t.Errorf("mean roll-up compared: %+v", got)
	}
}
