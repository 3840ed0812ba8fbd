package importer_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"tiendo/apptest"
	"tiendo/importer"
	"tiendo/models"
)

// canadaUnit is the unit the Canada files' totals and "Canada" rows go to.
var canadaUnit = importer.File{Name: "units.csv", Data: []byte("code,name_vi,name_en,level,parent\nCA,Canada,Canada,country,\n")}

// withoutBreakdowns keeps the rows an import kept before breakdowns: those
// whose every column other than Year, Value, GeoCode, Geography, Series,
// Units and Unit measure is blank.
func withoutBreakdowns(t *testing.T, f importer.File) importer.File {
	t.Helper()
	rows, err := csv.NewReader(bytes.NewReader(f.Data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	fixed := map[string]bool{"year": true, "value": true, "geocode": true, "geography": true, "series": true, "units": true, "unit measure": true}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write(rows[0])
	for _, r := range rows[1:] {
		total := true
		for j, c := range r {
			total = total && (fixed[strings.ToLower(rows[0][j])] || c == "")
		}
		if total {
			_ = w.Write(r)
		}
	}
	w.Flush()
	return importer.File{Name: f.Name, Data: buf.Bytes()}
}

// blankValues counts the rows of an Open SDG file without a value.
func blankValues(t *testing.T, f importer.File) (rows, blank int) {
	t.Helper()
	recs, err := csv.NewReader(bytes.NewReader(f.Data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := len(recs[0]) - 1
	for _, r := range recs[1:] {
		if strings.TrimSpace(r[col]) == "" {
			blank++
		}
	}
	return len(recs) - 1, blank
}

// TestOpenSDGCanadaBreakdowns: each real Open SDG file of Canada imports
// with no row that holds a value left out (the totals in observations, the
// parts in breakdown values, readable through the API), and its totals
// give the same statuses as the import of its totals alone, which is what
// importing it did before breakdowns.
func TestOpenSDGCanadaBreakdowns(t *testing.T) {
	for _, id := range []string{"1-1-1", "3-2-1", "3-4-1", "7-2-1", "9-3-1"} {
		t.Run(id, func(t *testing.T) {
			files := readFixtures(t, "opensdg-canada/indicator_"+id+".csv", "opensdg-canada/meta_"+id+".json")
			code := strings.ReplaceAll(id, "-", ".")
			opt := importer.Options{Unit: "CA", Missing: importer.MissingCreate}

			full := apptest.Start(t, apptest.Options{})
			importFiles(t, full.Store, []importer.File{canadaUnit}, importer.ParseOptions{}, importer.Options{})
			plan := importFiles(t, full.Store, files, importer.ParseOptions{}, opt)
			rows, blank := blankValues(t, files[0])
			o := plan.Outcomes[importer.KindObservation]
			if o == nil || o.Totals+o.Breakdowns != rows-blank || o.Refused != blank || o.Reasons[importer.ReasonLeftOut] != blank {
				t.Fatalf("%d rows, %d blank: outcome %+v", rows, blank, o)
			}
			if plan.SkippedMissing != 0 || plan.ProblemsTotal() != 0 || plan.LeftOut != blank {
				t.Errorf("skipped %d, problems %+v, left out %d (blank values: %d)", plan.SkippedMissing, plan.Problems, plan.LeftOut, blank)
			}
			var parts int64
			full.Store.DB().Table("breakdown_values").Joins("JOIN indicators i ON i.id = breakdown_values.indicator_id").
				Where("i.code = ?", code).Count(&parts)
			if int(parts) != o.Breakdowns || o.Breakdowns == 0 {
				t.Errorf("breakdown values stored = %d, preview said %d", parts, o.Breakdowns)
			}
			status, body := full.Get(t, "/api/v1/indicators/"+code)
			var answer struct {
				Observations []struct {
					Unit      string  `json:"unit"`
					Breakdown *string `json:"breakdown"`
				} `json:"observations"`
			}
			if status != 200 || json.Unmarshal([]byte(body), &answer) != nil {
				t.Fatalf("GET /api/v1/indicators/%s: %d %.300s", code, status, body)
			}
			api := 0
			for _, v := range answer.Observations {
				if v.Breakdown != nil && *v.Breakdown != "" {
					api++
				}
			}
			if api != o.Breakdowns {
				t.Errorf("the API lists %d breakdown values, want %d", api, o.Breakdowns)
			}

			before := apptest.Start(t, apptest.Options{})
			importFiles(t, before.Store, []importer.File{canadaUnit}, importer.ParseOptions{}, importer.Options{})
			importFiles(t, before.Store, []importer.File{withoutBreakdowns(t, files[0]), files[1]}, importer.ParseOptions{}, opt)
			var meta struct {
				Options []struct {
					TargetYear int `json:"target_year"`
				} `json:"progress_calculation_options"`
			}
			if err := json.Unmarshal(files[1].Data, &meta); err != nil || len(meta.Options) == 0 {
				t.Fatalf("meta: %v", err)
			}
			got, want := caStatus(t, full.Store, code, meta.Options[0].TargetYear), caStatus(t, before.Store, code, meta.Options[0].TargetYear)
			t.Logf("Canada %s: %s", code, got)
			if got != want {
				t.Errorf("status of Canada's total = %s, want %s as before breakdowns", got, want)
			}
		})
	}
}

// caStatus is the status of an indicator in CA at a milestone, with the
// totals it is assessed on.
func caStatus(t *testing.T, store *models.Store, code string, milestone int) string {
	t.Helper()
	u, err := store.UnitByCode("CA")
	if err != nil {
		t.Fatal(err)
	}
	rows, err := store.CachedEffectiveProgress(*u, milestone)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if r.Indicator.Code == code {
			var vals []string
			for _, o := range r.Observations {
				b, _ := json.Marshal(o.Value)
				vals = append(vals, o.Period+"="+string(b))
			}
			return string(r.Assessment.Status) + " " + strings.Join(vals, ",")
		}
	}
	t.Fatalf("no progress row of %s in CA", code)
	return ""
}
