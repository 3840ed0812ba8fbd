package importer_test

import (
	"bytes"
	"strings"
	"testing"

	"tiendo/apptest"
	"tiendo/importer"
	"tiendo/models"
)

// latin1 re-encodes text as ISO-8859-1 bytes: a file saved in the wrong encoding.
func latin1(s string) []byte {
	var b bytes.Buffer
	for _, r := range s {
		if r < 256 {
			b.WriteByte(byte(r))
		} else {
			b.WriteByte('?')
		}
	}
	return b.Bytes()
}

// TestBrokenFiles: a broken file of each format imports nothing and names
// the row (and column) of the problem.
func TestBrokenFiles(t *testing.T) {
	gso := "\ufeff\"Poverty rate by province by Cities, provincies and Year\"\r\n\r\n\"Cities, provincies\";\"2015\";\"Pre. 2016\"\r\n\"Ha Noi\";1.8;1.3\r\n\"Tra Vinh\";12.0;1O.0\r\n"
	own := "indicator,unit,period,value,note,source\npoor-households-rate,VN-51,2024,2.1,,\npoor-households-rate,VN-51,2025,abc,,\n"
	sdg := "Year,Geography,GeoCode,Value\n2016,,,84.3\n2017,,,84,1\n2018,,,85.5\n"
	cases := []struct {
		name   string
		file   importer.File
		opt    importer.Options
		row    int
		column string
		key    string
	}{
		{"own bad number", importer.File{Name: "obs.csv", Data: []byte(own)}, importer.Options{}, 3, "value", "import.bad_number"},
		{"own unknown unit", importer.File{Name: "units.csv", Data: []byte("code,name_vi,name_en,level,parent\nVN-51-X,Xã X,Commune X,commune,VN-99\n")}, importer.Options{}, 2, "parent", "import.unknown_unit"},
		{"own truncated", importer.File{Name: "obs.csv", Data: []byte(own[:len(own)-12])}, importer.Options{}, 3, "period", "import.short_row"},
		{"own cut mid-row", importer.File{Name: "obs.csv", Data: []byte("indicator,unit,period,value,note,source\npoor-households-rate,VN-51,2024,2.1,,\npoor-households-rate,VN-51")}, importer.Options{}, 3, "period", "import.short_row"},
		{"own wrong encoding", importer.File{Name: "obs.csv", Data: latin1("indicator,unit,period,value,note,source\npoor-households-rate,VN-51,2024,2.1,,\npoor-households-rate,VN-51,2023,2.5,ước tính,\n")}, importer.Options{}, 3, "", "import.encoding"},
		{"gso bad number", importer.File{Name: "gso.csv", Data: []byte(gso)}, importer.Options{Missing: importer.MissingSkip}, 5, "Pre. 2016", "import.bad_number"},
		{"gso truncated", importer.File{Name: "gso.csv", Data: []byte(gso[:len(gso)-20])}, importer.Options{Missing: importer.MissingSkip}, 5, "", "import.malformed"},
		{"gso wrong encoding", importer.File{Name: "gso.csv", Data: latin1(strings.Replace(gso, "Tra Vinh", "Trà Vinh", 1))}, importer.Options{}, 5, "", "import.encoding"},
		{"opensdg bad number", importer.File{Name: "indicator_9-3-1.csv", Data: []byte(sdg)}, importer.Options{Unit: "VN-SG", Missing: importer.MissingCreate}, 3, "Value", "import.long_row"},
		{"opensdg unknown default unit", importer.File{Name: "indicator_9-3-1.csv", Data: []byte(sdg[:30])}, importer.Options{Unit: "VN-XX", Missing: importer.MissingCreate}, 0, "", "import.unknown_default_unit"},
		{"opensdg truncated meta", importer.File{Name: "meta_9-3-1.json", Data: []byte(`{"indicator_number": "9.3.1", "progress_calculation_options": [{"target": 10`)}, importer.Options{Unit: "VN-SG", Missing: importer.MissingCreate}, 1, "", "import.malformed"},
		{"worldbank bad value", importer.File{Name: "wb.json", Data: []byte(`[{"page":1},[{"indicator":{"id":"X","value":"X"},"country":{"id":"VN","value":"Viet Nam"},"date":"2020","value":1.5},{"indicator":{"id":"X","value":"X"},"country":{"id":"VN","value":"Viet Nam"},"date":"2021","value":"n/a"}]]`)}, importer.Options{Missing: importer.MissingCreate}, 2, "value", "import.bad_record"},
		{"worldbank truncated", importer.File{Name: "wb.json", Data: []byte("[{\"page\":1},\n[{\"indicator\":{\"id\":\"X\"},\n\"value\":1.5}")}, importer.Options{Missing: importer.MissingCreate}, 3, "", "import.malformed"},
		{"worldbank unknown unit", importer.File{Name: "wb.json", Data: []byte(`[{"page":1},[{"indicator":{"id":"X","value":"X"},"country":{"id":"ZZ","value":"Nowhere"},"date":"2020","value":1.5}]]`)}, importer.Options{}, -1, "", "import.choose_missing"},
		{"sdmx bad number", importer.File{Name: "s.csv", Data: []byte("DATAFLOW,REF_AREA,FREQ,TIME_PERIOD,OBS_VALUE\nX:F(1.0),VN-SG,A,2020,1.5\nX:F(1.0),VN-SG,A,2021,1,5x\n")}, importer.Options{Missing: importer.MissingCreate}, 3, "OBS_VALUE", "import.long_row"},
		{"sdmx bad period", importer.File{Name: "s.csv", Data: []byte("STRUCTURE,STRUCTURE_ID,FREQ,TIME_PERIOD,OBS_VALUE\ndataflow,X:F(1.0),A,2020,1.5\ndataflow,X:F(1.0),A,20x1,2\n")}, importer.Options{Unit: "VN-SG", Missing: importer.MissingCreate}, 3, "TIME_PERIOD", "import.bad_period"},
		{"sdmx truncated", importer.File{Name: "s.csv", Data: []byte("STRUCTURE,STRUCTURE_ID,FREQ,TIME_PERIOD,OBS_VALUE\ndataflow,X:F(1.0),A,2020,1.5\ndataflow,\"X:F(1.0),A")}, importer.Options{Unit: "VN-SG", Missing: importer.MissingCreate}, 3, "", "import.malformed"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			store := apptest.OpenStore(t, apptest.DSN(t))
			before := count(t, store, "observations") + count(t, store, "units") + count(t, store, "indicators") + count(t, store, "targets")
			plan, err := importer.Preview(store, importer.Parse([]importer.File{c.file}, importer.ParseOptions{}), c.opt)
			if err != nil {
				t.Fatal(err)
			}
			if c.key == "import.choose_missing" {
				if !plan.NeedsChoice() {
					t.Fatalf("preview does not ask about %+v", plan.MissingUnits)
				}
			} else {
				found := false
				for _, p := range plan.Problems {
					found = found || (p.Key == c.key && p.Row == c.row && (c.column == "" || p.Column == c.column))
				}
				if !found {
					t.Fatalf("problems = %+v, want %s at row %d column %q", plan.Problems, c.key, c.row, c.column)
				}
			}
			if err := importer.Commit(store, plan, models.Actor{Username: "test"}); err == nil {
				t.Fatal("a broken file was committed")
			}
			after := count(t, store, "observations") + count(t, store, "units") + count(t, store, "indicators") + count(t, store, "targets")
			if after != before || count(t, store, "audit_log") != 0 {
				t.Errorf("rows changed from %d to %d", before, after)
			}
		})
	}
}

// TestSkipInvalid: with the choice made, the good rows of a file with a bad
// one are imported.
func TestSkipInvalid(t *testing.T) {
	store := apptest.OpenStore(t, apptest.DSN(t))
	own := "indicator,unit,period,value,note,source\npoor-households-rate,VN-51,2024,2.1,,\npoor-households-rate,VN-51,2025,abc,,\n"
	plan := importFiles(t, store, []importer.File{{Name: "obs.csv", Data: []byte(own)}}, importer.ParseOptions{}, importer.Options{SkipInvalid: true})
	if plan.Observations.Create != 1 {
		t.Fatalf("created %d, want 1", plan.Observations.Create)
	}
	if v, _ := obsValue(t, store, "poor-households-rate", "VN-51", "2024"); v != 2.1 {
		t.Errorf("value = %v", v)
	}
}
