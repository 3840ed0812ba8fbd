package importer

import (
	"strings"
	"unicode"
)

// sdmxNonDimensions are SDMX-CSV columns that are not dimensions: the
// structure columns, the observation and the usual attributes.
var sdmxNonDimensions = map[string]bool{
	"dataflow": true, "structure": true, "structure_id": true, "action": true, "time_period": true, "obs_value": true,
	"ref_area": true, "obs_status": true, "obs_conf": true, "unit_mult": true, "decimals": true, "base_per": true,
	"availability": true, "collection": true, "title": true, "comment": true, "obs_pre_break": true, "durability": true,
	"time_format": true, "compiling_org": true,
}

// parseSDMX reads SDMX-CSV 1.0 (DATAFLOW first) and 2.0 (STRUCTURE,
// STRUCTURE_ID first). Each series key (the dataflow and its dimension
// values) is an indicator; REF_AREA, when present, is the unit.
func parseSDMX(name string, data []byte, opt ParseOptions) *Batch {
	b := &Batch{Files: []string{name}}
	t := readTable(name, data, ',', 0, b)
	if t.header == nil {
		return b
	}
	if !t.has("time_period") || !t.has("obs_value") {
		b.problem(Pos{File: name, Row: 1}, "import.missing_columns", "TIME_PERIOD, OBS_VALUE")
		return b
	}
	flowCol := "dataflow"
	if t.has("structure_id") {
		flowCol = "structure_id"
	}
	var dims []string
	for j, h := range t.header {
		if j > t.index["obs_value"] {
			break // attributes follow the observation
		}
		if c := normCol(h); !sdmxNonDimensions[c] {
			dims = append(dims, c)
		}
	}
	seen := map[string]bool{}
	for i := range t.rows {
		b.Rows++
		if t.short(i, b) {
			continue
		}
		pos := Pos{File: name, Row: t.lines[i]}
		raw := t.cell(i, "obs_value")
		if raw == "" || strings.EqualFold(raw, "NaN") {
			b.LeftOut++
			continue
		}
		v, ok := parseNumber(raw)
		if !ok {
			pos.Column = "OBS_VALUE"
			b.problem(pos, "import.bad_number", raw)
			continue
		}
		period, ok := canonicalPeriod(t.cell(i, "time_period"))
		if !ok {
			pos.Column = "TIME_PERIOD"
			b.problem(pos, "import.bad_period", t.cell(i, "time_period"))
			continue
		}
		key := make([]string, len(dims))
		for k, d := range dims {
			key[k] = t.cell(i, d)
		}
		flow := t.cell(i, flowCol)
		if j := strings.Index(flow, ":"); j >= 0 {
			flow = flow[j+1:]
		}
		code := sdmxCode(flow + "." + strings.Join(key, "."))
		if opt.Indicator != "" {
			code = opt.Indicator
		}
		label := code
		if !seen[code] {
			seen[code] = true
			b.Indicators = append(b.Indicators, IndicatorRec{Pos: pos, Code: code, NameVI: label, NameEN: label})
		}
		o := ObsRec{Pos: pos, Indicator: Ref{Code: code, NameVI: label, NameEN: label}, Period: period, Value: v, Source: "SDMX " + t.cell(i, flowCol)}
		if area := t.cell(i, "ref_area"); area != "" {
			o.Unit = Ref{Code: area, NameVI: area, NameEN: area}
		}
		b.Observations = append(b.Observations, o)
	}
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
