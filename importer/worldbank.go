package importer

import (
	"encoding/json"
	"strings"
)

type wbRecord struct {
	Indicator struct{ ID, Value string } `json:"indicator"`
	Country   struct{ ID, Value string } `json:"country"`
	ISO3      string                     `json:"countryiso3code"`
	Date      string                     `json:"date"`
	Value     *float64                   `json:"value"`
}

// parseWorldBank reads World Bank API JSON: [ {page}, [ records ] ] (or the
// records under "value", as PowerShell saves them). Null values are left
// out. Rows are the records' positions, counted from 1.
func parseWorldBank(b *Batch, name string, data []byte, opt ParseOptions) {
	var outer []json.RawMessage
	if err := json.Unmarshal(data, &outer); err != nil {
		b.problem(Pos{File: name, Row: jsonErrLine(data, err)}, "import.malformed", cleanErr(err))
		return
	}
	if len(outer) < 2 {
		b.problem(Pos{File: name, Row: 1}, "import.worldbank_shape")
		return
	}
	body := outer[1]
	if strings.HasPrefix(strings.TrimSpace(string(body)), "{") {
		var wrapped struct {
			Value json.RawMessage `json:"value"`
		}
		if err := json.Unmarshal(body, &wrapped); err != nil || wrapped.Value == nil {
			b.problem(Pos{File: name, Row: 1}, "import.worldbank_shape")
			return
		}
		body = wrapped.Value
	}
	var records []json.RawMessage
	if err := json.Unmarshal(body, &records); err != nil {
		b.problem(Pos{File: name, Row: 1}, "import.worldbank_shape")
		return
	}
	seen := map[string]bool{}
	for i, raw := range records {
		b.Rows++
		pos := Pos{File: name, Row: i + 1}
		var r wbRecord
		if err := json.Unmarshal(raw, &r); err != nil {
			pos.Column = "value"
			b.problem(pos, "import.bad_record", cleanErr(err))
			continue
		}
		if r.Value == nil {
			b.LeftOut++
			continue
		}
		period, ok := canonicalPeriod(strings.Replace(r.Date, "M", "-", 1))
		if !ok {
			pos.Column = "date"
			b.problem(pos, "import.bad_period", r.Date)
			continue
		}
		code := r.Indicator.ID
		if opt.Indicator != "" {
			code = opt.Indicator
		}
		if !seen[code] {
			seen[code] = true
			b.Indicators = append(b.Indicators, IndicatorRec{Pos: pos, Code: code, NameVI: r.Indicator.Value, NameEN: r.Indicator.Value,
				Measure: measureOf(r.Indicator.Value)})
		}
		b.observe(ObsRec{Pos: pos, Indicator: Ref{Code: code, NameVI: r.Indicator.Value, NameEN: r.Indicator.Value},
			Unit: Ref{Code: r.Country.ID, NameVI: r.Country.Value, NameEN: r.Country.Value}, Period: period, Value: *r.Value,
			Source: "World Bank " + r.Indicator.ID})
	}
}

// measureOf guesses a measure from a name ending "(% of population)".
func measureOf(name string) string {
	if strings.Contains(name, "%") {
		return "%"
	}
	return ""
}
