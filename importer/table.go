package importer

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strconv"
	"strings"

	"tiendo/locale"
)

// table is a delimited file read into rows, each with its line number.
type table struct {
	file   string
	header []string
	index  map[string]int
	rows   [][]string
	lines  []int
}

// readTable reads a delimited text after skipLines lines (GSO tables have a
// title line first); the first non-blank record is the header. A
// malformed file (an unclosed quote, a cut-off row) becomes a problem at
// its line.
func readTable(file string, data []byte, comma rune, skipLines int, b *Batch) *table {
	for i := 0; i < skipLines; i++ {
		nl := bytes.IndexByte(data, '\n')
		if nl < 0 {
			data = nil
			break
		}
		data = data[nl+1:]
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma = comma
	r.FieldsPerRecord = -1
	t := &table{file: file, index: map[string]int{}}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			line := 0
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.StartLine
			}
			b.problem(Pos{File: file, Row: line + skipLines}, "import.malformed", cleanErr(err))
			return t
		}
		if t.header == nil {
			if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
				continue
			}
			t.header = rec
			for i, h := range rec {
				t.index[normCol(h)] = i
			}
			continue
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		line, _ := r.FieldPos(0)
		t.rows = append(t.rows, rec)
		t.lines = append(t.lines, line+skipLines)
	}
	if t.header == nil {
		b.problem(Pos{File: file, Row: 1}, "import.empty")
	}
	return t
}

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

// cell returns the trimmed value of a named column in row i ("" if absent).
func (t *table) cell(i int, col string) string {
	j, ok := t.index[col]
	if !ok || j >= len(t.rows[i]) {
		return ""
	}
	return strings.TrimSpace(t.rows[i][j])
}

func (t *table) has(col string) bool { _, ok := t.index[col]; return ok }

// short reports (as a problem) a row with fewer fields than the header (a
// file cut off in the middle of a row) or more (a decimal comma in a
// comma-separated file).
func (t *table) short(i int, b *Batch) bool {
	if len(t.rows[i]) > len(t.header) {
		b.problem(Pos{File: t.file, Row: t.lines[i], Column: t.header[len(t.header)-1]}, "import.long_row", len(t.header), len(t.rows[i]))
		return true
	}
	if len(t.rows[i]) < len(t.header) {
		b.problem(Pos{File: t.file, Row: t.lines[i], Column: t.header[len(t.rows[i])]}, "import.short_row", len(t.header), len(t.rows[i]))
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
