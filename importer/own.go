package importer

import (
	"bufio"
	"bytes"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"tiendo/locale"
	"tiendo/models"
)

// Kinds of records in our own long format, as written in its `record`
// column or told apart by a file's columns.
const (
	KindPillar      = "pillar"
	KindUnit        = "unit"
	KindIndicator   = "indicator"
	KindTarget      = "target"
	KindObservation = "observation"
	KindAssessment  = "assessment"
)

// OwnColumns is the header of our long format, as exports write it: one
// file can hold every kind of record, told apart by `record`.
var OwnColumns = append([]string{"record", "pillar", "pillar_vi", "pillar_en", "indicator", "indicator_vi", "indicator_en",
	"measure", "direction", "limit", "decimals", "frequency", "unit", "unit_vi", "unit_en", "level", "parent", "period",
	"breakdown", "comparator", "value", "value_max", "baseline_year", "baseline_value", "yearly", "status", "note", "source",
	"demo", "rollup", "rollup_weight", "rollup_threshold", "started_on", "ended_on", "ended_basis"},
	models.TextColumns...)

// aliases are the short column names of the one-kind files (units
// `code, name_vi, name_en, level, parent`, targets `…, year, …`).
var aliases = map[string]map[string]string{
	KindPillar:    {"pillar": "code", "pillar_vi": "name_vi", "pillar_en": "name_en"},
	KindUnit:      {"unit": "code", "unit_vi": "name_vi", "unit_en": "name_en"},
	KindIndicator: {"indicator": "code", "indicator_vi": "name_vi", "indicator_en": "name_en"},
	KindTarget:    {"period": "year"},
}

// kindOf tells the kind of a one-kind file from its columns.
func kindOf(t *table) string {
	switch {
	case t.has("record"):
		return ""
	case t.has("status"):
		return KindAssessment
	case t.has("period") && t.has("value"):
		return KindObservation
	case t.has("comparator") || (t.has("year") && t.has("value") && t.has("indicator")):
		return KindTarget
	case t.has("direction") || t.has("measure") || (t.has("code") && t.has("pillar")):
		return KindIndicator
	case t.has("level") || t.has("parent"):
		return KindUnit
	case t.has("pillar_vi") || (t.has("code") && t.has("name_vi")):
		return KindPillar
	}
	return "?"
}

func parseOwnCSV(b *Batch, name string, r *bufio.Reader) {
	comma := byte(',')
	head, _ := r.Peek(4096)
	if first, _, _ := bytes.Cut(head, []byte("\n")); bytes.Count(first, []byte(";")) > bytes.Count(first, []byte(",")) {
		comma = ';'
	}
	t := readTable(name, r, comma, 0, b)
	if t.header != nil {
		readOwn(t, b, false)
	}
}

// parseOwnXLSX reads every sheet of a workbook in our format; sheets that
// are not (a summary, assessments) are left out with a note. The workbook's
// zipped bytes are held (excelize reads them whole); its rows stream, one
// at a time.
func parseOwnXLSX(b *Batch, name string, data []byte, opt ParseOptions) {
	f, key, args, err := openXLSX(data, opt.MaxRows, opt.MaxUnzipped)
	if key != "" {
		b.problem(Pos{File: name}, key, args...)
		return
	}
	if err != nil {
		b.problem(Pos{File: name}, "import.unreadable", cleanErr(err))
		return
	}
	defer f.Close()
	for _, sheet := range f.GetSheetList() {
		file := name + " › " + sheet
		it, err := f.Rows(sheet)
		if err != nil {
			b.problem(Pos{File: file}, "import.unreadable", cleanErr(err))
			continue
		}
		src := &xlsxRows{it: it, file: file, max: opt.MaxRows}
		if header, _, ok := src.next(b); ok {
			src.width = len(header)
			t := &table{file: file, header: slices.Clone(header), headerAt: 1, index: map[string]int{}, rows: src, b: b}
			for i, h := range t.header {
				t.index[normCol(h)] = i
			}
			readOwn(t, b, true)
		}
		it.Close()
	}
}

// readOwn turns the rows of one table into records, one row at a time.
func readOwn(t *table, b *Batch, lenient bool) {
	fixed := kindOf(t)
	switch fixed {
	case "?":
		if !lenient {
			b.problem(Pos{File: t.file, Row: 1}, "import.unknown_columns", strings.Join(t.header, ", "))
			return
		}
		for t.next() {
			b.LeftOut++
		}
		b.note(Pos{File: t.file, Row: 1}, "import.sheet_left_out")
		return
	case KindAssessment:
		for t.next() {
			b.Rows++
			b.LeftOut++
		}
		return
	}
	r := ownRow{t: t, b: b, kind: fixed}
	for t.next() {
		b.Rows++
		if !lenient && t.short(b) {
			continue
		}
		r.bad, r.kind = false, fixed
		if fixed == "" {
			r.kind = t.cell("record")
		}
		r.read()
	}
}

// ownRow reads one row; the first bad cell becomes a problem at its column.
type ownRow struct {
	t    *table
	b    *Batch
	kind string
	bad  bool
}

func (r *ownRow) pos(col string) Pos {
	return r.t.pos(col)
}

func (r *ownRow) get(col string) string {
	j, ok := r.t.index[col]
	if !ok {
		if a, alias := aliases[r.kind][col]; alias {
			j, ok = r.t.index[a]
		}
	}
	if !ok {
		return ""
	}
	return plainText(r.t.cellAt(j))
}

func (r *ownRow) col(col string) string {
	if !r.t.has(col) {
		if a, ok := aliases[r.kind][col]; ok {
			return a
		}
	}
	return col
}

func (r *ownRow) required(col string) string {
	v := r.get(col)
	if v == "" && !r.bad {
		r.fail(r.col(col), "import.required")
	}
	return v
}

func (r *ownRow) number(col string) float64 {
	s := r.required(col)
	if r.bad {
		return 0
	}
	v, _ := r.parse(col, s)
	return v
}

func (r *ownRow) optNumber(col string) *float64 {
	s := r.get(col)
	if s == "" || r.bad {
		return nil
	}
	if v, ok := r.parse(col, s); ok {
		return &v
	}
	return nil
}

// parse reads the number s of col in machine form; the row goes bad if it
// is not one, or could be read two ways ("1,234", "9.214,5").
func (r *ownRow) parse(col, s string) (float64, bool) {
	v, err := locale.ParseNumber(locale.Machine, s)
	switch {
	case errors.Is(err, locale.ErrAmbiguous):
		r.fail(r.col(col), "import.ambiguous_number", s, r.col(col))
	case err != nil:
		r.fail(r.col(col), "import.bad_number", s)
	}
	return v, err == nil
}

// fail marks the row bad, with a problem at column.
func (r *ownRow) fail(column, key string, args ...any) {
	r.bad = true
	r.b.problem(r.pos(column), key, args...)
}

func (r *ownRow) optInt(col string) *int {
	v := r.optNumber(col)
	if v == nil {
		return nil
	}
	n := int(*v)
	if float64(n) != *v {
		r.fail(r.col(col), "import.bad_integer", r.get(col))
		return nil
	}
	return &n
}

func (r *ownRow) ref(prefix string) Ref {
	return Ref{Code: r.required(prefix), NameVI: r.get(prefix + "_vi"), NameEN: r.get(prefix + "_en")}
}

func (r *ownRow) read() {
	p := r.pos("")
	switch r.kind {
	case KindPillar:
		rec := PillarRec{Pos: p, Code: r.required("pillar"), NameVI: r.get("pillar_vi"), NameEN: r.get("pillar_en")}
		if !r.bad {
			r.b.Pillars = append(r.b.Pillars, rec)
		}
	case KindUnit:
		rec := UnitRec{Pos: p, Code: r.required("unit"), NameVI: r.get("unit_vi"), NameEN: r.get("unit_en"), Level: r.get("level"), Parent: r.get("parent"),
			Demo: r.yes("demo"), StartedOn: r.date("started_on"), EndedOn: r.date("ended_on"), EndedBasis: r.get("ended_basis")}
		if !r.bad {
			r.b.Units = append(r.b.Units, rec)
		}
	case KindIndicator:
		rec := IndicatorRec{Pos: p, Code: r.required("indicator"), NameVI: r.get("indicator_vi"), NameEN: r.get("indicator_en"),
			Pillar: r.get("pillar"), Measure: r.get("measure"), Direction: r.direction(), Limit: r.optNumber("limit"), Decimals: r.optInt("decimals"),
			Frequency: strings.ToLower(r.get("frequency")), Rollup: strings.ToLower(r.get("rollup")), RollupWeight: r.get("rollup_weight"),
			RollupThreshold: r.optNumber("rollup_threshold")}
		for _, f := range rec.Fields() {
			*f.Value = r.get(f.Name)
		}
		if !r.bad {
			r.b.Indicators = append(r.b.Indicators, rec)
		}
	case KindTarget:
		rec := TargetRec{Pos: p, Indicator: r.ref("indicator"), Unit: r.ref("unit"), Comparator: r.comparator(),
			Value: r.number("value"), ValueMax: r.optNumber("value_max"), BaselineYear: r.optInt("baseline_year"),
			BaselineValue: r.optNumber("baseline_value"), Yearly: r.yes("yearly"), Source: r.get("source")}
		rec.Year = r.year()
		if !r.bad {
			// A city has a target per indicator, unit and milestone, kept
			// until the commit: their texts are shared, not each row's.
			b := r.b
			rec.Indicator, rec.Unit = b.internRef(rec.Indicator), b.internRef(rec.Unit)
			rec.Comparator, rec.Source = b.intern(rec.Comparator), b.intern(rec.Source)
			b.Targets = append(b.Targets, rec)
		}
	case KindObservation:
		rec := ObsRec{Pos: p, Indicator: r.ref("indicator"), Unit: r.ref("unit"), Period: r.period(),
			Value: r.number("value"), Note: r.get("note"), Source: r.get("source"), Demo: r.yes("demo"), Breakdown: r.breakdown()}
		if !r.bad {
			r.b.observe(rec)
		}
	case KindAssessment:
		r.b.LeftOut++
	default:
		r.b.problem(r.pos("record"), "import.unknown_record", r.kind)
	}
}

// breakdown reads the breakdown column (SEX=F;AGE=Y15T24, empty or _T for
// the total) in canonical order; its codes are ours, resolved like any
// format's dimensions.
func (r *ownRow) breakdown() string {
	b, err := models.CanonicalBreakdown(r.get("breakdown"))
	var be *models.BreakdownError
	if errors.As(err, &be) && !r.bad {
		r.fail(r.col("breakdown"), be.Key, be.Args...)
	}
	return b
}

func (r *ownRow) period() string {
	s := r.required("period")
	if r.bad {
		return ""
	}
	if p, ok := canonicalPeriod(s); ok {
		return p
	}
	r.fail("period", "import.bad_period", s)
	return ""
}

func (r *ownRow) year() int {
	s := r.required("period")
	if r.bad {
		return 0
	}
	y, err := strconv.Atoi(s)
	if err != nil || y < 1900 || y > 2100 {
		r.fail(r.col("period"), "import.bad_year", s)
	}
	return y
}

func (r *ownRow) comparator() string {
	s := strings.ToLower(r.get("comparator"))
	switch s {
	case "", "at_least", "at_most", "exactly", "between":
		return s
	case ">=", "≥":
		return "at_least"
	case "<=", "≤":
		return "at_most"
	case "=":
		return "exactly"
	}
	r.fail("comparator", "import.bad_comparator", s)
	return ""
}

func (r *ownRow) direction() string {
	s := strings.ToLower(r.get("direction"))
	switch s {
	case "", "higher", "lower":
		return s
	case "positive", "up", "increase":
		return "higher"
	case "negative", "down", "decrease":
		return "lower"
	}
	r.fail("direction", "import.bad_direction", s)
	return ""
}

// date reads a day written 2025-07-01; empty is none.
func (r *ownRow) date(col string) *time.Time {
	s := r.get(col)
	if s == "" || r.bad {
		return nil
	}
	d, err := time.Parse("2006-01-02", s)
	if err != nil {
		r.fail(col, "import.bad_date", s)
		return nil
	}
	return &d
}

func (r *ownRow) yes(col string) bool {
	switch strings.ToLower(r.get(col)) {
	case "1", "true", "yes", "x", "có":
		return true
	}
	return false
}
