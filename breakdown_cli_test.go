package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"tiendo/apptest"
	"tiendo/models"
)

// runCLI runs the real binary and returns its exit status and output.
func runCLI(t *testing.T, args ...string) (int, string) {
	t.Helper()
	out, err := exec.Command(apptest.Binary(t), args...).CombinedOutput()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode(), string(out)
	}
	if err != nil {
		t.Fatal(err)
	}
	return 0, string(out)
}

// TestCLIOpenSDGSeriesUnitMeasureBreakdowns is issue 13's reported defect:
// an Open SDG file whose rows all carry SERIES and UNIT_MEASURE had every
// row counted as "another breakdown" and left out, and the command still
// said it imported a record and exited 0. The series names the indicator,
// the unit of measure fills its measure, totals and breakdowns are stored.
func TestCLIOpenSDGSeriesUnitMeasureBreakdowns(t *testing.T) {
	db := filepath.Join(t.TempDir(), "tiendo.db")
	file := "importer/testdata/indicator_1-2-1.csv"
	code, out := runCLI(t, "import", "-db", db, "--lang", "en", "--unit", "VN-SG", "--create-missing", file)
	if code != 0 {
		t.Fatalf("import: exit %d\n%s", code, out)
	}
	for _, want := range []string{"Values: totals 2, breakdowns 4, refused 0"} {
		if !strings.Contains(out, want) {
			t.Errorf("preview lacks %q:\n%s", want, out)
		}
	}
	gdb, err := models.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	var ind models.Indicator
	if err := gdb.Where("code = ?", "SI_POV_NAHC").First(&ind).Error; err != nil {
		t.Fatalf("indicator named by the series: %v", err)
	}
	if ind.Measure != "%" {
		t.Errorf("measure = %q, want %% (UNIT_MEASURE PT)", ind.Measure)
	}
	type row struct {
		Period, Breakdown string
		Value             float64
	}
	var totals []row
	gdb.Raw(`SELECT period, '' AS breakdown, value FROM observations WHERE indicator_id = ? ORDER BY period`, ind.ID).Scan(&totals)
	if len(totals) != 2 || totals[0] != (row{"2020", "", 9.8}) || totals[1] != (row{"2021", "", 8.9}) {
		t.Errorf("totals = %+v", totals)
	}
	var parts []row
	gdb.Raw(`SELECT period, breakdown, value FROM breakdown_values WHERE indicator_id = ? ORDER BY period, breakdown`, ind.ID).Scan(&parts)
	want := []row{{"2020", "AGE=Y15T24;SEX=F", 12}, {"2020", "SEX=F", 10.1}, {"2020", "SEX=M", 9.5}, {"2021", "SEX=F", 9}}
	if len(parts) != len(want) {
		t.Fatalf("breakdowns = %+v, want %+v", parts, want)
	}
	for i := range want {
		if parts[i] != want[i] {
			t.Errorf("breakdown %d = %+v, want %+v", i, parts[i], want[i])
		}
	}
}

// TestCLIEmptyFileExitsOne: a file with no data row, or whose every row is
// left out, says so and exits 1 with nothing committed, unless
// --allow-empty; a file whose rows are all stored already exits 0.
func TestCLIEmptyFileExitsOne(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "tiendo.db")
	header := filepath.Join(dir, "indicator_9-9-9.csv")
	blank := filepath.Join(dir, "indicator_9-9-8.csv")
	os.WriteFile(header, []byte("Year,Value\n"), 0o644)
	os.WriteFile(blank, []byte("Year,Value\n2020,\n2021,\n"), 0o644)
	for _, f := range []string{header, blank} {
		code, out := runCLI(t, "import", "-db", db, "--lang", "en", "--unit", "VN-SG", "--create-missing", f)
		if code != 1 || !strings.Contains(out, "Nothing to import") {
			t.Errorf("%s: exit %d, want 1 saying nothing to import\n%s", filepath.Base(f), code, out)
		}
		if code, out := runCLI(t, "import", "-db", db, "--lang", "en", "--unit", "VN-SG", "--create-missing", "--allow-empty", f); code != 0 {
			t.Errorf("%s with --allow-empty: exit %d\n%s", filepath.Base(f), code, out)
		}
	}
	gdb, err := models.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	var n int64
	gdb.Table("audit_log").Where("action = ?", "import").Count(&n)
	if n != 2 {
		t.Errorf("import audit entries = %d, want 2 (only the --allow-empty runs)", n)
	}
	file := "importer/testdata/indicator_1-2-1.csv"
	for i, want := range []string{"", "unchanged"} {
		code, out := runCLI(t, "import", "-db", db, "--lang", "en", "--unit", "VN-SG", "--create-missing", file)
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("import %d: exit %d, want 0 and %q\n%s", i+1, code, want, out)
		}
	}
}

// partsOf lists the breakdown values of a database as
// "indicator/unit/period/breakdown=value note source demo".
func partsOf(t *testing.T, dsn string) string {
	t.Helper()
	gdb, err := models.Open(dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if s, err := gdb.DB(); err == nil {
			s.Close()
		}
	}()
	var rows []struct {
		Ind, Unit, Period, Breakdown, Note, Source string
		Value                                      float64
		Demo                                       bool
	}
	gdb.Raw(`SELECT i.code AS ind, u.code AS unit, b.period, b.breakdown, b.value, b.note, b.source, b.demo FROM breakdown_values b
		JOIN indicators i ON i.id = b.indicator_id JOIN units u ON u.id = b.unit_id ORDER BY 1, 2, 3, 4`).Scan(&rows)
	var out []string
	for _, r := range rows {
		out = append(out, fmt.Sprintf("%s/%s/%s/%s=%v %q %q %v", r.Ind, r.Unit, r.Period, r.Breakdown, r.Value, r.Note, r.Source, r.Demo))
	}
	return strings.Join(out, "\n")
}

// TestCLIBreakdownRoundTrip: the CSV and XLSX exports carry breakdowns in
// their breakdown column, and importing them into an empty database gives
// back the same breakdown values, exactly; importing again changes nothing.
func TestCLIBreakdownRoundTrip(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "src.db")
	store := apptest.OpenStore(t, src)
	apptest.SampleBreakdowns(t, store)
	want := partsOf(t, src)
	if strings.Count(want, "\n") != 2 {
		t.Fatalf("source parts:\n%s", want)
	}
	for _, format := range []string{"csv", "xlsx"} {
		file := filepath.Join(dir, "all."+format)
		if code, out := runCLI(t, "export", "-db", src, "--format", format, "--out", file); code != 0 {
			t.Fatalf("export %s: %d %s", format, code, out)
		}
		dst := filepath.Join(dir, format+".db")
		if code, out := runCLI(t, "import", "-db", dst, "--lang", "en", file); code != 0 {
			t.Fatalf("import %s: exit %d\n%s", format, code, out)
		}
		if got := partsOf(t, dst); got != want {
			t.Errorf("%s round trip:\n got %s\nwant %s", format, got, want)
		}
		if code, out := runCLI(t, "import", "-db", dst, "--lang", "en", file); code != 0 || !strings.Contains(out, "unchanged") {
			t.Errorf("%s imported again: exit %d\n%s", format, code, out)
		}
	}
}
