package importer

import (
	"encoding/json"
	"errors"
	"io"
	"path/filepath"
	"strconv"
	"strings"
)

func openSDGMetaID(name string) (string, bool) {
	base := filepath.Base(name)
	if strings.HasPrefix(base, "meta_") && strings.HasSuffix(base, ".json") {
		return strings.TrimSuffix(strings.TrimPrefix(base, "meta_"), ".json"), true
	}
	return "", false
}

func openSDGDataID(name string) string {
	base := strings.TrimSuffix(filepath.Base(name), filepath.Ext(name))
	return strings.TrimPrefix(base, "indicator_")
}

// openSDGCode is the indicator code of an Open SDG id: 9-3-1 → 9.3.1.
func openSDGCode(id string) string { return strings.ReplaceAll(id, "-", ".") }

// Columns of an Open SDG data file that are not breakdowns.
var openSDGFixed = map[string]bool{"year": true, "value": true, "geocode": true, "geography": true, "series": true, "units": true, "unit measure": true}

type openSDGMeta struct {
	IndicatorNumber  string `json:"indicator_number"`
	IndicatorName    string `json:"indicator_name"`
	ComputationUnits string `json:"computation_units"`
	Options          []struct {
		Direction  string   `json:"direction"`
		Target     *float64 `json:"target"`
		TargetYear *int     `json:"target_year"`
		BaseYear   *int     `json:"base_year"`
	} `json:"progress_calculation_options"`
}

// parseOpenSDG reads an Open SDG data file (data may be nil) and its
// metadata (may be nil): totals become observations, the metadata's
// progress_calculation_options become targets of the unit the user names.
func parseOpenSDG(b *Batch, name string, data io.Reader, meta []byte, opt ParseOptions) {
	id := openSDGDataID(name)
	if mid, ok := openSDGMetaID(name); ok {
		id = mid
	}
	ind := IndicatorRec{Pos: Pos{File: name, Row: 1}, Code: openSDGCode(id), Direction: ""}
	if opt.Indicator != "" {
		ind.Code = opt.Indicator
	}
	var m openSDGMeta
	if meta != nil {
		metaName := filepath.Join(filepath.Dir(name), "meta_"+id+".json")
		if err := json.Unmarshal(trimBOM(meta), &m); err != nil {
			b.problem(Pos{File: metaName, Row: jsonErrLine(trimBOM(meta), err)}, "import.malformed", cleanErr(err))
			return
		}
		ind.NameVI, ind.NameEN = m.IndicatorName, m.IndicatorName
		if strings.EqualFold(m.ComputationUnits, "percentage") {
			ind.Measure = "%"
		} else {
			ind.Measure = m.ComputationUnits
		}
		for _, o := range m.Options {
			switch o.Direction {
			case "negative":
				ind.Direction = "lower"
			case "positive":
				ind.Direction = "higher"
			}
		}
	}
	if ind.NameEN == "" {
		ind.NameVI, ind.NameEN = ind.Code, ind.Code
	}
	b.Indicators = append(b.Indicators, ind)
	totals := map[int]float64{}
	if data != nil {
		readOpenSDGData(name, data, ind, b, totals)
	}
	for _, o := range m.Options {
		if o.Target == nil || o.TargetYear == nil {
			continue
		}
		t := TargetRec{Pos: Pos{File: name, Row: 1, Column: "progress_calculation_options"},
			Indicator: Ref{Code: ind.Code}, Year: *o.TargetYear, Value: *o.Target, Source: "Open SDG " + m.IndicatorNumber}
		switch o.Direction {
		case "negative":
			t.Comparator = "at_most"
		case "positive":
			t.Comparator = "at_least"
		}
		if o.BaseYear != nil {
			t.BaselineYear = o.BaseYear
			if v, ok := totals[*o.BaseYear]; ok {
				t.BaselineValue = &v
			}
		}
		b.Targets = append(b.Targets, t)
	}
}

func readOpenSDGData(name string, data io.Reader, ind IndicatorRec, b *Batch, totals map[int]float64) {
	t := readTable(name, data, ',', 0, b)
	if t.header == nil {
		return
	}
	if !t.has("year") || !t.has("value") {
		b.problem(Pos{File: name, Row: 1}, "import.missing_columns", "Year, Value")
		return
	}
	var breakdowns []string
	for _, h := range t.header {
		if c := normCol(h); !openSDGFixed[c] {
			breakdowns = append(breakdowns, c)
		}
	}
	for t.next() {
		b.Rows++
		if t.short(b) {
			continue
		}
		pos := t.pos("")
		other := false
		for _, c := range breakdowns {
			other = other || t.cell(c) != ""
		}
		raw := t.cell("value")
		if other || raw == "" {
			b.LeftOut++
			continue
		}
		year, _, ok := yearOf(t.cell("year"))
		if !ok {
			pos.Column = t.header[t.index["year"]]
			b.problem(pos, "import.bad_year", t.cell("year"))
			continue
		}
		v, ok := parseNumber(raw)
		if !ok {
			pos.Column = t.header[t.index["value"]]
			b.problem(pos, "import.bad_number", raw)
			continue
		}
		code := ind.Code
		if s := t.cell("series"); s != "" {
			code = ind.Code + " " + s
		}
		o := ObsRec{Pos: pos, Indicator: Ref{Code: code, NameVI: ind.NameVI, NameEN: ind.NameEN}, Period: strconv.Itoa(year), Value: v}
		if g := t.cell("geography"); g != "" {
			o.Unit = Ref{NameVI: g, NameEN: g}
		} else {
			totals[year] = v
		}
		b.observe(o)
	}
}

func trimBOM(d []byte) []byte {
	if len(d) >= 3 && string(d[:3]) == string(bom) {
		return d[3:]
	}
	return d
}

// jsonErrLine is the line of a JSON syntax or type error.
func jsonErrLine(data []byte, err error) int {
	var off int64 = -1
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		off = syntax.Offset
	case errors.As(err, &typ):
		off = typ.Offset
	}
	if off < 0 {
		return 0
	}
	return strings.Count(string(data[:min(int(off), len(data))]), "\n") + 1
}
