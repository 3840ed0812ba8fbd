package importer

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// obsKey is what an observation means, whatever the format it came in.
type obsMeaning struct {
	Indicator, Unit, Period, Breakdown string
	Value                              float64
}

func meanings(b *Batch) []obsMeaning {
	var out []obsMeaning
	for _, o := range b.Observations {
		out = append(out, obsMeaning{o.Indicator.Code, o.Unit.Code, o.Period, o.Breakdown, o.Value})
	}
	return out
}

// TestSDMXLayoutsGiveIdenticalRows: the same data as SDMX-CSV 1.0 and 2.0
// (SEX=_T for the total) and as SDMX-JSON in each layout (the early one,
// 1.0, 2.0 with flat keys) gives the same records, the same dimensions,
// and leaves out the same null and NaN values.
func TestSDMXLayoutsGiveIdenticalRows(t *testing.T) {
	want := []obsMeaning{
		{"IT_USE", "VN-SG", "2022", "", 80.5},
		{"IT_USE", "VN-SG", "2022", "SEX=F", 79},
		{"IT_USE", "VN-SG", "2022", "SEX=M", 82},
		{"IT_USE", "VN-SG", "2023", "", 82.1},
		{"IT_USE", "VN-SG", "2023", "AGE=Y15T24;SEX=F", 95.5},
	}
	for _, name := range []string{"sdmx_it_use.sdmx-csv1.csv", "sdmx_it_use.sdmx-csv2.csv", "sdmx_it_use.early.json", "sdmx_it_use.sdmx-json1.json", "sdmx_it_use.sdmx-json2.json"} {
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", name))
			if err != nil {
				t.Fatal(err)
			}
			b := Parse([]File{{Name: name, Data: data}}, ParseOptions{})
			if len(b.Problems) > 0 {
				t.Fatalf("problems: %+v", b.Problems)
			}
			got := meanings(b)
			sortMeanings(got)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("records:\n got %+v\nwant %+v", got, want)
			}
			if b.Rows != 7 || b.LeftOut != 2 {
				t.Errorf("rows %d, left out %d; want 7 and 2 (a null and a NaN)", b.Rows, b.LeftOut)
			}
			if len(b.Indicators) != 1 || b.Indicators[0].Code != "IT_USE" {
				t.Errorf("indicators = %+v", b.Indicators)
			}
			var dims []string
			for _, d := range b.Dimensions {
				dims = append(dims, d.Code)
			}
			if !reflect.DeepEqual(dims, []string{"SEX", "AGE"}) {
				t.Errorf("dimensions = %v, want SEX, AGE", dims)
			}
		})
	}
}

func sortMeanings(m []obsMeaning) {
	less := func(a, b obsMeaning) bool {
		if a.Period != b.Period {
			return a.Period < b.Period
		}
		return a.Breakdown < b.Breakdown
	}
	for i := 1; i < len(m); i++ {
		for j := i; j > 0 && less(m[j], m[j-1]); j-- {
			m[j], m[j-1] = m[j-1], m[j]
		}
	}
}

// TestSDMXNames: an indicator or unit made from a dimension value takes
// the value's id as its code, case kept, and its name as its name.
func TestSDMXNames(t *testing.T) {
	msg := `{"data":{"structure":{"dimensions":{"dataSet":[],"series":[{"id":"REF_AREA","name":"Area","values":[{"id":"vn","name":"Việt Nam"}]},{"id":"MEASURE","name":"Measure","values":[{"id":"TOT","name":"Total population"}]}],"observation":[{"id":"TIME_PERIOD","values":[{"id":"2020"}]}]}},"dataSets":[{"series":{"0:0":{"observations":{"0":[97.3]}}}}]}}`
	b := Parse([]File{{Name: "m.json", Data: []byte(msg)}}, ParseOptions{})
	if len(b.Problems) > 0 || len(b.Observations) != 1 {
		t.Fatalf("problems %+v, records %+v", b.Problems, b.Observations)
	}
	o := b.Observations[0]
	if o.Indicator.Code != "TOT" || o.Indicator.NameEN != "Total population" || o.Unit.Code != "vn" || o.Unit.NameVI != "Việt Nam" || o.Breakdown != "" {
		t.Errorf("record = %+v", o)
	}
	// The flags choose other dimensions: the unit in MEASURE is odd but obeyed.
	b = Parse([]File{{Name: "m.json", Data: []byte(msg)}}, ParseOptions{UnitDimension: "MEASURE", IndicatorDimension: "REF_AREA"})
	if o := b.Observations[0]; o.Indicator.Code != "vn" || o.Unit.Code != "TOT" {
		t.Errorf("with flags: %+v", o)
	}
}

// TestSDMXFrequencyFinerThanMonth: daily and weekly data are refused
// first, naming the frequency, whatever else the message holds.
func TestSDMXFrequencyFinerThanMonth(t *testing.T) {
	for name, data := range map[string]string{
		"d.json": `{"structure":{"dimensions":{"dataSet":[{"id":"FREQ","values":[{"id":"D","name":"Daily"}]}],"observation":[{"id":"TIME_PERIOD","values":[{"id":"2020-01-02"}]}]}},"dataSets":[{"observations":{"0":[1]}}]}`,
		"w.csv":  "DATAFLOW,REF_AREA,FREQ,TIME_PERIOD,OBS_VALUE\nX:F(1.0),VN,W,2020-W01,1\n",
	} {
		b := Parse([]File{{Name: name, Data: []byte(data)}}, ParseOptions{})
		if len(b.Problems) != 1 || b.Problems[0].Key != "breakdown_import.frequency_too_fine" || len(b.Observations) != 0 {
			t.Errorf("%s: problems %+v, records %d", name, b.Problems, len(b.Observations))
		}
	}
}

// TestSDMXJSONBroken: a key that points past its dimension's values, a
// value that is no number and a message without structure are problems
// at their place.
func TestSDMXJSONBroken(t *testing.T) {
	cases := map[string]string{
		"breakdown_import.sdmx_json_key":   `{"structure":{"dimensions":{"observation":[{"id":"TIME_PERIOD","values":[{"id":"2020"}]}]}},"dataSets":[{"observations":{"3":[1]}}]}`,
		"import.bad_number":                `{"structure":{"dimensions":{"observation":[{"id":"TIME_PERIOD","values":[{"id":"2020"}]}]}},"dataSets":[{"observations":{"0":["abc"]}}]}`,
		"breakdown_import.sdmx_json_shape": `{"dataSets":[]}`,
		"import.malformed":                 `{"dataSets":[`,
	}
	for key, data := range cases {
		b := Parse([]File{{Name: "x.json", Data: []byte(data)}}, ParseOptions{})
		if len(b.Problems) != 1 || b.Problems[0].Key != key || b.Problems[0].File != "x.json" {
			t.Errorf("%s: problems %+v", key, b.Problems)
		}
	}
}
