package reports_test

import (
	"bytes"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"tiendo/apptest"
	"tiendo/importer"
	"tiendo/models"
	"tiendo/reports"
)

// exportAll writes every unit and indicator of store in format.
func exportAll(t *testing.T, store *models.Store, format string) []byte {
	t.Helper()
	d, err := reports.Load(store, reports.Filter{Lang: "vi"})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := reports.Write(&buf, format, d, catalog(t), nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestExportImportExportIsTheSameFile: the demo city (demo marks, wards,
// districts that ended, roll-up rules and a coverage threshold) exported,
// imported into an empty database and exported again gives the same CSV,
// byte for byte, and the same importable XLSX sheets: every field of every
// record travels, and demo values stay demo.
func TestExportImportExportIsTheSameFile(t *testing.T) {
	src := seeded(t)
	if err := src.DB().Exec(`UPDATE indicators SET rollup_threshold = 0.5 WHERE code = '5g-coverage'`).Error; err != nil {
		t.Fatal(err)
	}
	if err := src.Reassess(); err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{reports.CSV, reports.XLSX} {
		t.Run(format, func(t *testing.T) {
			first := exportAll(t, src, format)
			dst := apptest.EmptyStore(t, filepath.Join(t.TempDir(), "empty.db"))
			dst.SetClock(src.Now)
			plan, err := importer.Preview(dst, importer.Parse([]importer.File{{Name: "all." + format, Data: first}}, importer.ParseOptions{}), importer.Options{UnitTree: true})
			if err != nil {
				t.Fatal(err)
			}
			if err := importer.Commit(dst, plan, models.Actor{Username: "test"}); err != nil {
				t.Fatalf("%v: %+v", err, plan.Problems)
			}
			var demo, real int64
			dst.DB().Model(&models.Observation{}).Where("demo = ?", true).Count(&demo)
			dst.DB().Model(&models.Observation{}).Where("demo = ?", false).Count(&real)
			if demo == 0 {
				t.Errorf("no demo value after the import (%d real ones): the mark was lost", real)
			}
			second := exportAll(t, dst, format)
			if format == reports.CSV {
				if !bytes.Equal(first, second) {
					t.Errorf("the CSV differs after a round trip:\n%s", firstDiff(string(first), string(second)))
				}
				return
			}
			a, b := sheets(t, first), sheets(t, second)
			for name, rows := range a {
				if name == "Tổng hợp" {
					continue // holds the time of generation
				}
				if got := b[name]; got != rows {
					t.Errorf("sheet %s differs after a round trip:\n%s", name, firstDiff(rows, got))
				}
			}
		})
	}
}

// sheets reads every sheet of a workbook as text, one line a row.
func sheets(t *testing.T, data []byte) map[string]string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]string{}
	for _, s := range f.GetSheetList() {
		rows, err := f.GetRows(s, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		for _, r := range rows {
			b.WriteString(strings.Join(r, "|") + "\n")
		}
		out[s] = b.String()
	}
	return out
}

// firstDiff shows the first line where two texts part.
func firstDiff(a, b string) string {
	la, lb := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(la) && i < len(lb); i++ {
		if la[i] != lb[i] {
			return "line " + itoa(i+1) + ":\n- " + la[i] + "\n+ " + lb[i]
		}
	}
	return "lengths " + itoa(len(la)) + " and " + itoa(len(lb))
}

func itoa(n int) string { return strconv.Itoa(n) }
