package importer_test

import (
	"testing"

	"tiendo/importer"
)

// TestOwnBreakdownColumn: our format's breakdown column is read in
// canonical order (_T: the total); a malformed one is refused at its cell.
func TestOwnBreakdownColumn(t *testing.T) {
	csv := "record,indicator,unit,period,breakdown,value\n" +
		"observation,poverty-funds,VN-SG,2023,,10\n" +
		"observation,poverty-funds,VN-SG,2023,SEX=F;AGE=Y15T24,4\n" +
		"observation,poverty-funds,VN-SG,2023,SEX=_T,10\n" +
		"observation,poverty-funds,VN-SG,2023,SEX,1\n"
	// Detected as ours, though its third line holds semicolons like a GSO table's.
	if f := importer.Detect("b.csv", []byte(csv)); f != importer.FormatOwn {
		t.Errorf("detected as %s", f)
	}
	b := importer.Parse([]importer.File{{Name: "b.csv", Data: []byte(csv)}}, importer.ParseOptions{})
	var got []string
	for _, o := range b.Observations {
		got = append(got, o.Breakdown)
	}
	if len(got) != 3 || got[0] != "" || got[1] != "AGE=Y15T24;SEX=F" || got[2] != "" {
		t.Errorf("breakdowns read: %q", got)
	}
	if len(b.Problems) != 1 || b.Problems[0].Key != "error.breakdown_pair" || b.Problems[0].Column != "breakdown" || b.Problems[0].Row != 5 {
		t.Errorf("problems: %+v", b.Problems)
	}
}
