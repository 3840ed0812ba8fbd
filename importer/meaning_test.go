package importer_test

import (
	"testing"

	"tiendo/apptest"
	"tiendo/importer"
	"tiendo/models"
)

// TestOwnNumbersInMachineForm: our CSV writes numbers with a decimal point
// and no thousands separator, so "9.214" is 9.214; "1,234" and "9.214,5"
// could be read two ways and are row errors naming their column.
func TestOwnNumbersInMachineForm(t *testing.T) {
	store := apptest.OpenStore(t, apptest.DSN(t))
	csv := "record,indicator,unit,period,value\n" +
		"observation,poor-households-rate,VN-51,2021,9.214\n" +
		"observation,poor-households-rate,VN-51,2022,\"1,234\"\n" +
		"observation,poor-households-rate,VN-51,2023,\"9.214,5\"\n"
	plan, err := importer.Preview(store, importer.Parse([]importer.File{{Name: "v.csv", Data: []byte(csv)}}, importer.ParseOptions{}), importer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Problems) != 2 {
		t.Fatalf("problems %+v, want the two ambiguous rows", plan.Problems)
	}
	for i, p := range plan.Problems {
		if p.Key != "import.ambiguous_number" || p.Column != "value" || p.Row != 3+i {
			t.Errorf("problem %+v, want an ambiguous number in column value of row %d", p, 3+i)
		}
	}
	plan.Options.SkipInvalid = true
	if err := importer.Commit(store, plan, models.Actor{Username: "test"}); err != nil {
		t.Fatal(err)
	}
	if v, _ := obsValue(t, store, "poor-households-rate", "VN-51", "2021"); v != 9.214 {
		t.Errorf("9.214 was read as %v", v)
	}
}

// TestDirectionIsNeverGuessed: World Bank poverty falls from 58 % to 4,2 %;
// its file says nothing about direction and has no target, so the
// indicator is created "direction not set" (never "higher is better",
// which would call the fall a deterioration). A target below the baseline
// says lower is better; --direction says it outright.
func TestDirectionIsNeverGuessed(t *testing.T) {
	files := readFixtures(t, "worldbank-vietnam/wb_SI_POV_NAHC.json")
	store := apptest.OpenStore(t, apptest.DSN(t))
	plan := importFiles(t, store, files, importer.ParseOptions{}, importer.Options{Missing: importer.MissingCreate})
	if len(plan.Directions) != 1 || plan.Directions[0].From != importer.DirectionFromNobody {
		t.Errorf("preview directions %+v, want one unset", plan.Directions)
	}
	ind, err := store.IndicatorByCode("SI.POV.NAHC")
	if err != nil {
		t.Fatal(err)
	}
	if ind.Direction != models.DirectionUnset {
		t.Errorf("World Bank poverty created %q, want no direction", ind.Direction)
	}

	csv := "record,pillar,indicator,indicator_vi,indicator_en,measure,unit,period,comparator,value,baseline_year,baseline_value\n" +
		"indicator,poverty-reduction,new-rate,Tỷ lệ mới,New rate,%,,,,,,\n" +
		"target,,new-rate,,,,VN-51,2030,,2,2020,6\n"
	plan = importFiles(t, store, []importer.File{{Name: "t.csv", Data: []byte(csv)}}, importer.ParseOptions{}, importer.Options{})
	if ind, _ := store.IndicatorByCode("new-rate"); ind.Direction != models.DirectionLower {
		t.Errorf("a target of 2 below a baseline of 6: %q, want lower", ind.Direction)
	}
	if len(plan.Directions) != 1 || plan.Directions[0].From != importer.DirectionFromTarget {
		t.Errorf("preview directions %+v, want inferred", plan.Directions)
	}
	csv = "record,pillar,indicator,indicator_vi,indicator_en,measure\nindicator,poverty-reduction,flagged,Cờ,Flag,%\n"
	importFiles(t, store, []importer.File{{Name: "f.csv", Data: []byte(csv)}}, importer.ParseOptions{}, importer.Options{Direction: "higher"})
	if ind, _ := store.IndicatorByCode("flagged"); ind.Direction != models.DirectionHigher {
		t.Errorf("--direction higher: %q", ind.Direction)
	}
}
