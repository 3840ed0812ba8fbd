package reports_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"tiendo/apptest"
	"tiendo/importer"
	"tiendo/models"
	"tiendo/reports"
)

// withBreakdowns is the seeded store with values of poverty-funds in
// VN-SG for 2023 by sex, and one by sex and age for 2024.
func withBreakdowns(t *testing.T) *models.Store {
	t.Helper()
	store := apptest.OpenStore(t, apptest.DSN(t))
	store.SetClock(func() time.Time { return apptest.Today })
	apptest.SampleBreakdowns(t, store)
	return store
}

const wantParts = "2023|SEX=F|1.25 2023|SEX=M|2.5 2024|AGE=Y15T24;SEX=F|0.75"

// TestExportsCarryBreakdowns: CSV, XLSX and JSON exports write the values
// of breakdowns after the totals, each with its breakdown, read back here
// by the real readers.
func TestExportsCarryBreakdowns(t *testing.T) {
	store := withBreakdowns(t)
	d, err := reports.Load(store, reports.Filter{Indicators: []string{"poverty-funds"}, Unit: "VN-SG", Lang: "vi"})
	if err != nil {
		t.Fatal(err)
	}
	if n, err := d.CountObservations(); err != nil || n < 3 {
		t.Errorf("count: %d %v", n, err)
	}
	cat := catalog(t)
	export := func(format string) []byte {
		var buf bytes.Buffer
		if err := reports.Write(&buf, format, d, cat, nil); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}

	recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(export(reports.CSV), []byte("\xef\xbb\xbf")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := func(name string) int { return slices.Index(recs[0], name) }
	var parts []string
	totals := 0
	for _, r := range recs[1:] {
		if r[col("record")] != "observation" {
			continue
		}
		if r[col("breakdown")] == "" {
			totals++
			if len(parts) > 0 {
				t.Error("a total after the breakdowns")
			}
			continue
		}
		parts = append(parts, r[col("period")]+"|"+r[col("breakdown")]+"|"+r[col("value")])
		if r[col("breakdown")] == "SEX=M" && r[col("note")] != "sơ bộ" {
			t.Errorf("note lost: %v", r)
		}
		if r[col("breakdown")] == "AGE=Y15T24;SEX=F" && r[col("demo")] != "1" {
			t.Errorf("demo mark lost: %v", r)
		}
	}
	if got := strings.Join(parts, " "); got != wantParts || totals == 0 {
		t.Errorf("CSV: %d totals, breakdowns %s, want %s", totals, got, wantParts)
	}

	f, err := excelize.OpenReader(bytes.NewReader(export(reports.XLSX)))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows(cat.T("vi", "reports.sheet_observations"), excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	parts = nil
	xcol := func(name string) int { return slices.Index(rows[0], name) }
	for _, r := range rows[1:] {
		if len(r) > xcol("breakdown") && r[xcol("breakdown")] != "" {
			parts = append(parts, r[xcol("period")]+"|"+r[xcol("breakdown")]+"|"+r[xcol("value")])
		}
	}
	if got := strings.Join(parts, " "); got != wantParts {
		t.Errorf("XLSX: %s, want %s (header %v)", got, wantParts, rows[0])
	}

	var doc struct {
		Observations []struct {
			Period    string  `json:"period"`
			Value     float64 `json:"value"`
			Breakdown *string `json:"breakdown"`
		} `json:"observations"`
	}
	if err := json.Unmarshal(export(reports.JSON), &doc); err != nil {
		t.Fatal(err)
	}
	parts = nil
	for _, o := range doc.Observations {
		if o.Breakdown == nil {
			t.Fatal("a value without its breakdown field")
		}
		if *o.Breakdown != "" {
			v, _ := json.Marshal(o.Value)
			parts = append(parts, o.Period+"|"+*o.Breakdown+"|"+string(v))
		}
	}
	if got := strings.Join(parts, " "); got != wantParts {
		t.Errorf("JSON: %s, want %s", got, wantParts)
	}
}

// TestExportPeriodFilterReachesBreakdowns: from/to leave out breakdown
// values outside the periods, like totals.
func TestExportPeriodFilterReachesBreakdowns(t *testing.T) {
	store := withBreakdowns(t)
	d, err := reports.Load(store, reports.Filter{Indicators: []string{"poverty-funds"}, From: "2024", Lang: "en"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	err = d.EachObservation(func(o models.Observation, _ models.Indicator, _ models.Unit) error {
		if o.Breakdown != "" {
			got = append(got, o.Period+"|"+o.Breakdown)
		}
		return nil
	})
	if err != nil || strings.Join(got, " ") != "2024|AGE=Y15T24;SEX=F" {
		t.Fatalf("%v %v", got, err)
	}
}

// breakdownLines are the stored breakdown values as sorted lines.
func breakdownLines(t *testing.T, store *models.Store) string {
	t.Helper()
	inds, err := store.AllIndicators()
	if err != nil {
		t.Fatal(err)
	}
	units, err := store.Units()
	if err != nil {
		t.Fatal(err)
	}
	code := map[string]string{}
	for _, i := range inds {
		code[fmt.Sprint("i", i.ID)] = i.Code
	}
	for _, u := range units {
		code[fmt.Sprint("u", u.ID)] = u.Code
	}
	var lines []string
	err = store.EachBreakdownValue(nil, nil, "", "", func(o models.Observation) error {
		lines = append(lines, fmt.Sprintf("%s|%s|%s|%s|%v|%s|%s|%v", code[fmt.Sprint("i", o.IndicatorID)], code[fmt.Sprint("u", o.UnitID)],
			o.Period, o.Breakdown, o.Value, o.Note, o.Source, o.Demo))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

// TestBreakdownsRoundTrip: our CSV and XLSX carry breakdown values out
// and back in exactly, beside their totals, and the CSV exported again is
// the same file.
func TestBreakdownsRoundTrip(t *testing.T) {
	src := withBreakdowns(t)
	want := breakdownLines(t, src)
	for _, format := range []string{reports.CSV, reports.XLSX} {
		t.Run(format, func(t *testing.T) {
			first := exportAll(t, src, format)
			dst := apptest.EmptyStore(t, apptest.DSN(t))
			plan, err := importer.Preview(dst, importer.Parse([]importer.File{{Name: "all." + format, Data: first}}, importer.ParseOptions{}), importer.Options{UnitTree: true})
			if err != nil {
				t.Fatal(err)
			}
			if err := importer.Commit(dst, plan, models.Actor{Username: "test"}); err != nil {
				t.Fatalf("%v: %+v", err, plan.Problems)
			}
			if got := breakdownLines(t, dst); got != want {
				t.Errorf("breakdowns after the round trip:\n got %s\nwant %s", got, want)
			}
			if format == reports.CSV && !bytes.Equal(first, exportAll(t, dst, format)) {
				t.Errorf("the CSV differs after a round trip")
			}
		})
	}
}
