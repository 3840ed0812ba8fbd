package importer

import (
	"os"
	"reflect"
	"testing"
)

// TestOpenSDGColumns: the columns sdg-build does not count as breakdowns
// are read as what they are (series → indicator, unit of measure →
// measure, status and comments → note, source), every other column is a
// breakdown, and a row whose breakdown cells are all blank is the total.
func TestOpenSDGColumns(t *testing.T) {
	data, err := os.ReadFile("testdata/indicator_1-2-1.csv")
	if err != nil {
		t.Fatal(err)
	}
	b := Parse([]File{{Name: "indicator_1-2-1.csv", Data: data}}, ParseOptions{})
	if len(b.Problems) > 0 || b.LeftOut != 0 || b.Rows != 6 {
		t.Fatalf("problems %+v, rows %d, left out %d", b.Problems, b.Rows, b.LeftOut)
	}
	if len(b.Indicators) != 1 || b.Indicators[0].Code != "SI_POV_NAHC" || b.Indicators[0].Measure != "%" {
		t.Errorf("indicators = %+v", b.Indicators)
	}
	var got []string
	for _, o := range b.Observations {
		got = append(got, o.Period+"|"+o.Breakdown)
	}
	want := []string{"2020|", "2021|", "2020|SEX=F", "2020|SEX=M", "2020|AGE=Y15T24;SEX=F", "2021|SEX=F"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("records = %v, want %v", got, want)
	}

	csv := "Year,Geography,GeoCode,Units,Series,Sex,OBS_STATUS,COMMENT_OBS,SOURCE_DETAIL,Value\n" +
		"2020,,,Percentage,,,E,estimated by the office,Survey 2020,5\n" +
		"2020,Alberta,48,Percentage,,Total,,,,6\n" +
		"2020,Alberta,48,Percentage,,Woman+,,,,7\n"
	b = Parse([]File{{Name: "indicator_3-1-1.csv", Data: []byte(csv)}}, ParseOptions{})
	if len(b.Problems) > 0 || len(b.Observations) != 3 {
		t.Fatalf("problems %+v, records %+v", b.Problems, b.Observations)
	}
	first, total, part := b.Observations[0], b.Observations[1], b.Observations[2]
	if first.Note != "OBS_STATUS: E; estimated by the office" || first.Source != "Survey 2020" || first.Unit != (Ref{}) || first.Indicator.Code != "3.1.1" {
		t.Errorf("first row = %+v", first)
	}
	if total.Breakdown != "" || total.Unit != (Ref{Code: "48", NameVI: "Alberta", NameEN: "Alberta", Area: true}) {
		t.Errorf("a row whose breakdown reads Total = %+v", total)
	}
	if part.Breakdown != "SEX=WOMAN" {
		t.Errorf("breakdown = %q", part.Breakdown)
	}
	if b.Indicators[0].Measure != "%" || len(b.Dimensions) != 1 || b.Dimensions[0].Label != "Sex" {
		t.Errorf("indicator %+v, dimensions %+v", b.Indicators, b.Dimensions)
	}
}
