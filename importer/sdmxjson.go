package importer

import (
	"bytes"
	"encoding/json"
	"math"
	"sort"
	"strconv"
	"strings"
)

// SDMX-JSON data messages in the layouts in use: the early one
// (structure and dataSets at the top), 1.0 (data.structure) and 2.0
// (data.structures, each data set pointing at its own).
type sdmxJSONMessage struct {
	DataSets  []sdmxJSONDataSet  `json:"dataSets"`
	Structure *sdmxJSONStructure `json:"structure"`
	Data      *struct {
		DataSets   []sdmxJSONDataSet   `json:"dataSets"`
		Structure  *sdmxJSONStructure  `json:"structure"`
		Structures []sdmxJSONStructure `json:"structures"`
	} `json:"data"`
}

type sdmxJSONStructure struct {
	Dimensions struct {
		DataSet     []sdmxJSONComponent `json:"dataSet"`
		Series      []sdmxJSONComponent `json:"series"`
		Observation []sdmxJSONComponent `json:"observation"`
	} `json:"dimensions"`
	Attributes struct {
		DataSet     []sdmxJSONComponent `json:"dataSet"`
		Observation []sdmxJSONComponent `json:"observation"`
	} `json:"attributes"`
}

// sdmxJSONComponent is a dimension or an attribute with its values.
type sdmxJSONComponent struct {
	ID     string            `json:"id"`
	Name   json.RawMessage   `json:"name"`
	Names  map[string]string `json:"names"`
	Values []struct {
		ID    string            `json:"id"`
		Name  json.RawMessage   `json:"name"`
		Names map[string]string `json:"names"`
	} `json:"values"`
}

type sdmxJSONDataSet struct {
	Structure    int                          `json:"structure"`
	Series       map[string]sdmxJSONSeries    `json:"series"`
	Observations map[string][]json.RawMessage `json:"observations"`
}

type sdmxJSONSeries struct {
	Observations map[string][]json.RawMessage `json:"observations"`
}

// sdmxJSONName reads a name written as a string or as {"en": …}: English
// first, else any.
func sdmxJSONName(raw json.RawMessage, names map[string]string) string {
	var s string
	if json.Unmarshal(raw, &s) == nil && s != "" {
		return s
	}
	var m map[string]string
	_ = json.Unmarshal(raw, &m)
	for _, src := range []map[string]string{m, names} {
		if v := src["en"]; v != "" {
			return v
		}
		keys := make([]string, 0, len(src))
		for k := range src {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if src[k] != "" {
				return src[k]
			}
		}
	}
	return ""
}

// looksLikeSDMXJSON tells an SDMX-JSON data message from other JSON (Open
// SDG metadata) by the first bytes: its data sets, its structures, or the
// meta and data of a 1.0 or 2.0 message.
func looksLikeSDMXJSON(head []byte) bool {
	has := func(k string) bool { return bytes.Contains(head, []byte(`"`+k+`"`)) }
	return has("dataSets") || has("structures") || (has("structure") && has("dimensions")) || (has("meta") && has("data"))
}

// parseSDMXJSON reads an SDMX-JSON data message: series or flat
// observation keys, dimensions fixed at data-set level; null and NaN
// values are left out and counted.
func parseSDMXJSON(b *Batch, name string, data []byte, opt ParseOptions) {
	var msg sdmxJSONMessage
	if err := json.Unmarshal(data, &msg); err != nil {
		b.problem(Pos{File: name, Row: jsonErrLine(data, err)}, "import.malformed", cleanErr(err))
		return
	}
	sets, structures := msg.DataSets, []sdmxJSONStructure{}
	if msg.Structure != nil {
		structures = append(structures, *msg.Structure)
	}
	if msg.Data != nil {
		sets = append(sets, msg.Data.DataSets...)
		if msg.Data.Structure != nil {
			structures = append(structures, *msg.Data.Structure)
		}
		structures = append(structures, msg.Data.Structures...)
	}
	if len(structures) == 0 {
		b.problem(Pos{File: name, Row: 1}, "breakdown_import.sdmx_json_shape")
		return
	}
	// The frequency first: a message of daily values is refused whole.
	for _, st := range structures {
		for _, c := range append(append(append(st.Dimensions.DataSet, st.Dimensions.Series...), st.Dimensions.Observation...), st.Attributes.DataSet...) {
			if !strings.EqualFold(c.ID, sdmxFreq) {
				continue
			}
			for _, v := range c.Values {
				if sdmxTooFine(v.ID) {
					b.problem(Pos{File: name, Row: 1, Column: c.ID}, "breakdown_import.frequency_too_fine", sdmxFrequencies[strings.ToUpper(v.ID)], v.ID)
					return
				}
			}
		}
	}
	n := 0
	for _, ds := range sets {
		st := structures[0]
		if ds.Structure > 0 && ds.Structure < len(structures) {
			st = structures[ds.Structure]
		}
		var ids []string
		for _, c := range append(append(append([]sdmxJSONComponent{}, st.Dimensions.DataSet...), st.Dimensions.Series...), st.Dimensions.Observation...) {
			ids = append(ids, c.ID)
		}
		r := newSDMXReader(b, opt, ids)
		var fixed []sdmxItem
		for _, c := range st.Dimensions.DataSet {
			if len(c.Values) > 0 {
				fixed = append(fixed, sdmxJSONItem(c, 0))
			}
		}
		read := func(seriesKey, obsKey string, seriesDims, obsDims []sdmxJSONComponent, cells []json.RawMessage) {
			n++
			b.Rows++
			pos := Pos{File: name, Row: n, Column: strings.Trim(seriesKey+":"+obsKey, ":")}
			items := append([]sdmxItem{}, fixed...)
			ok := true
			for _, part := range []struct {
				key  string
				dims []sdmxJSONComponent
			}{{seriesKey, seriesDims}, {obsKey, obsDims}} {
				if len(part.dims) == 0 {
					continue
				}
				idx := strings.Split(part.key, ":")
				if len(idx) != len(part.dims) {
					ok = false
					break
				}
				for k, s := range idx {
					i, err := strconv.Atoi(s)
					if err != nil || i < 0 || i >= len(part.dims[k].Values) {
						ok = false
						break
					}
					items = append(items, sdmxJSONItem(part.dims[k], i))
				}
			}
			if !ok {
				b.problem(pos, "breakdown_import.sdmx_json_key", pos.Column)
				return
			}
			v, present, good := sdmxJSONValue(cells)
			switch {
			case !present:
				b.LeftOut++
				return
			case !good:
				b.problem(pos, "import.bad_number", string(cells[0]))
				return
			}
			period := ""
			for _, it := range items {
				if strings.EqualFold(it.dim, sdmxTime) || strings.EqualFold(it.dim, "TIME") {
					period = it.id
				}
			}
			p, okp := canonicalPeriod(period)
			if !okp {
				b.problem(pos.at(sdmxTime), "import.bad_period", period)
				return
			}
			r.emit(sdmxObs{pos: pos, items: items, period: p, value: v, note: sdmxJSONNote(st, cells)})
		}
		for _, sk := range sortedKeys(ds.Series) {
			s := ds.Series[sk]
			for _, ok := range sortedKeys(s.Observations) {
				read(sk, ok, st.Dimensions.Series, st.Dimensions.Observation, s.Observations[ok])
			}
		}
		for _, ok := range sortedKeys(ds.Observations) {
			read("", ok, nil, st.Dimensions.Observation, ds.Observations[ok])
		}
	}
}

func sdmxJSONItem(c sdmxJSONComponent, i int) sdmxItem {
	v := c.Values[i]
	dimName := orElse(sdmxJSONName(c.Name, c.Names), c.ID)
	return sdmxItem{dim: c.ID, dimName: dimName, id: v.ID, name: orElse(sdmxJSONName(v.Name, v.Names), v.ID)}
}

// sdmxJSONValue reads an observation's value: a number or a number in a
// string; null, a missing value and NaN are not present.
func sdmxJSONValue(cells []json.RawMessage) (v float64, present, ok bool) {
	if len(cells) == 0 || string(cells[0]) == "null" {
		return 0, false, true
	}
	var s string
	if json.Unmarshal(cells[0], &s) == nil {
		if s == "" || strings.EqualFold(s, "NaN") {
			return 0, false, true
		}
		v, ok = parseNumber(s)
		return v, true, ok && !math.IsInf(v, 0) && !math.IsNaN(v)
	}
	if err := json.Unmarshal(cells[0], &v); err != nil {
		return 0, true, false
	}
	return v, true, true
}

// sdmxJSONNote keeps an observation's status and comment attributes.
func sdmxJSONNote(st sdmxJSONStructure, cells []json.RawMessage) string {
	var parts []string
	for k, a := range st.Attributes.Observation {
		if k+1 >= len(cells) {
			break
		}
		var i int
		if json.Unmarshal(cells[k+1], &i) != nil || i < 0 || i >= len(a.Values) {
			continue
		}
		switch strings.ToUpper(a.ID) {
		case "OBS_STATUS", "COMMENT_OBS", "UNIT_MULT", "NATURE":
			parts = append(parts, a.ID+": "+orElse(sdmxJSONName(a.Values[i].Name, a.Values[i].Names), a.Values[i].ID))
		}
	}
	return strings.Join(parts, "; ")
}

// sortedKeys lists a map's keys in order, so records keep one order from
// run to run.
func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
