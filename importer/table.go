package importer

import (
	"encoding/csv"
	"errors"
	"io"
	"slices"
	"strconv"
	"strings"

	"tiendo/locale"
)

// table is a delimited file read one record at a time: its header, then
// the current row (after next) and the line it starts on. Only one row is
// held, so a file of any size streams through.
type table struct {
	file     string
	header   []string
	index    map[string]int
	row      []string // the current row
	line     int      // its line in the file
	headerAt int      // the line of the header
	rows     rowSource
	b        *Batch
}

// rowSource hands on the records of a table one at a time, with the line
// each starts on; ok is false at the end, or at a record that cannot be
// read (then a problem of the batch says why).
type rowSource interface {
	next(b *Batch) (rec []string, line int, ok bool)
}

// csvRows reads delimited text; lines are counted from offset.
type csvRows struct {
	r      *csvReader
	file   string
	offset int
}

func (c *csvRows) next(b *Batch) ([]string, int, bool) {
	rec, err := c.r.Read()
	switch {
	case errors.Is(err, io.EOF), errors.Is(err, errNotUTF8):
		return nil, 0, false // the reader of the file reports a bad byte
	case err != nil:
		line := 0
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			line = pe.StartLine
		}
		b.problem(Pos{File: c.file, Row: line + c.offset}, "import.malformed", cleanErr(err))
		return nil, 0, false
	}
	return rec, c.r.start + c.offset, true
}

// readTable starts reading delimited text whose first line is line
// offset+1 (GSO tables have a title line first, read by the caller): the
// first non-blank record is the header. A malformed file (an unclosed
// quote, a cut-off row) becomes a problem at its line.
func readTable(file string, r io.Reader, comma byte, offset int, b *Batch) *table {
	// One slice for every row: a row is read cell by cell before the
	// next, and its cells (strings) stay valid after it.
	cr := newCSVReader(r, comma)
	t := &table{file: file, index: map[string]int{}, rows: &csvRows{r: cr, file: file, offset: offset}, b: b}
	if t.next() {
		t.header, t.headerAt, t.row = slices.Clone(t.row), t.line, nil
		for i, h := range t.header {
			t.index[normCol(h)] = i
		}
	}
	if t.header == nil {
		b.problem(Pos{File: file, Row: 1}, "import.empty")
	}
	return t
}

// next moves to the next non-blank row; false at the end.
func (t *table) next() bool {
	for {
		rec, line, ok := t.rows.next(t.b)
		if !ok {
			t.row = nil
			return false
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		t.row, t.line = rec, line
		return true
	}
}

// pos is the current row's place in the file.
func (t *table) pos(column string) Pos { return Pos{File: t.file, Row: t.line, Column: column} }

func cleanErr(err error) string {
	s := err.Error()
	if i := strings.LastIndex(s, ": "); i >= 0 {
		return s[i+2:]
	}
	return s
}

func normCol(s string) string {
	return strings.ToLower(strings.TrimSpace(strings.TrimPrefix(s, "\ufeff")))
}

// cell returns the trimmed value of a named column in the current row
// ("" if absent).
func (t *table) cell(col string) string {
	j, ok := t.index[col]
	if !ok {
		return ""
	}
	return t.cellAt(j)
}

// cellAt returns the trimmed value of the current row's column j.
func (t *table) cellAt(j int) string {
	if j >= len(t.row) {
		return ""
	}
	return strings.TrimSpace(t.row[j])
}

func (t *table) has(col string) bool { _, ok := t.index[col]; return ok }

// short reports (as a problem) a row with fewer fields than the header (a
// file cut off in the middle of a row) or more (a decimal comma in a
// comma-separated file).
func (t *table) short(b *Batch) bool {
	if len(t.row) > len(t.header) {
		b.problem(t.pos(t.header[len(t.header)-1]), "import.long_row", len(t.header), len(t.row))
		return true
	}
	if len(t.row) < len(t.header) {
		b.problem(t.pos(t.header[len(t.row)]), "import.short_row", len(t.header), len(t.row))
		return true
	}
	return false
}

// parseNumber reads a number of another publisher's file: machine form
// ("10.0"), or a decimal comma and nothing else ("10,5", as GSO tables
// write). Our own files are read in machine form only (see ownRow.parse).
func parseNumber(s string) (float64, bool) {
	v, err := locale.ParseNumber(locale.Machine, s)
	if errors.Is(err, locale.ErrAmbiguous) && strings.Count(s, ",") == 1 && !strings.Contains(s, ".") {
		v, err = locale.ParseNumber(locale.Machine, strings.Replace(s, ",", ".", 1))
	}
	return v, err == nil
}

// yearOf reads a year written 2016, "2014/2015" (its first year) or
// "Pre. 2016" / "Prel.2016" (preliminary, reported by the second result).
func yearOf(s string) (year int, preliminary bool, ok bool) {
	s = strings.TrimSpace(s)
	for _, p := range []string{"Pre.", "Prel.", "Pre", "Prel"} {
		if strings.HasPrefix(s, p) {
			s, preliminary = strings.TrimSpace(s[len(p):]), true
			break
		}
	}
	if i := strings.IndexByte(s, '/'); i > 0 {
		s = s[:i]
	}
	y, err := strconv.Atoi(s)
	if err != nil || y < 1900 || y > 2100 {
		return 0, false, false
	}
	return y, preliminary, true
}
