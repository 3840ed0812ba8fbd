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
	"ref_area": true, "obs_status": true, "obs_conf": true, "unit_mult": true, "decimals": true, "base_per": true,
	"availability": true, "collection": true, "title": true, "comment": true, "obs_pre_break": true, "durability": true,
	"time_format": true, "compiling_org": true,
}

// parseSDMX reads SDMX-CSV 1.0 (DATAFLOW first) and 2.0 (STRUCTURE,
// STRUCTURE_ID first). Each series key (the dataflow and its dimension
// values) is an indicator; REF_AREA, when present, is the unit.
func parseSDMX(b *Batch, name string, data io.Reader, opt ParseOptions) {
	t := readTable(name, data, ',', 0, b)
	if t.header == nil {
		return
	}
	if !t.has("time_period") || !t.has("obs_value") {
		b.problem(Pos{File: name, Row: 1}, "import.missing_columns", "TIME_PERIOD, OBS_VALUE")
		return
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
	for t.next() {
		b.Rows++
		if t.short(b) {
			continue
		}
		pos := t.pos("")
		raw := t.cell("obs_value")
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
		period, ok := canonicalPeriod(t.cell("time_period"))
		if !ok {
			pos.Column = "TIME_PERIOD"
			b.problem(pos, "import.bad_period", t.cell("time_period"))
			continue
		}
		key := make([]string, len(dims))
		for k, d := range dims {
			key[k] = t.cell(d)
		}
		flow := t.cell(flowCol)
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
		o := ObsRec{Pos: pos, Indicator: Ref{Code: code, NameVI: label, NameEN: label}, Period: period, Value: v, Source: "SDMX " + t.cell(flowCol)}
		if area := t.cell("ref_area"); area != "" {
			o.Unit = Ref{Code: area, NameVI: area, NameEN: area}
		}
		b.observe(o)
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
