package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCLIExportImport runs the real built binary: export every format,
// import the CSV into a new database, and check the exit statuses.
func TestCLIExportImport(t *testing.T) {
	dir := t.TempDir()
	run := func(args ...string) (int, string) { return runBinary(t, nil, args...) }
	src, dst := filepath.Join(dir, "src.db"), filepath.Join(dir, "dst.db")
	for _, f := range []string{"csv", "xlsx", "pdf", "json"} {
		out := filepath.Join(dir, "all."+f)
		if code, msg := run("export", "-db", src, "--format", f, "--out", out, "--unit", "VN-SG", "--year", "2030"); code != 0 {
			t.Fatalf("export %s: %d %s", f, code, msg)
		}
		if st, err := os.Stat(out); err != nil || st.Size() < 500 {
			t.Fatalf("export %s wrote %v %v", f, st, err)
		}
	}
	if code, _ := run("export", "-db", src, "--format", "doc", "--out", filepath.Join(dir, "x")); code == 0 {
		t.Error("an unknown format exited 0")
	}
	csv := filepath.Join(dir, "all.csv")
	if code, out := run("import", "-db", dst, "--dry-run", csv); code != 3 || !strings.Contains(out, "Chạy thử: chưa nhập gì.") {
		t.Errorf("dry run: exit %d\n%s", code, out)
	}
	if code, out := run("import", "-db", dst, csv); code != 0 {
		t.Fatalf("import: exit %d\n%s", code, out)
	}
	if code, out := run("import", "-db", dst, "--lang", "en", csv); code != 0 || !strings.Contains(out, "Imported: 0 records") {
		t.Errorf("second import: exit %d\n%s", code, out)
	}
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("indicator,unit,period,value,note,source\n5g-coverage,VN-SG,2031,abc,,\n"), 0o644)
	if code, out := run("import", "-db", dst, "--lang", "en", bad); code != 1 || !strings.Contains(out, "bad.csv:2:value") || !strings.Contains(out, "is not a number") {
		t.Errorf("bad file: exit %d\n%s", code, out)
	}
	wb := "../shared/realdata/worldbank-vietnam/wb_SI_POV_NAHC.json"
	if _, err := os.Stat(wb); err != nil {
		t.Skip("SKIPPED: real data fixture missing: " + wb)
	}
	if code, out := run("import", "-db", dst, "--lang", "en", wb); code != 1 || !strings.Contains(out, "Choose to create them") {
		t.Errorf("unknown units: exit %d\n%s", code, out)
	}
	if code, out := run("import", "-db", dst, "--create-missing", wb); code != 0 {
		t.Errorf("create missing: exit %d\n%s", code, out)
	}
}
