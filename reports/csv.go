package reports

import (
	"bytes"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"tiendo/importer"
	"tiendo/models"
)

// WriteCSV writes the dataset in our long format (importer.OwnColumns):
// pillars, units, indicators, targets, observations and assessments, one
// record a row, with codes and both names, UTF-8 with a BOM so Excel shows
// Vietnamese. The file imports back as it is; with Filter.Excel it is made
// for Excel in Vietnamese settings instead (see Filter.Excel).
func WriteCSV(w io.Writer, d *Dataset, progress func(rows int)) error {
	cw := newCSVWriter(w, d.Filter.Excel && d.Filter.Lang == "vi")
	cw.line = append(cw.line, "\xef\xbb\xbf"...)
	cw.line = cw.appendRow(cw.line, importer.OwnColumns)
	for _, p := range d.Pillars {
		if err := cw.put("record", "pillar", "pillar", p.Code, "pillar_vi", p.NameVI, "pillar_en", p.NameEN); err != nil {
			return err
		}
	}
	for _, u := range d.Units {
		if err := cw.put(unitRecord(u, d)...); err != nil {
			return err
		}
	}
	for _, ind := range d.Indicators {
		if err := cw.put(indicatorRecord(ind)...); err != nil {
			return err
		}
	}
	err := d.EachTarget(func(t models.Target, ind models.Indicator, u models.Unit) error {
		return cw.put(targetRecord(t, ind, u)...)
	})
	if err != nil {
		return err
	}
	if err := cw.observations(d, progress); err != nil {
		return err
	}
	err = d.EachAssessment(func(p models.Progress) error { return cw.put(assessmentRecord(p)...) })
	if err != nil {
		return err
	}
	return cw.flush()
}

// csvWriter writes the rows of our CSV as encoding/csv does (the same
// quoting, byte for byte), faster: a row is made in one reused buffer,
// numbers are appended without allocating, and an observation row is the
// fixed text of its indicator and unit with its own fields in between.
type csvWriter struct {
	w     io.Writer
	comma byte
	excel bool     // decimal commas (Filter.Excel in Vietnamese)
	row   []string // the cells of a record by column, reused
	line  []byte   // rows waiting to be written, reused
	cut   []int    // where each cell of the last row begins in line
}

// csvBuffer is how many bytes of rows are gathered before a write.
const csvBuffer = 256 << 10

func newCSVWriter(w io.Writer, excel bool) *csvWriter {
	cw := &csvWriter{w: w, comma: ',', excel: excel, row: make([]string, len(importer.OwnColumns)), line: make([]byte, 0, csvBuffer+4096)}
	if excel {
		cw.comma = ';'
	}
	return cw
}

// column is where a named column is and how its cells are written.
type column struct {
	index int
	kind  int
}

const (
	textCell   = iota // a text, kept from being read as a formula
	plainCell         // numbers that are no amounts: years, periods, flags
	numberCell        // an amount, with the CSV's decimal mark
)

var columns = func() map[string]column {
	m := map[string]column{}
	for i, c := range importer.OwnColumns {
		kind := textCell
		switch {
		case numberColumns[c]:
			kind = numberCell
		case importer.NumericColumns[c]:
			kind = plainCell
		}
		m[c] = column{i, kind}
	}
	return m
}()

// cell is v as a cell of a column of that kind.
func (cw *csvWriter) cell(kind int, v string) string {
	switch kind {
	case numberCell:
		if cw.excel {
			return strings.Replace(v, ".", ",", 1)
		}
	case textCell:
		return importer.SpreadsheetText(v)
	}
	return v
}

// put writes one record given as column, value pairs.
func (cw *csvWriter) put(kv ...string) error {
	cw.fill(kv)
	cw.line = cw.appendRow(cw.line, cw.row)
	return cw.spill()
}

// fill sets the row's cells from column, value pairs.
func (cw *csvWriter) fill(kv []string) {
	clear(cw.row)
	for i := 0; i+1 < len(kv); i += 2 {
		c := columns[kv[i]]
		cw.row[c.index] = cw.cell(c.kind, kv[i+1])
	}
}

// appendRow appends a row of cells, noting in cut where each cell begins.
func (cw *csvWriter) appendRow(dst []byte, cells []string) []byte {
	cw.cut = cw.cut[:0]
	for i, c := range cells {
		if i > 0 {
			dst = append(dst, cw.comma)
		}
		cw.cut = append(cw.cut, len(dst))
		dst = appendCSVField(dst, c, cw.comma)
	}
	return append(dst, '\n')
}

// spill writes the buffer out once it is full.
func (cw *csvWriter) spill() error {
	if len(cw.line) < csvBuffer {
		return nil
	}
	return cw.flush()
}

func (cw *csvWriter) flush() error {
	_, err := cw.w.Write(cw.line)
	cw.line = cw.line[:0]
	return err
}

// observations writes the observation records. The cells of an indicator
// and a unit are the same on all their rows, so they are made once per
// pair, as a template row whose empty cells of the observation's own
// columns (ownCells) each row fills in.
func (cw *csvWriter) observations(d *Dataset, progress func(rows int)) error {
	var tmpl []byte
	var cuts [len(ownCells)]int // where each own cell is in tmpl
	var ind, unit uint
	num := make([]byte, 0, 32)
	return d.eachValue(progress, func(o *models.Observation) error {
		if len(tmpl) == 0 || o.IndicatorID != ind || o.UnitID != unit {
			ind, unit = o.IndicatorID, o.UnitID
			i, u := d.indByID[ind], d.unitByID[unit]
			cw.fill([]string{"record", "observation", "pillar", i.Pillar.Code, "indicator", i.Code, "indicator_vi", i.NameVI, "indicator_en", i.NameEN,
				"unit", u.Code, "unit_vi", u.NameVI, "unit_en", u.NameEN})
			tmpl = cw.appendRow(tmpl[:0], cw.row)
			for k, c := range ownCells {
				cuts[k] = cw.cut[columns[c].index]
			}
		}
		at := 0
		for k, c := range ownCells {
			cw.line = append(cw.line, tmpl[at:cuts[k]]...)
			at = cuts[k]
			switch c {
			case "period":
				cw.line = appendCSVField(cw.line, o.Period, cw.comma)
			case "breakdown":
				cw.line = appendCSVField(cw.line, importer.SpreadsheetText(o.Breakdown), cw.comma)
			case "value":
				num = strconv.AppendFloat(num[:0], o.Value, 'f', -1, 64)
				if i := bytes.IndexByte(num, '.'); i >= 0 && cw.excel {
					num[i] = ','
				}
				cw.line = appendCSVField(cw.line, num, cw.comma)
			case "note":
				cw.line = appendCSVField(cw.line, importer.SpreadsheetText(o.Note), cw.comma)
			case "source":
				cw.line = appendCSVField(cw.line, importer.SpreadsheetText(o.Source), cw.comma)
			case "demo":
				cw.line = appendCSVField(cw.line, yes(o.Demo), cw.comma)
			}
		}
		cw.line = append(cw.line, tmpl[at:]...)
		return cw.spill()
	})
}

// ownCells are the columns of an observation record that differ from row
// to row, in the order of the columns.
var ownCells = [...]string{"period", "breakdown", "value", "note", "source", "demo"}

// appendCSVField appends a field as encoding/csv's Writer writes it (with
// UseCRLF false): quoted when it holds the separator, a quote or a line
// break, begins with a space, or is \. (the end of data to PostgreSQL).
func appendCSVField[T string | []byte](dst []byte, field T, comma byte) []byte {
	if !fieldNeedsQuotes(field, comma) {
		return append(dst, field...)
	}
	dst = append(dst, '"')
	for i := 0; i < len(field); i++ {
		if field[i] == '"' {
			dst = append(dst, '"')
		}
		dst = append(dst, field[i])
	}
	return append(dst, '"')
}

// fieldNeedsQuotes is encoding/csv's rule for an ASCII separator.
func fieldNeedsQuotes[T string | []byte](field T, comma byte) bool {
	if len(field) == 0 {
		return false
	}
	if string(field) == `\.` {
		return true
	}
	for i := 0; i < len(field); i++ {
		if c := field[i]; c == '\n' || c == '\r' || c == '"' || c == comma {
			return true
		}
	}
	if c := field[0]; c < utf8.RuneSelf {
		return c == ' ' || c == '\t' || c == '\v' || c == '\f'
	}
	var first [utf8.UTFMax]byte
	r, _ := utf8.DecodeRune(first[:copy(first[:], field)])
	return unicode.IsSpace(r)
}

// numberColumns hold numbers, written with the decimal mark of the CSV.
var numberColumns = map[string]bool{"limit": true, "value": true, "value_max": true, "baseline_value": true}

func num(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

func optNum(v *float64) string {
	if v == nil {
		return ""
	}
	return num(*v)
}

func optInt(v *int) string {
	if v == nil {
		return ""
	}
	return strconv.Itoa(*v)
}

// day writes a date as 2025-07-01; nil is empty.
func day(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format("2006-01-02")
}

func yes(b bool) string {
	if b {
		return "1"
	}
	return ""
}

func unitRecord(u models.Unit, d *Dataset) []string {
	return []string{"record", "unit", "unit", u.Code, "unit_vi", u.NameVI, "unit_en", u.NameEN, "level", u.Level, "parent", d.parentCode(u), "demo", yes(u.Demo),
		"started_on", day(u.StartedOn), "ended_on", day(u.EndedOn), "ended_basis", u.EndedBasis}
}

func indicatorRecord(ind models.Indicator) []string {
	kv := []string{"record", "indicator", "pillar", ind.Pillar.Code, "indicator", ind.Code, "indicator_vi", ind.NameVI, "indicator_en", ind.NameEN,
		"measure", ind.Measure, "direction", string(ind.Direction), "limit", optNum(ind.Limit), "decimals", strconv.Itoa(ind.Decimals),
		"frequency", ind.Frequency, "rollup", string(ind.Rollup), "rollup_weight", ind.RollupWeight, "rollup_threshold", optNum(ind.RollupThreshold)}
	for _, f := range ind.Fields() {
		kv = append(kv, f.Name, *f.Value)
	}
	return kv
}

func targetRecord(t models.Target, ind models.Indicator, u models.Unit) []string {
	return []string{"record", "target", "pillar", ind.Pillar.Code, "indicator", ind.Code, "indicator_vi", ind.NameVI, "indicator_en", ind.NameEN,
		"unit", u.Code, "unit_vi", u.NameVI, "unit_en", u.NameEN, "period", strconv.Itoa(t.Year), "comparator", string(t.Comparator),
		"value", num(t.Value), "value_max", optNum(t.ValueMax), "baseline_year", optInt(t.BaselineYear), "baseline_value", optNum(t.BaselineValue),
		"yearly", yes(t.Yearly), "source", t.Source}
}

func assessmentRecord(p models.Progress) []string {
	a := p.Assessment
	kv := []string{"record", "assessment", "pillar", p.Indicator.Pillar.Code, "indicator", p.Indicator.Code, "indicator_vi", p.Indicator.NameVI,
		"indicator_en", p.Indicator.NameEN, "unit", p.Unit.Code, "unit_vi", p.Unit.NameVI, "unit_en", p.Unit.NameEN,
		"period", optInt(a.CurrentYear), "value", optNum(a.CurrentValue), "status", string(a.Status)}
	if t := p.Target; t != nil {
		kv = append(kv, "comparator", string(t.Comparator), "value_max", optNum(t.ValueMax), "baseline_year", optInt(a.BaseYear),
			"baseline_value", optNum(a.BaseValue), "yearly", yes(t.Yearly), "note", "target "+num(t.Value)+" by "+strconv.Itoa(t.Year))
	}
	return kv
}
