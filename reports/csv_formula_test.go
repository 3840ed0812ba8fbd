package reports_test

import (
	"bytes"
	"encoding/csv"
	"path/filepath"
	"strings"
	"testing"

	"tiendo/apptest"
	"tiendo/importer"
	"tiendo/models"
	"tiendo/reports"
)

// TestCSVTextIsNeverAFormula: a text cell a spreadsheet would run as a
// formula goes out with a leading apostrophe, numbers stay numbers, and the
// file imports back exactly.
func TestCSVTextIsNeverAFormula(t *testing.T) {
	src := seeded(t)
	db := src.DB()
	hostile := map[string]string{"=HYPERLINK(\"http://evil.example\",\"x\")": "", "+1 ghi chú": "", "-giảm so với": "", "@SUM(A1)": "", "'=đã có dấu": "", "'bình thường": ""}
	var obs []models.Observation
	if err := db.Order("id").Limit(len(hostile)).Find(&obs).Error; err != nil || len(obs) < len(hostile) {
		t.Fatal(err)
	}
	i := 0
	for text := range hostile {
		if err := db.Model(&obs[i]).Updates(map[string]any{"note": text, "source": text}).Error; err != nil {
			t.Fatal(err)
		}
		i++
	}
	var ind models.Indicator
	db.Where(`"limit" IS NULL`).First(&ind)
	var neg models.Observation
	if err := db.Where("indicator_id = ?", ind.ID).First(&neg).Error; err != nil {
		t.Fatalf("a value of an indicator without limit: %v", err)
	}
	db.Model(&neg).Update("value", -5)
	db.Model(&models.Unit{}).Where("code = ?", "VN-51").Update("name_en", "=1+1")
	if err := src.Reassess(); err != nil {
		t.Fatal(err)
	}

	d, err := reports.Load(src, reports.Filter{Lang: "vi"})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := reports.WriteCSV(&buf, d, nil); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(buf.Bytes(), []byte("\xef\xbb\xbf")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	numeric := map[string]bool{"limit": true, "decimals": true, "value": true, "value_max": true, "baseline_year": true, "baseline_value": true, "period": true}
	sawNegative := false
	for _, r := range rows[1:] {
		for j, cell := range r {
			col := rows[0][j]
			if numeric[col] {
				sawNegative = sawNegative || cell == "-5"
				continue
			}
			if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
				t.Errorf("column %s: %q would run as a formula", col, cell)
			}
		}
	}
	if !sawNegative {
		t.Error("the value -5 did not go out as the number -5")
	}
	if !strings.Contains(buf.String(), `'=HYPERLINK`) || !strings.Contains(buf.String(), `''=đã có dấu`) {
		t.Error("formula-like text not prefixed")
	}

	want := snapshot(t, src)
	dst := apptest.EmptyStore(t, filepath.Join(t.TempDir(), "empty.db"))
	plan, err := importer.Preview(dst, importer.Parse([]importer.File{{Name: "all.csv", Data: buf.Bytes()}}, importer.ParseOptions{}), importer.Options{UnitTree: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := importer.Commit(dst, plan, models.Actor{Username: "test"}); err != nil {
		t.Fatalf("%v: %+v", err, plan.Problems)
	}
	if got := snapshot(t, dst); got != want {
		g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
		for i := range w {
			if i >= len(g) || g[i] != w[i] {
				t.Errorf("round trip differs at line %d:\n got %q\nwant %q", i, g[min(i, len(g)-1)], w[i])
				break
			}
		}
	}
}
