package importer_test

import (
	"testing"

	"tiendo/apptest"
	"tiendo/importer"
)

// TestOpenSDGGeographyAndMap: Geography names units below --unit (created
// under it, coded after it and the GeoCode), the --unit's own name is the
// --unit; a mapping table makes a column's cells a stored dimension's
// values, or the total.
func TestOpenSDGGeographyAndMap(t *testing.T) {
	store := apptest.OpenStore(t, apptest.DSN(t))
	importFiles(t, store, []importer.File{canadaUnit}, importer.ParseOptions{}, importer.Options{})
	csv := "Year,Geography,Gender,GeoCode,Value\n" +
		"2020,,,,10\n" +
		"2020,Canada,Woman+,,11\n" +
		"2020,Alberta,All genders,48,12\n" +
		"2020,Alberta,Woman+,48,13\n"
	opt := importer.Options{Unit: "CA", Missing: importer.MissingCreate,
		Breakdowns: map[string]string{"Gender=All genders": "_T", "Gender=Woman+": "SEX=F"}}
	plan := importFiles(t, store, []importer.File{{Name: "indicator_5-1-1.csv", Data: []byte(csv)}}, importer.ParseOptions{}, opt)
	if o := plan.Outcomes[importer.KindObservation]; o.Totals != 2 || o.Breakdowns != 2 || o.Refused != 0 {
		t.Errorf("outcome %+v", o)
	}
	u, err := store.UnitByCode("CA-48")
	if err != nil || u.NameEN != "Alberta" || u.ParentID == nil {
		t.Fatalf("Alberta: %+v %v", u, err)
	}
	if v, _ := obsValue(t, store, "5.1.1", "CA-48", "2020"); v != 12 {
		t.Errorf("Alberta's total = %v, want 12 (All genders mapped to the total)", v)
	}
	var parts []struct {
		Unit, Breakdown string
		Value           float64
	}
	store.DB().Raw(`SELECT u.code AS unit, b.breakdown, b.value FROM breakdown_values b JOIN units u ON u.id = b.unit_id ORDER BY 1`).Scan(&parts)
	if len(parts) != 2 || parts[0].Unit != "CA" || parts[0].Breakdown != "SEX=F" || parts[0].Value != 11 || parts[1].Unit != "CA-48" || parts[1].Value != 13 {
		t.Errorf("parts = %+v", parts)
	}
	if n := count(t, store, "dimensions"); n != 6 {
		t.Errorf("%d dimensions, want the 6 seeded: Gender mapped to SEX", n)
	}
}
