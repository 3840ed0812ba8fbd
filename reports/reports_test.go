package reports_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"tiendo/apptest"
	"tiendo/importer"
	"tiendo/locale"
	"tiendo/models"
	"tiendo/reports"
	"tiendo/seed"
	"tiendo/static"
)

func seeded(t *testing.T) *models.Store {
	t.Helper()
	store := apptest.OpenStore(t, apptest.DSN(t))
	if err := seed.AddDemo(store.DB()); err != nil {
		t.Fatal(err)
	}
	store.SetClock(func() time.Time { return apptest.Today })
	return store
}

// snapshot writes what a database holds as sorted lines of codes and values.
func snapshot(t *testing.T, store *models.Store) string {
	t.Helper()
	var lines []string
	inds, err := store.AllIndicators()
	if err != nil {
		t.Fatal(err)
	}
	code := map[uint]string{}
	for _, i := range inds {
		code[i.ID] = i.Code
		lines = append(lines, fmt.Sprintf("I %s|%s|%s|%s|%s|%s|%v|%d|%+v", i.Code, i.NameVI, i.NameEN, i.Pillar.Code, i.Measure, i.Direction, deref(i.Limit), i.Decimals, i.IndicatorTexts))
	}
	units, _ := store.Units()
	ucode := map[uint]string{}
	for _, u := range units {
		ucode[u.ID] = u.Code
		lines = append(lines, fmt.Sprintf("U %s|%s|%s|%s", u.Code, u.NameVI, u.NameEN, u.Level))
	}
	ts, _ := store.TargetsOf(nil, nil)
	for _, x := range ts {
		lines = append(lines, fmt.Sprintf("T %s|%s|%d|%s|%v|%v|%v|%v|%v|%s", code[x.IndicatorID], ucode[x.UnitID], x.Year, x.Comparator, x.Value,
			deref(x.ValueMax), x.BaselineYear != nil, deref(x.BaselineValue), x.Yearly, x.Source))
	}
	_ = store.EachObservation(nil, nil, "", "", func(o models.Observation) error {
		lines = append(lines, fmt.Sprintf("O %s|%s|%s|%v|%s|%s", code[o.IndicatorID], ucode[o.UnitID], o.Period, o.Value, o.Note, o.Source))
		return nil
	})
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

func deref(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

func catalog(t *testing.T) locale.Catalog {
	cat, err := locale.Load(static.FS)
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

// TestRoundTrip exports everything as CSV and as XLSX, imports each into
// an empty database, and finds the same indicators, targets and values.
func TestRoundTrip(t *testing.T) {
	src := seeded(t)
	// Texts with commas, quotes and new lines travel both ways.
	if err := src.DB().Model(&models.Indicator{}).Where("code = ?", "5g-coverage").
		Updates(map[string]any{"formula_en": "covered, \"served\"\nsecond line", "notes_vi": "ghi chú; có dấu"}).Error; err != nil {
		t.Fatal(err)
	}
	want := snapshot(t, src)
	if !strings.Contains(want, "phổ cập dịch vụ mạng di động 5G") || !strings.Contains(want, "second line") {
		t.Fatal("the snapshot does not hold the texts")
	}
	d, err := reports.Load(src, reports.Filter{Lang: "vi"})
	if err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{reports.CSV, reports.XLSX} {
		t.Run(format, func(t *testing.T) {
			var buf bytes.Buffer
			if err := reports.Write(&buf, format, d, catalog(t), nil); err != nil {
				t.Fatal(err)
			}
			dst := apptest.EmptyStore(t, filepath.Join(t.TempDir(), "empty.db"))
			plan, err := importer.Preview(dst, importer.Parse([]importer.File{{Name: "all." + format, Data: buf.Bytes()}}, importer.ParseOptions{}), importer.Options{UnitTree: true})
			if err != nil {
				t.Fatal(err)
			}
			if err := importer.Commit(dst, plan, models.Actor{Username: "test"}); err != nil {
				t.Fatalf("%v: %+v missing %+v %+v", err, plan.Problems, plan.MissingUnits, plan.MissingIndicators)
			}
			if got := snapshot(t, dst); got != want {
				t.Errorf("round trip differs:\n got %s\nwant %s", got, want)
			}
		})
	}
}

// TestXLSXNumbers reads the workbook back with excelize: the same values.
func TestXLSXNumbers(t *testing.T) {
	store := seeded(t)
	d, err := reports.Load(store, reports.Filter{Unit: seed.UnitTraVinh, Lang: "en", Milestone: 2020})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := reports.WriteXLSX(&buf, d, catalog(t), nil); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	values := catalog(t).T("en", "reports.sheet_observations")
	rows, err := f.GetRows(values, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, r := range rows[1:] {
		got[r[0]+"|"+r[3]+"|"+r[6]] = r[7]
	}
	n := 0
	err = d.EachObservation(func(o models.Observation, ind models.Indicator, u models.Unit) error {
		n++
		if v := got[ind.Code+"|"+u.Code+"|"+o.Period]; v != fmt.Sprint(o.Value) {
			t.Errorf("%s %s %s: sheet %q, database %v", ind.Code, u.Code, o.Period, v, o.Value)
		}
		return nil
	})
	if err != nil || n == 0 || len(rows)-1 != n {
		t.Errorf("sheet has %d rows, database %d (%v)", len(rows)-1, n, err)
	}
	if v, _ := f.GetCellValue("Summary", "A1"); !strings.Contains(v, "Trà Vinh") {
		t.Errorf("summary title %q", v)
	}
	// As an analyst sends it: every table's header frozen and filtered,
	// columns as wide as their content, numbers with the indicator's decimals.
	for _, sheet := range f.GetSheetList()[1:] {
		if panes, _ := f.GetPanes(sheet); !panes.Freeze || panes.YSplit != 1 {
			t.Errorf("%s: header not frozen: %+v", sheet, panes)
		}
		if tables, err := f.GetTables(sheet); err != nil || len(tables) != 1 || !strings.HasPrefix(tables[0].Range, "A1:") {
			t.Errorf("%s: no filtered table: %+v %v", sheet, tables, err)
		}
	}
	if filters, _ := f.GetPanes("Summary"); !filters.Freeze {
		t.Error("the summary's header is not frozen")
	}
	cols, _ := f.GetRows("Assessments")
	name := cols[1][1] // the indicator's name
	if w, _ := f.GetColWidth("Assessments", "B"); w < float64(len([]rune(name))) || w > 60 {
		t.Errorf("column of names %q is %.1f wide", name, w)
	}
	if w, _ := f.GetColWidth("Assessments", "A"); w > 40 {
		t.Errorf("column of codes is %.1f wide", w)
	}
	style, _ := f.GetCellStyle(values, "H2")
	if st, _ := f.GetStyle(style); st == nil || st.CustomNumFmt == nil || !strings.HasPrefix(*st.CustomNumFmt, "#,##0") {
		t.Errorf("value cell without the indicator's number format: %+v", st)
	}
}

// TestPDFText reads the briefing back with pdftotext: Vietnamese names exactly.
func TestPDFText(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("pdftotext missing: scripts/install-test-deps.sh installs poppler-utils")
		}
		t.Skip("SKIPPED: pdftotext not installed (make test-deps)")
	}
	store := seeded(t)
	for _, lang := range []string{"vi", "en"} {
		d, err := reports.Load(store, reports.Filter{Unit: seed.UnitHCMC, Milestone: 2030, Lang: lang})
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(t.TempDir(), "briefing.pdf")
		var buf bytes.Buffer
		if err := reports.WritePDF(&buf, d, catalog(t)); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command("pdftotext", "-layout", path, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		text := strings.Join(strings.Fields(string(out)), " ")
		want := []string{"Phổ cập dịch vụ mạng di động 5G", "Kinh tế số chiếm tỷ trọng GRDP", "TP Hồ Chí Minh", "Trang 1/"}
		if lang == "en" {
			want = []string{"5G mobile coverage", "Digital economy share of GRDP", "Ho Chi Minh City", "Page 1 of"}
		}
		for _, w := range want {
			if !strings.Contains(text, w) {
				t.Errorf("%s: PDF text lacks %q:\n%s", lang, w, text)
			}
		}
	}
}

// TestPDFDrawsCharactersBeyondTheFontsPlane: an emoji (beyond U+FFFF) in a
// pillar, unit or indicator name is replaced, not a crash, in both languages.
func TestPDFDrawsCharactersBeyondTheFontsPlane(t *testing.T) {
	store := seeded(t)
	db := store.DB()
	for _, q := range []string{
		"UPDATE indicators SET name_vi = name_vi || ' 📶', name_en = name_en || ' 📶'",
		"UPDATE pillars SET name_vi = name_vi || ' 🚀', name_en = name_en || ' 🚀'",
		"UPDATE units SET name_vi = name_vi || ' 🏙', name_en = name_en || ' 🏙'",
	} {
		if err := db.Exec(q).Error; err != nil {
			t.Fatal(err)
		}
	}
	for _, lang := range []string{"vi", "en"} {
		for _, f := range []reports.Filter{{Unit: seed.UnitHCMC, Milestone: 2030, Lang: lang}, {Lang: lang}} {
			d, err := reports.Load(store, f)
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := reports.WritePDF(&buf, d, catalog(t)); err != nil {
				t.Fatal(err)
			}
			if !bytes.HasPrefix(buf.Bytes(), []byte("%PDF")) {
				t.Errorf("%s: not a PDF", lang)
			}
		}
	}
}
