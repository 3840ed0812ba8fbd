package apptest

import (
	"testing"

	"gorm.io/gorm"

	"tiendo/models"
)

// Part is one value of a breakdown, for tests.
type Part struct {
	Unit, Period, Breakdown string
	Value                   float64
}

// AddBreakdowns breaks the indicator down by the dimensions (codes) and
// stores the values through the store, as a planner's form would.
func (s *Server) AddBreakdowns(t testing.TB, indicator string, dims []string, parts ...Part) {
	t.Helper()
	ind, err := s.Store.IndicatorByCode(indicator)
	if err != nil {
		t.Fatal(err)
	}
	actor := models.Actor{Username: "test", Via: models.ViaSystem}
	if err := s.Store.SetIndicatorDimensions(actor, *ind, dims); err != nil {
		t.Fatalf("dimensions of %s: %v", indicator, err)
	}
	var in []models.ObservationInput
	for _, p := range parts {
		u, err := s.Store.UnitByCode(p.Unit)
		if err != nil {
			t.Fatal(err)
		}
		v := p.Value
		in = append(in, models.ObservationInput{Unit: *u, Period: p.Period, Value: &v, Breakdown: p.Breakdown})
	}
	if err := s.Store.SaveObservations(actor, *ind, in); err != nil {
		t.Fatalf("breakdown values of %s: %v", indicator, err)
	}
}

// AddTestBreakdowns breaks Trà Vinh's (VN-51) poverty rate down by sex
// and by urban/rural, 2014–2015, and the fibre coverage of two HCMC
// districts by urban/rural. Test figures, not published ones.
func (s *Server) AddTestBreakdowns(t testing.TB) {
	t.Helper()
	s.AddBreakdowns(t, "fibre-coverage", []string{"URBANISATION"},
		Part{Unit: "VN-SG-764", Period: "2024", Breakdown: "URBANISATION=R", Value: 80.5},
		Part{Unit: "VN-SG-783", Period: "2025", Breakdown: "URBANISATION=R", Value: 60.2})
	s.AddBreakdowns(t, "gso-poverty-rate", []string{"SEX", "URBANISATION"},
		Part{Unit: "VN-51", Period: "2014", Breakdown: "URBANISATION=U", Value: 8.1},
		Part{Unit: "VN-51", Period: "2015", Breakdown: "URBANISATION=U", Value: 7.2},
		Part{Unit: "VN-51", Period: "2014", Breakdown: "URBANISATION=R", Value: 15.2},
		Part{Unit: "VN-51", Period: "2015", Breakdown: "URBANISATION=R", Value: 13.46},
		Part{Unit: "VN-51", Period: "2015", Breakdown: "SEX=F", Value: 12.4},
		Part{Unit: "VN-51", Period: "2015", Breakdown: "SEX=M", Value: 11.6},
		Part{Unit: "VN-51", Period: "2015", Breakdown: "SEX=F;URBANISATION=R", Value: 14.1},
	)
}

// SampleBreakdowns gives poverty-funds the dimensions SEX and AGE and
// stores, in VN-SG, a made-up total for 2023 (3,75), its parts by sex
// (1,25 and 2,5) and one part by sex and age for 2024 (0,75, marked demo),
// straight into the store as an import's commit writes them.
func SampleBreakdowns(t testing.TB, store *models.Store) {
	t.Helper()
	ind, err := store.IndicatorByCode("poverty-funds")
	if err != nil {
		t.Fatal(err)
	}
	if err := store.SetIndicatorDimensions(models.Actor{Username: "t"}, *ind, []string{"SEX", "AGE"}); err != nil {
		t.Fatal(err)
	}
	unit, err := store.UnitByCode("VN-SG")
	if err != nil {
		t.Fatal(err)
	}
	total := []models.Observation{{IndicatorID: ind.ID, UnitID: unit.ID, Period: "2023", Year: 2023, Value: 3.75, Source: "Cục Thống kê"}}
	parts := []models.BreakdownValue{
		{IndicatorID: ind.ID, UnitID: unit.ID, Period: "2023", Year: 2023, Breakdown: "SEX=F", Value: 1.25, Source: "Cục Thống kê"},
		{IndicatorID: ind.ID, UnitID: unit.ID, Period: "2023", Year: 2023, Breakdown: "SEX=M", Value: 2.5, Note: "sơ bộ", Source: "Cục Thống kê"},
		{IndicatorID: ind.ID, UnitID: unit.ID, Period: "2024", Year: 2024, Breakdown: "AGE=Y15T24;SEX=F", Value: 0.75, Source: "Cục Thống kê", Demo: true},
	}
	err = store.InTx(func(tx *gorm.DB) error {
		if err := models.UpsertObservations(tx, total, Today); err != nil {
			return err
		}
		return models.UpsertBreakdownValues(tx, parts, Today)
	})
	if err != nil {
		t.Fatal(err)
	}
}
