package importer

// SampleSize is how many rows a preview shows as they will be stored.
const SampleSize = 20

// SampleRow is one value as the import will store it: the numbers parsed,
// the periods and codes resolved, so a planner sees what the file means
// before anything is written.
type SampleRow struct {
	Indicator string  `json:"indicator"`
	Unit      string  `json:"unit"`
	Period    string  `json:"period"`
	Breakdown string  `json:"breakdown"` // "" for the total
	Value     float64 `json:"value"`
	Note      string  `json:"note,omitempty"`
	Source    string  `json:"source,omitempty"`
	Change    string  `json:"change"` // create or update
}

// Sample is the first n values (at most SampleSize) the import will write,
// in the file's order.
func (p *Plan) Sample(n int) []SampleRow {
	out := []SampleRow{}
	for _, w := range p.sample {
		if len(out) == n {
			break
		}
		change := "create"
		if w.update {
			change = "update"
		}
		out = append(out, SampleRow{Indicator: w.indicator, Unit: w.unit, Period: w.period, Breakdown: w.breakdown, Value: w.value,
			Note: w.note, Source: w.source, Change: change})
	}
	return out
}
