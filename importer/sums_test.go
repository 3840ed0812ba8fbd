package importer_test

import (
	"testing"

	"tiendo/apptest"
	"tiendo/importer"
	"tiendo/models"
)

// TestImportWarnsOfPartsNotAddingUp: where an indicator's roll-up is a
// sum, a file's parts that do not add up to its total are a warning in the
// preview; the values are imported all the same.
func TestImportWarnsOfPartsNotAddingUp(t *testing.T) {
	store := apptest.OpenStore(t, apptest.DSN(t))
	ind, err := store.IndicatorByCode("poverty-funds")
	if err != nil {
		t.Fatal(err)
	}
	if ind.Rollup != models.RollupSum {
		t.Skipf("SKIPPED: poverty-funds rolls up by %q, not sum, in this seed", ind.Rollup)
	}
	csv := "record,indicator,unit,period,breakdown,value\n" +
		"observation,poverty-funds,VN-SG,2023,,10\n" +
		"observation,poverty-funds,VN-SG,2023,SEX=F,4\n" +
		"observation,poverty-funds,VN-SG,2023,SEX=M,5\n" +
		"observation,poverty-funds,VN-SG,2024,,10\n" +
		"observation,poverty-funds,VN-SG,2024,SEX=F,4\n" +
		"observation,poverty-funds,VN-SG,2024,SEX=M,6\n"
	plan := importFiles(t, store, []importer.File{{Name: "parts.csv", Data: []byte(csv)}}, importer.ParseOptions{}, importer.Options{})
	want := []importer.SumWarning{{Indicator: "poverty-funds", Unit: "VN-SG", Period: "2023", Dimensions: "SEX", Total: 10, Sum: 9}}
	if len(plan.SumWarnings) != 1 || plan.SumWarnings[0] != want[0] {
		t.Errorf("warnings = %+v, want %+v", plan.SumWarnings, want)
	}
	if o := plan.Outcomes[importer.KindObservation]; o.Totals != 2 || o.Breakdowns != 4 {
		t.Errorf("outcome %+v: the values are imported all the same", o)
	}
}
