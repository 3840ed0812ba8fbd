package importer

import (
	"bufio"
	"encoding/csv"
	"errors"
	"io"
	"path/filepath"
	"strconv"
	"strings"

	"tiendo/seed"
)

// PreliminaryNote is the note kept beside a preliminary GSO figure ("Pre. 2016").
const PreliminaryNote = "Số liệu sơ bộ (preliminary)"

// gsoIndicators maps GSO table titles we already hold to our indicator
// codes and the source our seed cites, so importing them again is a no-op.
var gsoIndicators = map[string][2]string{
	fold("Poverty rate by province"): {seed.GSOPovertyIndicator, seed.SourceGSO},
}

// national is the unit of GSO's tables of the whole country.
var national = Ref{Code: seed.UnitVN, NameVI: seed.NameVN, NameEN: seed.NameVNEN}

// nationalNames are the names national rows go by in tables of provinces
// (GSO's " WHOLE COUNTRY"), besides the unit's own names.
var nationalNames = []string{"Whole country", "Cả nước", "Toàn quốc", "Vietnam"}

// gsoColumn is one value column of a GSO table: its year, whether the
// figure is preliminary, and its breakdown ("" or "Total" for the total).
type gsoColumn struct {
	year        int
	preliminary bool
	breakdown   string
	ok          bool
}

func gsoLabel(s string) gsoColumn {
	s = strings.TrimSpace(s)
	// "Pre. 2016 Total": the year ends at the first space after its digits.
	fields := strings.Fields(s)
	for n := 1; n <= len(fields) && n <= 2; n++ {
		head := strings.Join(fields[:n], " ")
		if y, pre, ok := yearOf(head); ok {
			return gsoColumn{year: y, preliminary: pre, breakdown: strings.Join(fields[n:], " "), ok: true}
		}
	}
	return gsoColumn{}
}

func isTotal(breakdown string) bool {
	b := strings.ToLower(strings.TrimSpace(breakdown))
	return b == "" || b == "total" || strings.HasPrefix(b, "total ") || strings.HasPrefix(b, "total-")
}

// parseGSO reads a General Statistics Office table: a title line, a blank
// line, a ";"-separated header and rows. Rows are provinces (or items of
// the whole country), columns are years, maybe with a breakdown.
func parseGSO(b *Batch, name string, data *bufio.Reader, opt ParseOptions) {
	title, err := data.ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return // not UTF-8: the reader of the file says so
	}
	tr := csv.NewReader(strings.NewReader(title))
	tr.LazyQuotes = true
	rec, _ := tr.Read()
	titleText := strings.TrimSpace(strings.Join(rec, " "))
	problems := b.ProblemsTotal()
	t := readTable(name, data, ';', 1, b)
	if t.header == nil || b.ProblemsTotal() > problems {
		return
	}
	first := normCol(t.header[0])
	byProvince := strings.Contains(first, "provinc") || strings.Contains(first, "cities")
	if t.has("year") {
		readGSOYearRows(t, b, name)
		return
	}
	ind := Ref{Code: opt.Indicator}
	if ind.Code == "" {
		ind.Code = gsoIndicatorCode(name, titleText)
	}
	ind.NameVI, ind.NameEN = gsoTitle(titleText), gsoTitle(titleText)
	if byProvince {
		b.Indicators = append(b.Indicators, IndicatorRec{Pos: Pos{File: name, Row: 1}, Code: ind.Code, NameVI: ind.NameVI, NameEN: ind.NameEN})
	}
	source := "GSO: " + gsoTitle(titleText)
	for k, known := range gsoIndicators {
		if strings.HasPrefix(fold(titleText), k) {
			source = known[1]
		}
	}
	cols := make([]gsoColumn, len(t.header))
	for j := 1; j < len(t.header); j++ {
		cols[j] = gsoLabel(t.header[j])
		if !cols[j].ok {
			b.problem(Pos{File: name, Row: t.headerAt, Column: t.header[j]}, "import.bad_year", t.header[j])
			return
		}
		if cols[j].preliminary {
			b.note(Pos{File: name, Row: t.headerAt, Column: t.header[j]}, "import.preliminary", cols[j].year)
		}
	}
	for t.next() {
		row := t.row
		label := strings.TrimSpace(row[0])
		b.Rows++
		if t.short(b) {
			continue
		}
		unit, rowInd := Ref{NameVI: label, NameEN: label}, ind
		if !byProvince {
			// A table of items of the whole country: each row is a figure.
			unit = national
			rowInd = Ref{Code: slug("gso " + label), NameVI: label, NameEN: label}
		}
		for j := 1; j < len(row) && j < len(cols); j++ {
			v, ok := t.gsoValue(b, j, isTotal(cols[j].breakdown))
			if !ok {
				continue
			}
			o := ObsRec{Pos: t.pos(t.header[j]), Indicator: rowInd, Unit: unit,
				Period: strconv.Itoa(cols[j].year), Value: v, Source: source}
			if cols[j].preliminary {
				o.Note = PreliminaryNote
			}
			b.observe(o)
		}
	}
}

// gsoValue reads cell j of the current row: ".." (missing), blanks and
// breakdowns other than the total are left out; a bad number is a problem
// at its cell.
func (t *table) gsoValue(b *Batch, j int, total bool) (float64, bool) {
	raw := strings.TrimSpace(t.row[j])
	if raw == ".." || raw == "" || !total {
		b.LeftOut++
		return 0, false
	}
	v, ok := parseNumber(raw)
	if !ok {
		b.problem(t.pos(t.header[j]), "import.bad_number", raw)
	}
	return v, ok
}

// readGSOYearRows reads tables with a Year column (telephone subscribers):
// each value column is a figure of the whole country, and the first column
// a breakdown whose "Total" rows are kept.
func readGSOYearRows(t *table, b *Batch, name string) {
	yearCol := t.index["year"]
	for t.next() {
		row := t.row
		b.Rows++
		if t.short(b) {
			continue
		}
		year, _, ok := yearOf(row[yearCol])
		if !ok {
			b.problem(t.pos(t.header[yearCol]), "import.bad_year", row[yearCol])
			continue
		}
		for j := 1; j < len(row); j++ {
			if j == yearCol {
				continue
			}
			v, ok := t.gsoValue(b, j, isTotal(row[0]))
			if !ok {
				continue
			}
			label := strings.TrimSpace(t.header[j])
			b.observe(ObsRec{Pos: t.pos(label), Unit: national,
				Indicator: Ref{Code: slug("gso " + label), NameVI: label, NameEN: label}, Period: strconv.Itoa(year), Value: v,
				Source: "GSO"})
		}
	}
}

// gsoTitle drops GSO's " by Cities, provincies and Year" tail from a title.
func gsoTitle(title string) string {
	if i := strings.Index(title, " by Cities"); i > 0 {
		return title[:i]
	}
	return title
}

func gsoIndicatorCode(name, title string) string {
	for k, known := range gsoIndicators {
		if strings.HasPrefix(fold(title), k) {
			return known[0]
		}
	}
	return "gso-" + slug(strings.TrimSuffix(filepath.Base(name), filepath.Ext(name)))
}
