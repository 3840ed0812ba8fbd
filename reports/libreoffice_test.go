//go:build libreoffice

package reports_test

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"tiendo/reports"
	"tiendo/seed"
)

// These tests drive LibreOffice (`make check-xlsx` installs it and runs
// them; `make test` does not). They open the exports as a planner with
// Vietnamese regional settings would.

// soffice converts src into format in dir with LibreOffice, with the CSV
// import options infilter when not empty, and returns the new file's path.
func soffice(t *testing.T, src, format, infilter string) string {
	t.Helper()
	bin, err := exec.LookPath("libreoffice")
	if err != nil {
		t.Fatal("LibreOffice is not installed: make check-xlsx installs libreoffice-calc")
	}
	dir := t.TempDir()
	args := []string{"--headless", "-env:UserInstallation=file://" + filepath.Join(dir, "profile")}
	if infilter != "" {
		args = append(args, "--infilter="+infilter)
	}
	args = append(args, "--convert-to", format, "--outdir", dir, src)
	if out, err := exec.Command(bin, args...).CombinedOutput(); err != nil {
		t.Fatalf("libreoffice: %v\n%s", err, out)
	}
	out := filepath.Join(dir, strings.TrimSuffix(filepath.Base(src), filepath.Ext(src))+"."+strings.SplitN(format, ":", 2)[0])
	if _, err := os.Stat(out); err != nil {
		t.Fatalf("libreoffice wrote nothing: %v", err)
	}
	return out
}

// vietnamese is LibreOffice's CSV import with Vietnamese settings: fields
// separated by sep, quoted with ", UTF-8, from line 1, language vi-VN (1066),
// which reads 14,5 as fourteen and a half.
func vietnamese(sep string) string { return "CSV:" + sep + ",34,76,1,,1066" }

// TestCSVForExcelOpensInVietnameseSettings: the Excel-labelled CSV splits
// into columns and its values are numbers; the machine-form CSV does not
// (which is why it is labelled for importing).
func TestCSVForExcelOpensInVietnameseSettings(t *testing.T) {
	store := seeded(t)
	dir := t.TempDir()
	for _, excel := range []bool{true, false} {
		d, err := reports.Load(store, reports.Filter{Unit: seed.UnitTraVinh, Lang: "vi", Excel: excel})
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := reports.WriteCSV(&buf, d, nil); err != nil {
			t.Fatal(err)
		}
		name := map[bool]string{true: "excel.csv", false: "machine.csv"}[excel]
		src := filepath.Join(dir, name)
		os.WriteFile(src, buf.Bytes(), 0o644)
		// 59 is ";", Vietnamese Excel's and LibreOffice's list separator.
		out := soffice(t, src, "xlsx", vietnamese("59"))
		f, err := excelize.OpenFile(out)
		if err != nil {
			t.Fatal(err)
		}
		sheet := f.GetSheetList()[0]
		rows, _ := f.GetRows(sheet)
		header := rows[0]
		value := -1
		for i, h := range header {
			if h == "value" {
				value = i
			}
		}
		numbers, fractions := 0, 0
		for r := 2; r <= len(rows); r++ {
			if value < 0 {
				break
			}
			cell, _ := excelize.CoordinatesToCellName(value+1, r)
			typ, _ := f.GetCellType(sheet, cell)
			raw, _ := f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
			if raw != "" && typ != excelize.CellTypeSharedString && typ != excelize.CellTypeInlineString {
				numbers++
				if strings.Contains(raw, ".") {
					fractions++
				}
			}
		}
		switch {
		case excel && (value < 0 || numbers < 10 || fractions == 0):
			t.Errorf("CSV for Excel in Vietnamese LibreOffice: %d columns, value column %d, %d numbers (%d with decimals)", len(header), value, numbers, fractions)
		case !excel && value >= 0:
			t.Errorf("the machine-form CSV split into columns with “;”: the test does not tell the two apart")
		}
		t.Logf("%s: %d columns, %d numeric values (%d with decimals)", name, len(header), numbers, fractions)
	}
}

// TestXLSXFiltersSurviveLibreOffice: LibreOffice reads every table's filter
// (it writes it back when saving), and renders the workbook.
func TestXLSXFiltersSurviveLibreOffice(t *testing.T) {
	store := seeded(t)
	d, err := reports.Load(store, reports.Filter{Unit: seed.UnitHCMC, Lang: "vi", Milestone: 2030})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	src := filepath.Join(dir, "tiendo.xlsx")
	var buf bytes.Buffer
	if err := reports.WriteXLSX(&buf, d, catalog(t), nil); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(src, buf.Bytes(), 0o644)
	saved := soffice(t, src, "xlsx:Calc MS Excel 2007 XML", "")
	z, err := zip.OpenReader(saved)
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	filtered := 0
	for _, zf := range z.File {
		if !strings.HasPrefix(zf.Name, "xl/worksheets/sheet") && !strings.HasPrefix(zf.Name, "xl/tables/") {
			continue
		}
		r, _ := zf.Open()
		b, _ := io.ReadAll(r)
		r.Close()
		if bytes.Contains(b, []byte("<autoFilter")) {
			filtered++
		}
	}
	want := 7 // summary, assessments, targets, values, indicators, units, pillars
	if filtered < want {
		t.Errorf("LibreOffice kept %d filters, want %d", filtered, want)
	}
	if out := os.Getenv("CHECK_XLSX_OUT"); out != "" {
		// make check-xlsx keeps the PDF LibreOffice renders, to look at.
		pdf := soffice(t, src, "pdf", "")
		b, _ := os.ReadFile(pdf)
		os.WriteFile(filepath.Join(out, "tiendo-libreoffice.pdf"), b, 0o644)
	}
}
