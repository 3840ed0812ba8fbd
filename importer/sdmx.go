package importer

import (
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
	b       *Batch
	opt     ParseOptions
	unitDim string
	indDim  string
	obs     []sdmxObs
}

func newSDMXReader(b *Batch, opt ParseOptions, dims []string) *sdmxReader {
	r := &sdmxReader{b: b, opt: opt, unitDim: strings.ToUpper(opt.UnitDimension), indDim: strings.ToUpper(opt.IndicatorDimension)}
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

// finish names the indicators and writes the records: an indicator whose
// values come in several units of measure is one indicator per unit.
func (r *sdmxReader) finish() {
	measures := map[string]map[string]bool{}
	for _, o := range r.obs {
		ind, _ := r.indicatorOf(o)
		if measures[ind.Code] == nil {
			measures[ind.Code] = map[string]bool{}
		}
		measures[ind.Code][r.measureOf(o)] = true
	}
	seen := map[string]bool{}
	for _, o := range r.obs {
		ind, ok := r.indicatorOf(o)
		if !ok {
			continue
		}
		if m := r.measureOf(o); m != "" {
			if len(measures[ind.Code]) > 1 {
				ind.Code += "." + sdmxCode(m)
			}
			ind.Measure = openSDGMeasureOf(m)
		}
		if !seen[ind.Code] {
			seen[ind.Code] = true
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
				d := r.b.dimension(o.pos.at(it.dim), it.dim, it.dimName)
				if it.id == "" {
					continue
				}
				r.b.dimValue(d, it.id, it.name)
				pairs[it.dim] = it.id
			}
		}
		rec.Breakdown = breakdownOf(pairs)
		r.b.Observations = append(r.b.Observations, rec)
	}
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
func parseSDMX(name string, data []byte, opt ParseOptions) *Batch {
	b := &Batch{Files: []string{name}}
	t := readTable(name, data, ',', 0, b)
	if t.header == nil {
		return b
	}
	for j, h := range t.header {
		id, _ := sdmxLabel(h) // SDMX-CSV 2.0 written with labels: "TIME_PERIOD: Time period"
		t.index[normCol(id)] = j
	}
	if !t.has("time_period") || !t.has("obs_value") {
		b.problem(Pos{File: name, Row: 1}, "import.missing_columns", "TIME_PERIOD, OBS_VALUE")
		return b
	}
	flowCol := "dataflow"
	if t.has("structure_id") {
		flowCol = "structure_id"
	}
	var dims []int
	var dimIDs []string
	for j, h := range t.header {
		if j > t.index["obs_value"] {
			break // attributes follow the observation
		}
		if id, _ := sdmxLabel(h); !sdmxNonDimensions[normCol(id)] {
			dims = append(dims, j)
			dimIDs = append(dimIDs, id)
		}
	}
	r := newSDMXReader(b, opt, dimIDs)
	for i := range t.rows {
		b.Rows++
		if t.short(i, b) {
			continue
		}
		pos := Pos{File: name, Row: t.lines[i]}
		if f, _ := sdmxLabel(t.cell(i, "freq")); sdmxTooFine(f) {
			b.problem(pos.at("FREQ"), "breakdown_import.frequency_too_fine", sdmxFrequencies[strings.ToUpper(f)], f)
			return b
		}
		raw := t.cell(i, "obs_value")
		if raw == "" || strings.EqualFold(raw, "NaN") {
			b.LeftOut++
			continue
		}
		v, ok := parseNumber(raw)
		if !ok {
			b.problem(pos.at("OBS_VALUE"), "import.bad_number", raw)
			continue
		}
		period, ok := canonicalPeriod(t.cell(i, "time_period"))
		if !ok {
			b.problem(pos.at("TIME_PERIOD"), "import.bad_period", t.cell(i, "time_period"))
			continue
		}
		flow := t.cell(i, flowCol)
		if j := strings.Index(flow, ":"); j >= 0 {
			flow = flow[j+1:]
		}
		o := sdmxObs{pos: pos, period: period, value: v, source: "SDMX " + t.cell(i, flowCol), flow: flow}
		for k, j := range dims {
			id, label := sdmxLabel(t.rows[i][j])
			_, dimName := sdmxLabel(t.header[j])
			o.items = append(o.items, sdmxItem{dim: dimIDs[k], dimName: dimName, id: id, name: label})
		}
		r.obs = append(r.obs, o)
	}
	r.finish()
	return b
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
