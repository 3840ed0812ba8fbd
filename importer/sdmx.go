package importer

import (
	"io"
	"strings"
	"unicode"
)

// sdmxNonDimensions are SDMX-CSV columns that are not dimensions: the
// structure columns, the observation and the usual attributes.
var sdmxNonDimensions = map[string]bool{
	"dataflow": true, "structure": true, "structure_id": true, "action": true, "time_period": true, "obs_value": true,
	"obs_status": true, "obs_conf": true, "unit_mult": true, "decimals": true, "base_per": true,
	"availability": true, "collection": true, "title": true, "comment": true, "obs_pre_break": true, "durability": true,
	"time_format": true, "compiling_org": true,
}

// Dimensions that are neither breakdowns nor the unit nor the indicator:
// the frequency (checked, the period says it) and the unit of measure
// (the indicator's measure).
const (
	sdmxFreq    = "FREQ"
	sdmxMeasure = "UNIT_MEASURE"
	sdmxTime    = "TIME_PERIOD"
)

// DefaultUnitDimension is the SDMX dimension that holds the unit unless
// --unit-dimension names another.
const DefaultUnitDimension = "REF_AREA"

// IndicatorDimensions are the dimensions that hold the indicator, the
// first present wins unless --indicator-dimension names another.
var IndicatorDimensions = []string{"INDICATOR", "SERIES", "MEASURE"}

// sdmxFrequencies are the SDMX frequency codes (CL_FREQ) finer than a
// month, which a period here cannot hold.
var sdmxFrequencies = map[string]string{"D": "daily", "B": "business daily", "W": "weekly", "H": "hourly",
	"N": "minutely", "I": "irregular (date and time)", "S": "half-monthly"}

// sdmxTooFine is the problem of a frequency finer than a month, or "".
func sdmxTooFine(freq string) bool {
	_, bad := sdmxFrequencies[strings.ToUpper(freq)]
	return bad
}

// sdmxItem is one dimension's value of an observation: the dimension's id
// and name, the value's id and name.
type sdmxItem struct {
	dim, dimName, id, name string
}

// sdmxObs is one observation before its indicator is named.
type sdmxObs struct {
	pos          Pos
	items        []sdmxItem
	period       string
	value        float64
	note, source string
	flow         string // the dataflow's id, naming the indicator when no dimension does
}

// sdmxReader turns observations keyed by dimensions into records: the
// unit dimension names the unit, the indicator dimension the indicator
// (else the dataflow does), UNIT_MEASURE its measure, every other
// dimension a breakdown, _T being the total.
type sdmxReader struct {
	b        *Batch
	opt      ParseOptions
	unitDim  string
	indDim   string
	seen     map[string]bool           // indicators named so far
	measures map[string]map[string]int // units of measure of each indicator, in the order seen
}

func newSDMXReader(b *Batch, opt ParseOptions, dims []string) *sdmxReader {
	r := &sdmxReader{b: b, opt: opt, unitDim: strings.ToUpper(opt.UnitDimension), indDim: strings.ToUpper(opt.IndicatorDimension),
		seen: map[string]bool{}, measures: map[string]map[string]int{}}
	if r.unitDim == "" {
		r.unitDim = DefaultUnitDimension
	}
	if r.indDim == "" {
		for _, c := range IndicatorDimensions {
			for _, d := range dims {
				if strings.EqualFold(d, c) && r.indDim == "" {
					r.indDim = c
				}
			}
		}
	}
	return r
}

// sdmxLabel splits "CODE: Name" (SDMX-CSV written with labels) into its
// id and name; a plain code is its own name.
func sdmxLabel(s string) (id, name string) {
	s = strings.TrimSpace(s)
	if id, name, ok := strings.Cut(s, ": "); ok {
		return strings.TrimSpace(id), strings.TrimSpace(name)
	}
	return s, s
}

// emit names the indicator of an observation and hands the record on: an
// indicator's first unit of measure keeps its code, each other unit makes
// an indicator of its own (code suffixed with the unit).
func (r *sdmxReader) emit(o sdmxObs) {
	ind, ok := r.indicatorOf(o)
	if !ok {
		return
	}
	if m := r.measureOf(o); m != "" {
		if r.measures[ind.Code] == nil {
			r.measures[ind.Code] = map[string]int{}
		}
		n, seen := r.measures[ind.Code][m]
		if !seen {
			n = len(r.measures[ind.Code])
			r.measures[ind.Code][m] = n
		}
		if n > 0 {
			ind.Code += "." + sdmxCode(m)
		}
		ind.Measure = openSDGMeasureOf(m)
	}
	if !r.seen[ind.Code] {
		r.seen[ind.Code] = true
		ind.Pos = o.pos
		r.b.Indicators = append(r.b.Indicators, ind)
	}
	rec := ObsRec{Pos: o.pos, Indicator: Ref{Code: ind.Code, NameVI: ind.NameVI, NameEN: ind.NameEN}, Period: o.period, Value: o.value,
		Note: o.note, Source: o.source}
	pairs := map[string]string{}
	for _, it := range o.items {
		switch strings.ToUpper(it.dim) {
		case r.unitDim:
			rec.Unit = Ref{Code: it.id, NameVI: it.name, NameEN: it.name}
		case r.indDim, sdmxFreq, sdmxMeasure, sdmxTime:
		default:
			if it.id == "" {
				continue
			}
			d := r.b.dimension(o.pos.at(it.dim), it.dim, it.dimName)
			r.b.dimValue(d, it.id, it.name)
			pairs[it.dim] = it.id
		}
	}
	rec.Breakdown = breakdownOf(pairs)
	r.b.observe(rec)
}

// indicatorOf is the indicator of an observation: --indicator, else the
// indicator dimension's value (its id as the code, case kept; its name as
// the name), else the dataflow.
func (r *sdmxReader) indicatorOf(o sdmxObs) (IndicatorRec, bool) {
	if r.opt.Indicator != "" {
		return IndicatorRec{Code: r.opt.Indicator, NameVI: r.opt.Indicator, NameEN: r.opt.Indicator}, true
	}
	if r.indDim != "" {
		for _, it := range o.items {
			if strings.EqualFold(it.dim, r.indDim) && it.id != "" {
				return IndicatorRec{Code: sdmxCode(it.id), NameVI: it.name, NameEN: it.name}, true
			}
		}
	}
	code := sdmxCode(o.flow)
	return IndicatorRec{Code: code, NameVI: code, NameEN: code}, code != ""
}

func (r *sdmxReader) measureOf(o sdmxObs) string {
	for _, it := range o.items {
		if strings.EqualFold(it.dim, sdmxMeasure) {
			return it.id
		}
	}
	return ""
}

// parseSDMX reads SDMX-CSV 1.0 (DATAFLOW first) and 2.0 (STRUCTURE,
// STRUCTURE_ID first), the columns before OBS_VALUE being dimensions.
func parseSDMX(b *Batch, name string, data io.Reader, opt ParseOptions) {
	t := readTable(name, data, ',', 0, b)
	if t.header == nil {
		return
	}
	for j, h := range t.header {
		id, _ := sdmxLabel(h) // SDMX-CSV 2.0 written with labels: "TIME_PERIOD: Time period"
		t.index[normCol(id)] = j
	}
	if !t.has("time_period") || !t.has("obs_value") {
		b.problem(Pos{File: name, Row: 1}, "import.missing_columns", "TIME_PERIOD, OBS_VALUE")
		return
	}
	flowCol := "dataflow"
	if t.has("structure_id") {
		flowCol = "structure_id"
	}
	var dims []int
	var dimIDs, dimNames []string
	for j, h := range t.header {
		if j > t.index["obs_value"] {
			break // attributes follow the observation
		}
		if id, label := sdmxLabel(h); !sdmxNonDimensions[normCol(id)] {
			dims, dimIDs, dimNames = append(dims, j), append(dimIDs, id), append(dimNames, label)
		}
	}
	r := newSDMXReader(b, opt, dimIDs)
	for t.next() {
		b.Rows++
		if t.short(b) {
			continue
		}
		pos := t.pos("")
		if f, _ := sdmxLabel(t.cell("freq")); sdmxTooFine(f) {
			b.problem(pos.at("FREQ"), "breakdown_import.frequency_too_fine", sdmxFrequencies[strings.ToUpper(f)], f)
			return
		}
		raw := t.cell("obs_value")
		if raw == "" || strings.EqualFold(raw, "NaN") {
			b.LeftOut++
			continue
		}
		v, ok := parseNumber(raw)
		if !ok {
			b.problem(pos.at("OBS_VALUE"), "import.bad_number", raw)
			continue
		}
		period, ok := canonicalPeriod(t.cell("time_period"))
		if !ok {
			b.problem(pos.at("TIME_PERIOD"), "import.bad_period", t.cell("time_period"))
			continue
		}
		flow := t.cell(flowCol)
		if j := strings.Index(flow, ":"); j >= 0 {
			flow = flow[j+1:]
		}
		o := sdmxObs{pos: pos, period: period, value: v, source: "SDMX " + t.cell(flowCol), flow: flow}
		for k, j := range dims {
			id, label := sdmxLabel(t.row[j])
			o.items = append(o.items, sdmxItem{dim: dimIDs[k], dimName: dimNames[k], id: id, name: label})
		}
		r.emit(o)
	}
}

// sdmxCode makes a series key a code: the characters a code may not hold
// (the "@" and "(1.0)" of a dataflow id) become underscores.
func sdmxCode(key string) string {
	return strings.Map(func(r rune) rune {
		if r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '.' || r == '-' || r == '_') {
			return r
		}
		return '_'
	}, key)
}
