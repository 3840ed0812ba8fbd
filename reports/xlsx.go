package reports

import (
	"archive/zip"
	"bufio"
	"errors"
	"fmt"
	"io"
	"strconv"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"tiendo/display"
	"tiendo/locale"
	"tiendo/models"
)

// Columns of the importable sheets: the names of our long format, so a
// workbook imports back as it is.
var (
	unitCols      = []string{"unit", "unit_vi", "unit_en", "level", "parent", "demo", "started_on", "ended_on", "ended_basis"}
	indicatorCols = append([]string{"indicator", "indicator_vi", "indicator_en", "pillar", "measure", "direction", "limit", "decimals", "frequency",
		"rollup", "rollup_weight", "rollup_threshold"}, models.TextColumns...)
	pillarCols = []string{"pillar", "pillar_vi", "pillar_en"}
	targetCols = []string{"indicator", "indicator_vi", "indicator_en", "unit", "unit_vi", "unit_en", "year", "comparator", "value",
		"value_max", "baseline_year", "baseline_value", "yearly", "source"}
	observationCols = []string{"indicator", "indicator_vi", "indicator_en", "unit", "unit_vi", "unit_en", "period", "value", "note", "source", "demo", "breakdown"}
)

type xlsxStyles struct {
	header, title int
	status        map[models.Status]int
	decimals      map[int]int
}

func newStyles(f *excelize.File) (*xlsxStyles, error) {
	s := &xlsxStyles{status: map[models.Status]int{}, decimals: map[int]int{}}
	var err error
	if s.header, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Color: "#FFFFFF"},
		Fill: excelize.Fill{Type: "pattern", Color: []string{"#24292F"}, Pattern: 1}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "center"}}); err != nil {
		return nil, err
	}
	if s.title, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}}); err != nil {
		return nil, err
	}
	for st, color := range display.StatusColors {
		if s.status[st], err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Color: "#FFFFFF"},
			Fill: excelize.Fill{Type: "pattern", Color: []string{color}, Pattern: 1}, Alignment: &excelize.Alignment{WrapText: true}}); err != nil {
			return nil, err
		}
	}
	for d := 0; d <= 4; d++ {
		format := "#,##0"
		if d > 0 {
			format += "." + "0000"[:d]
		}
		if s.decimals[d], err = f.NewStyle(&excelize.Style{CustomNumFmt: &format}); err != nil {
			return nil, err
		}
	}
	return s, nil
}

func (s *xlsxStyles) number(v float64, decimals int) excelize.Cell {
	return excelize.Cell{StyleID: s.decimals[min(max(decimals, 0), 4)], Value: v}
}

func (s *xlsxStyles) optNumber(v *float64, decimals int) any {
	if v == nil {
		return nil
	}
	return s.number(*v, decimals)
}

// WriteXLSX writes a workbook: a summary by pillar with a native chart,
// assessments with status colours, then targets, observations, indicators,
// units and pillars in our importable format. The large sheets are written
// with excelize's StreamWriter, so memory stays flat however many rows.
func WriteXLSX(w io.Writer, d *Dataset, cat locale.Catalog, progress func(rows int)) error {
	f := excelize.NewFile()
	defer f.Close()
	lang := d.Filter.Lang
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	summary := cat.T(lang, "reports.sheet_summary")
	if err := f.SetSheetName("Sheet1", summary); err != nil {
		return err
	}
	// The assessments stream first; the summary (the first sheet) is
	// filled in from their counts.
	counts, err := writeAssessments(f, cat.T(lang, "reports.sheet_assessments"), d, cat, st)
	if err != nil {
		return err
	}
	if err := writeSummary(f, summary, d, counts, cat, st); err != nil {
		return err
	}
	observations := func(row func([]any) error) error {
		return d.eachValue(progress, func(o *models.Observation) error {
			ind, u := d.indByID[o.IndicatorID], d.unitByID[o.UnitID]
			return row([]any{ind.Code, ind.NameVI, ind.NameEN, u.Code, u.NameVI, u.NameEN, o.Period, st.number(o.Value, ind.Decimals), o.Note, o.Source, yes(o.Demo), o.Breakdown})
		})
	}
	sheets := []struct {
		key  string
		cols []string
		fill func(row func([]any) error) error
	}{
		{"reports.sheet_targets", targetCols, func(row func([]any) error) error {
			return d.EachTarget(func(t models.Target, ind models.Indicator, u models.Unit) error {
				return row(targetCells(st, t, ind, u))
			})
		}},
		{"reports.sheet_observations", observationCols, observations},
		{"reports.sheet_indicators", indicatorCols, eachRow(d.Indicators, func(ind models.Indicator) []any {
			var limit any
			if ind.Limit != nil {
				limit = *ind.Limit
			}
			var threshold any
			if ind.RollupThreshold != nil {
				threshold = *ind.RollupThreshold
			}
			row := []any{ind.Code, ind.NameVI, ind.NameEN, ind.Pillar.Code, ind.Measure, string(ind.Direction), limit, ind.Decimals, ind.Frequency,
				string(ind.Rollup), ind.RollupWeight, threshold}
			for _, f := range ind.Fields() {
				row = append(row, *f.Value)
			}
			return row
		})},
		{"reports.sheet_units", unitCols, eachRow(d.Units, func(u models.Unit) []any {
			return []any{u.Code, u.NameVI, u.NameEN, u.Level, d.parentCode(u), yes(u.Demo), day(u.StartedOn), day(u.EndedOn), u.EndedBasis}
		})},
		{"reports.sheet_pillars", pillarCols, eachRow(d.Pillars, func(p models.Pillar) []any {
			return []any{p.Code, p.NameVI, p.NameEN}
		})},
	}
	for _, sh := range sheets {
		if err := streamSheet(f, cat.T(lang, sh.key), sh.cols, st, sh.fill); err != nil {
			return err
		}
	}
	// The summary, the first sheet, is the active one from the start:
	// SetActiveSheet would read every streamed sheet back into memory.
	// The zip goes straight to w: File.WriteTo would make the whole
	// compressed workbook in memory first (about 50 MB a million rows).
	bw := bufio.NewWriterSize(w, 64<<10)
	f.SetZipWriter(func(io.Writer) excelize.ZipWriter { return zip.NewWriter(bw) })
	if err := f.Write(io.Discard); err != nil {
		return err
	}
	return bw.Flush()
}

// eachRow fills a sheet with one row of cells per item.
func eachRow[T any](items []T, cells func(T) []any) func(row func([]any) error) error {
	return func(row func([]any) error) error {
		for _, it := range items {
			if err := row(cells(it)); err != nil {
				return err
			}
		}
		return nil
	}
}

// fitRows is how many rows a sheet's column widths are fitted to: the rows
// are held until then, so a sheet of millions streams with flat memory.
const fitRows = 1000

// cellWidth is about how many characters wide a cell shows, for fitting
// a column to its content.
func cellWidth(v any) float64 {
	switch c := v.(type) {
	case nil:
		return 0
	case excelize.Cell:
		if f, ok := c.Value.(float64); ok {
			// Shown with thousands separators and the indicator's decimals.
			return float64(len(strconv.FormatFloat(f, 'f', 2, 64))) * 1.25
		}
		return cellWidth(c.Value)
	case string:
		return float64(utf8.RuneCountInString(c))
	default:
		return float64(len(fmt.Sprint(c)))
	}
}

// fitWidth turns the widest content of a column into a column width,
// within bounds so a long note does not make a column a screen wide.
func fitWidth(chars float64) float64 { return min(max(chars*1.1+2, 8), 60) }

// xlsxMaxRows is how many values a workbook's sheet holds below its
// header (a variable for tests).
var xlsxMaxRows int64 = excelize.TotalRows - 1

// TooManyRows is the refusal of a workbook whose values do not fit its
// sheet, as a message key and its arguments in lang: the command line and
// the API say it alike.
func TooManyRows(lang string) (string, []any) {
	return "reports.xlsx_too_many", []any{locale.Number(lang, float64(xlsxMaxRows), 0)}
}

// ErrTooManyRows is a workbook whose values do not fit its sheet.
var ErrTooManyRows = errors.New("reports: more values than a workbook's sheet holds")

// CheckFits refuses, before anything is written, a workbook of n values
// (0: not known) that would not fit its sheet.
func CheckFits(format string, n int64) error {
	if format == XLSX && n > xlsxMaxRows {
		return ErrTooManyRows
	}
	return nil
}

// streamSheet writes a table sheet through a StreamWriter: columns fitted to
// the header and the first fitRows rows, the header row frozen, and an
// autofilter on the table (an Excel table, which LibreOffice reads too).
func streamSheet(f *excelize.File, name string, cols []string, st *xlsxStyles, fill func(row func([]any) error) error) error {
	if _, err := f.NewSheet(name); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	header := make([]any, len(cols))
	widths := make([]float64, len(cols))
	for i, c := range cols {
		header[i] = excelize.Cell{StyleID: st.header, Value: c}
		widths[i] = cellWidth(c) + 2 // room for the filter button
	}
	var held [][]any
	r := 1
	write := func(values []any) error {
		r++
		if int64(r-1) > xlsxMaxRows {
			return ErrTooManyRows // when no count could tell before (a period filter)
		}
		cell, _ := excelize.CoordinatesToCellName(1, r)
		return sw.SetRow(cell, values)
	}
	started := false
	start := func() error {
		started = true
		for i, w := range widths {
			if err := sw.SetColWidth(i+1, i+1, fitWidth(w)); err != nil {
				return err
			}
		}
		if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
			return err
		}
		if err := sw.SetRow("A1", header); err != nil {
			return err
		}
		for _, row := range held {
			if err := write(row); err != nil {
				return err
			}
		}
		held = nil
		return nil
	}
	err = fill(func(values []any) error {
		if started {
			return write(values)
		}
		for i, v := range values {
			if i < len(widths) {
				widths[i] = max(widths[i], cellWidth(v))
			}
		}
		held = append(held, values)
		if len(held) < fitRows {
			return nil
		}
		return start()
	})
	if err != nil {
		return err
	}
	if !started {
		if err := start(); err != nil {
			return err
		}
	}
	last, _ := excelize.CoordinatesToCellName(len(cols), max(r, 2))
	noStripes := false
	if err := sw.AddTable(&excelize.Table{Range: "A1:" + last, Name: "t" + strconv.Itoa(f.SheetCount),
		StyleName: "TableStyleLight1", ShowRowStripes: &noStripes}); err != nil {
		return err
	}
	return sw.Flush()
}

// targetCells is one row of the targets sheet.
func targetCells(st *xlsxStyles, t models.Target, ind models.Indicator, u models.Unit) []any {
	yearly := ""
	if t.Yearly {
		yearly = "1"
	}
	var by any
	if t.BaselineYear != nil {
		by = *t.BaselineYear
	}
	return []any{ind.Code, ind.NameVI, ind.NameEN, u.Code, u.NameVI, u.NameEN, t.Year, string(t.Comparator),
		st.number(t.Value, ind.Decimals), st.optNumber(t.ValueMax, ind.Decimals), by, st.optNumber(t.BaselineValue, ind.Decimals), yearly, t.Source}
}

// writeSummary writes the unit's rows (SummaryRows, the numbers of the
// PDF's first page) counted by pillar and class (status, or no target) and
// draws them as a stacked bar chart that Excel and LibreOffice render
// natively.
func writeSummary(f *excelize.File, sheet string, d *Dataset, pillars []PillarCount, cat locale.Catalog, st *xlsxStyles) error {
	lang := d.Filter.Lang
	title := cat.T(lang, "reports.title")
	if name := d.UnitName(); name != "" {
		title += " — " + name
	}
	if d.Filter.Milestone != 0 {
		title += " — " + cat.T(lang, "reports.milestone", d.Filter.Milestone)
	}
	set := func(cell string, v any) error { return f.SetCellValue(sheet, cell, v) }
	if err := set("A1", title); err != nil {
		return err
	}
	if err := f.SetCellStyle(sheet, "A1", "A1", st.title); err != nil {
		return err
	}
	if err := set("A2", cat.T(lang, "reports.generated", locale.Date(lang, d.Generated))); err != nil {
		return err
	}
	const head = 4
	if err := set("A4", cat.T(lang, "reports.col_pillar")); err != nil {
		return err
	}
	for j, s := range models.Classes {
		cell, _ := excelize.CoordinatesToCellName(j+2, head)
		if err := set(cell, cat.T(lang, "status."+string(s))); err != nil {
			return err
		}
		if err := f.SetCellStyle(sheet, cell, cell, st.status[s]); err != nil {
			return err
		}
	}
	totalCell, _ := excelize.CoordinatesToCellName(len(models.Classes)+2, head)
	if err := set(totalCell, cat.T(lang, "reports.col_total")); err != nil {
		return err
	}
	if err := f.SetCellStyle(sheet, "A4", "A4", st.header); err != nil {
		return err
	}
	if err := f.SetCellStyle(sheet, totalCell, totalCell, st.header); err != nil {
		return err
	}
	for i, pc := range pillars {
		r := head + 1 + i
		p, counts, total := pc.Pillar, pc.Counts, pc.Total
		if err := set(fmt.Sprintf("A%d", r), display.Name(lang, p.NameVI, p.NameEN)); err != nil {
			return err
		}
		for j, s := range models.Classes {
			cell, _ := excelize.CoordinatesToCellName(j+2, r)
			if err := set(cell, counts[s]); err != nil {
				return err
			}
		}
		cell, _ := excelize.CoordinatesToCellName(len(models.Classes)+2, r)
		if err := set(cell, total); err != nil {
			return err
		}
	}
	// Columns fitted to their names and the pillars' names; a filter on the table.
	widthA := cellWidth(cat.T(lang, "reports.col_pillar"))
	for _, pc := range pillars {
		widthA = max(widthA, cellWidth(display.Name(lang, pc.Pillar.NameVI, pc.Pillar.NameEN)))
	}
	if err := f.SetColWidth(sheet, "A", "A", fitWidth(widthA)); err != nil {
		return err
	}
	for j, s := range models.Classes {
		col, _ := excelize.ColumnNumberToName(j + 2)
		if err := f.SetColWidth(sheet, col, col, fitWidth(min(cellWidth(cat.T(lang, "status."+string(s))), 16)+2)); err != nil {
			return err
		}
	}
	lastCell, _ := excelize.CoordinatesToCellName(len(models.Classes)+2, head+max(len(pillars), 1))
	if err := f.AutoFilter(sheet, "A4:"+lastCell, nil); err != nil {
		return err
	}
	if err := f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: head, TopLeftCell: "A5", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	// Printed (or converted to PDF), the summary and its chart fit one
	// landscape page.
	landscape, one, fit := "landscape", 1, true
	if err := f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Orientation: &landscape, FitToWidth: &one, FitToHeight: &one}); err != nil {
		return err
	}
	if err := f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return err
	}
	if len(pillars) == 0 {
		return nil
	}
	last := head + len(pillars)
	ref := "'" + sheet + "'!"
	var series []excelize.ChartSeries
	for j, s := range models.Classes {
		col, _ := excelize.ColumnNumberToName(j + 2)
		series = append(series, excelize.ChartSeries{
			Name:       ref + "$" + col + "$" + strconv.Itoa(head),
			Categories: fmt.Sprintf("%s$A$%d:$A$%d", ref, head+1, last),
			Values:     fmt.Sprintf("%s$%s$%d:$%s$%d", ref, col, head+1, col, last),
			Fill:       excelize.Fill{Type: "pattern", Color: []string{display.StatusColors[s]}, Pattern: 1},
		})
	}
	anchor := fmt.Sprintf("A%d", last+3)
	return f.AddChart(sheet, anchor, &excelize.Chart{
		Type:      excelize.BarStacked,
		Series:    series,
		Title:     excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: cat.T(lang, "reports.chart_title")}}},
		Legend:    excelize.ChartLegend{Position: "bottom"},
		Dimension: excelize.ChartDimension{Width: 720, Height: 360},
	})
}

func writeAssessments(f *excelize.File, sheet string, d *Dataset, cat locale.Catalog, st *xlsxStyles) ([]PillarCount, error) {
	lang := d.Filter.Lang
	cols := []string{"reports.col_indicator_code", "reports.col_indicator", "reports.col_unit", "reports.col_target",
		"reports.col_current_year", "reports.col_current_value", "reports.col_status"}
	header := make([]string, len(cols))
	for i, c := range cols {
		header[i] = cat.T(lang, c)
	}
	tally := d.tally()
	err := streamSheet(f, sheet, header, st, func(row func([]any) error) error {
		return d.EachAssessment(func(p models.Progress) error {
			if d.summarises(p) {
				tally.add(p)
			}
			a := p.Assessment
			var year any
			if a.CurrentYear != nil {
				year = *a.CurrentYear
			}
			return row([]any{p.Indicator.Code, display.Name(lang, p.Indicator.NameVI, p.Indicator.NameEN), display.Name(lang, p.Unit.NameVI, p.Unit.NameEN),
				display.Target(cat, lang, p.Target, p.Indicator), year, st.optNumber(a.CurrentValue, p.Indicator.Decimals),
				excelize.Cell{StyleID: st.status[p.Class()], Value: cat.T(lang, p.Words())}})
		})
	})
	return tally.counts(), err
}
