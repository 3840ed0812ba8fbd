package importer

import (
	"encoding/json"
	"errors"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"
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

// Columns of an Open SDG data file that are not breakdowns, as sdg-build
// treats them (its non_disaggregation_columns and observation_attributes,
// with the SDMX attributes national platforms add), by what they hold.
// Every other column is a breakdown.
var (
	openSDGSeries   = map[string]bool{"series": true}
	openSDGMeasure  = map[string]bool{"units": true, "unit measure": true, "unit_measure": true}
	openSDGGeo      = map[string]bool{"geography": true, "geocode": true}
	openSDGSource   = map[string]bool{"source_detail": true}
	openSDGComments = map[string]bool{"comment_obs": true, "comment_ts": true}
	// Attributes kept in the note as "column: value".
	openSDGAttributes = map[string]bool{"observation status": true, "obs_status": true, "unit multiplier": true, "unit_mult": true,
		"reporting_type": true, "nature": true}
	// Metadata of the whole file, not of a value.
	openSDGIgnored = map[string]bool{"data_last_update": true}
)

func openSDGFixed(c string) bool {
	return c == "year" || c == "value" || openSDGSeries[c] || openSDGMeasure[c] || openSDGGeo[c] || openSDGSource[c] ||
		openSDGComments[c] || openSDGAttributes[c] || openSDGIgnored[c]
}

type openSDGMeta struct {
	IndicatorNumber  string `json:"indicator_number"`
	IndicatorName    string `json:"indicator_name"`
	ComputationUnits string `json:"computation_units"`
	Options          []struct {
		Direction  string   `json:"direction"`
		Target     *float64 `json:"target"`
		TargetYear *int     `json:"target_year"`
		BaseYear   *int     `json:"base_year"`
		Series     string   `json:"series"`
		Unit       string   `json:"unit"`
	} `json:"progress_calculation_options"`
}

// measureNameMax is the longest a measure's name may be (models' rule for
// measure_vi and measure_en).
const measureNameMax = 64

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
		switch units := strings.TrimSpace(m.ComputationUnits); {
		case strings.EqualFold(units, "percentage"):
			ind.Measure = "%"
		case utf8.RuneCountInString(units) > measureNameMax:
			// A sentence, not a measure's name ("Number of litres of pure
			// alcohol sales per person aged 15 years and older in a year"):
			// kept in the indicator's notes.
			ind.NotesVI, ind.NotesEN = "Computation units: "+units, "Computation units: "+units
		default:
			ind.Measure = units
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
	// The data's series and units of measure name its indicators; a file
	// without them (or metadata alone) is the indicator of its id.
	totals := map[openSDGSeriesKey]map[int]float64{}
	var keys []openSDGSeriesKey
	if data != nil {
		keys = readOpenSDGData(name, data, ind, b, totals)
	}
	if len(keys) == 0 {
		keys = []openSDGSeriesKey{{}}
		b.Indicators = append(b.Indicators, ind)
	}
	for _, o := range m.Options {
		if o.Target == nil || o.TargetYear == nil {
			continue
		}
		for _, k := range keys {
			// An option naming a series or unit is that series's only.
			if (o.Series != "" && o.Series != k.series) || (o.Unit != "" && o.Unit != k.measure) {
				continue
			}
			t := TargetRec{Pos: Pos{File: name, Row: 1, Column: "progress_calculation_options"},
				Indicator: Ref{Code: k.code}, Year: *o.TargetYear, Value: *o.Target, Source: "Open SDG " + m.IndicatorNumber}
			if t.Indicator.Code == "" {
				t.Indicator.Code = ind.Code
			}
			switch o.Direction {
			case "negative":
				t.Comparator = "at_most"
			case "positive":
				t.Comparator = "at_least"
			}
			if o.BaseYear != nil {
				t.BaselineYear = o.BaseYear
				if v, ok := totals[k][*o.BaseYear]; ok {
					t.BaselineValue = &v
				}
			}
			b.Targets = append(b.Targets, t)
		}
	}

}

// openSDGSeriesKey is a series and a unit of measure of a file: one
// indicator each, of code code.
type openSDGSeriesKey struct{ series, measure, code string }

// readOpenSDGData reads the rows of a data file; totals gets the totals of
// the default unit (rows naming no area and no breakdown), for baselines.
// It returns the file's series, each with its indicator.
func readOpenSDGData(name string, data io.Reader, ind IndicatorRec, b *Batch, totals map[openSDGSeriesKey]map[int]float64) []openSDGSeriesKey {
	t := readTable(name, data, ',', 0, b)
	if t.header == nil {
		return nil
	}
	if !t.has("year") || !t.has("value") {
		b.problem(Pos{File: name, Row: 1}, "import.missing_columns", "Year, Value")
		return nil
	}
	var series, measure string
	var breakdowns, attributes, comments []int
	for j, h := range t.header {
		c := normCol(h)
		switch {
		case openSDGSeries[c]:
			series = c
		case openSDGMeasure[c]:
			measure = c
		case openSDGAttributes[c]:
			attributes = append(attributes, j)
		case openSDGComments[c]:
			comments = append(comments, j)
		case !openSDGFixed(c):
			breakdowns = append(breakdowns, j)
		}
	}
	dims := make([]int, len(t.header))
	codes := make([]labelCodes, len(t.header))
	var cols labelCodes
	for _, j := range breakdowns {
		dims[j] = b.dimension(Pos{File: name, Row: 1, Column: t.header[j]}, cols.code(t.header[j], 32), strings.TrimSpace(t.header[j]))
	}
	inds := map[openSDGSeriesKey]openSDGSeriesKey{}
	measures := map[string]int{} // units of measure seen per series
	var keys []openSDGSeriesKey
	for t.next() {
		b.Rows++
		if t.short(b) {
			continue
		}
		pos := t.pos("")
		raw := t.cell("value")
		if raw == "" {
			b.LeftOut++
			continue
		}
		year, _, ok := yearOf(t.cell("year"))
		if !ok {
			b.problem(pos.at(t.header[t.index["year"]]), "import.bad_year", t.cell("year"))
			continue
		}
		v, ok := parseNumber(raw)
		if !ok {
			b.problem(pos.at(t.header[t.index["value"]]), "import.bad_number", raw)
			continue
		}
		plain := openSDGSeriesKey{series: t.cell(series), measure: t.cell(measure)}
		key, seen := inds[plain]
		if !seen {
			// A series's first unit of measure names it; each other unit
			// makes an indicator of its own (code suffixed with the unit).
			measures[plain.series]++
			rec := openSDGIndicator(ind, plain, measures[plain.series] > 1)
			rec.Pos, key = pos, plain
			key.code = rec.Code
			inds[plain] = key
			keys = append(keys, key)
			b.Indicators = append(b.Indicators, rec)
			totals[key] = map[int]float64{}
		}
		pairs := map[string]string{}
		for _, j := range breakdowns {
			label := strings.TrimSpace(t.row[j])
			if label == "" {
				continue
			}
			vc := codes[j].code(label, 40)
			if totalCell("", label) {
				vc = TotalCode
			}
			b.dimValue(dims[j], vc, label)
			pairs[b.Dimensions[dims[j]].Code] = vc
		}
		o := ObsRec{Pos: pos, Indicator: Ref{Code: key.code, NameVI: ind.NameVI, NameEN: ind.NameEN}, Period: strconv.Itoa(year), Value: v,
			Note: openSDGNote(t, attributes, comments), Source: t.cell("source_detail"), Breakdown: breakdownOf(pairs)}
		g, gc := t.cell("geography"), t.cell("geocode")
		if g != "" || gc != "" {
			o.Unit = Ref{Code: gc, NameVI: g, NameEN: g, Area: true}
		} else if o.Breakdown == "" {
			totals[key][year] = v
		}
		b.observe(o)
	}
	return keys
}

// openSDGIndicator is the indicator of a series and unit of measure of a
// file: the series names it (its code when it is one: SI_POV_DAY1), else
// the file does; a series with several units of measure makes one
// indicator of each.
func openSDGIndicator(file IndicatorRec, key openSDGSeriesKey, manyMeasures bool) IndicatorRec {
	rec := file
	if key.series != "" {
		rec.Code = sdmxCode(key.series)
		if rec.Code != key.series || len(rec.Code) > 48 {
			rec.Code = file.Code + "-" + madeCode(key.series, 40)
		}
		if file.NameEN == file.Code {
			rec.NameVI, rec.NameEN = key.series, key.series
		} else {
			rec.NameVI, rec.NameEN = file.NameVI+" ("+key.series+")", file.NameEN+" ("+key.series+")"
		}
	}
	if key.measure != "" {
		rec.Measure = openSDGMeasureOf(key.measure)
		if manyMeasures {
			rec.Code += "." + madeCode(key.measure, 12)
		}
	}
	return rec
}

// openSDGMeasureOf reads a unit of measure: the SDMX code for a percentage
// (PT) or its words are "%", any other is kept as written.
func openSDGMeasureOf(s string) string {
	switch fold(s) {
	case "pt", "percent", "percentage", "phantram":
		return "%"
	}
	return s
}

// openSDGNote keeps a row's status and comments: "Observation status: E;
// a comment".
func openSDGNote(t *table, attributes, comments []int) string {
	var parts []string
	for _, j := range attributes {
		if v := strings.TrimSpace(t.row[j]); v != "" {
			parts = append(parts, strings.TrimSpace(t.header[j])+": "+v)
		}
	}
	for _, j := range comments {
		if v := strings.TrimSpace(t.row[j]); v != "" {
			parts = append(parts, v)
		}
	}
	return strings.Join(parts, "; ")
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
