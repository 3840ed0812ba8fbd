package reports

import (
	"bufio"
	"encoding/json"
	"io"

	"tiendo/models"
)

// The JSON export has the API's shapes (units, indicators with targets,
// assessments), with the observations streamed last.
type jsonUnit struct {
	Code   string  `json:"code"`
	NameVI string  `json:"name_vi"`
	NameEN string  `json:"name_en"`
	Level  string  `json:"level"`
	Parent *string `json:"parent"`
}

type jsonTarget struct {
	Indicator string `json:"indicator"`
	Unit      string `json:"unit"`
	models.Target
}

type jsonIndicator struct {
	models.Indicator
	Pillar string `json:"pillar"`
}

type jsonObservation struct {
	Indicator string `json:"indicator"`
	Unit      string `json:"unit"`
	models.Observation
	Breakdown string `json:"breakdown"` // "": the total
}

// Assessment is one assessment as the API and the JSON export write it.
type Assessment struct {
	Indicator  string `json:"indicator"`
	Unit       string `json:"unit"`
	TargetYear *int   `json:"target_year"`
	// TargetUnit is whose target it is: the unit's own, or an ancestor's
	// the unit inherits where it has none (null without a target).
	TargetUnit *string            `json:"target_unit"`
	Comparator *models.Comparator `json:"comparator"`
	TargetVal  *float64           `json:"target_value"`
	TargetMax  *float64           `json:"target_value_max"`
	Yearly     bool               `json:"yearly"`
	models.Assessment
	// Breakdowns are the breakdowns the indicator names to assess beside
	// its total, each with its own status against the same target.
	Breakdowns []BreakdownAssessment `json:"breakdowns,omitempty"`
}

// BreakdownAssessment is the assessment of one breakdown beside a total.
type BreakdownAssessment struct {
	Breakdown string `json:"breakdown"`
	Assessment
}

// NewAssessments are the JSON views of a unit's progress rows, each with
// the assessments of its breakdowns (bds parallel to rows; may be nil).
func NewAssessments(rows []models.Progress, bds [][]models.BreakdownProgress) []Assessment {
	out := make([]Assessment, len(rows))
	for i, r := range rows {
		out[i] = NewAssessment(r)
		if i < len(bds) {
			for _, b := range bds[i] {
				out[i].Breakdowns = append(out[i].Breakdowns, BreakdownAssessment{Breakdown: b.Breakdown, Assessment: NewAssessment(b.Progress)})
			}
		}
	}
	return out
}

// WriteJSON writes the dataset as one JSON object, streaming the targets,
// assessments and observations as they are read.
func WriteJSON(w io.Writer, d *Dataset, progress func(rows int)) error {
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	head := struct {
		Generated  string          `json:"generated"`
		Filter     Filter          `json:"filter"`
		Units      []jsonUnit      `json:"units"`
		Indicators []jsonIndicator `json:"indicators"`
	}{Generated: d.Generated.UTC().Format("2006-01-02T15:04:05Z"), Filter: d.Filter,
		Units: []jsonUnit{}, Indicators: []jsonIndicator{}}
	for _, u := range d.Units {
		ju := jsonUnit{Code: u.Code, NameVI: u.NameVI, NameEN: u.NameEN, Level: u.Level}
		if u.Parent != nil {
			ju.Parent = &u.Parent.Code
		}
		head.Units = append(head.Units, ju)
	}
	for _, ind := range d.Indicators {
		head.Indicators = append(head.Indicators, jsonIndicator{Indicator: ind, Pillar: ind.Pillar.Code})
	}
	b, err := json.Marshal(head)
	if err != nil {
		return err
	}
	// Open the object, leave it unclosed, and stream the arrays in.
	bw.Write(b[:len(b)-1])
	first := true
	item := func(v any) error {
		if !first {
			bw.WriteByte(',')
		}
		first = false
		return enc.Encode(v)
	}
	array := func(name string, each func() error) error {
		bw.WriteString(`,"` + name + `":[`)
		first = true
		if err := each(); err != nil {
			return err
		}
		bw.WriteString("]")
		return nil
	}
	arrays := []struct {
		name string
		each func() error
	}{
		{"targets", func() error {
			return d.EachTarget(func(t models.Target, ind models.Indicator, u models.Unit) error {
				return item(jsonTarget{Indicator: ind.Code, Unit: u.Code, Target: t})
			})
		}},
		{"assessments", func() error {
			return d.EachAssessment(func(p models.Progress) error {
				bds, err := d.breakdownAssessments(p)
				if err != nil {
					return err
				}
				return item(NewAssessments([]models.Progress{p}, [][]models.BreakdownProgress{bds})[0])
			})
		}},
		{"observations", func() error {
			return d.eachObservation(progress, func(o models.Observation, ind models.Indicator, u models.Unit) error {
				return item(jsonObservation{Indicator: ind.Code, Unit: u.Code, Observation: o, Breakdown: o.Breakdown})
			})
		}},
	}
	for _, a := range arrays {
		if err := array(a.name, a.each); err != nil {
			return err
		}
	}
	bw.WriteString("}\n")
	return bw.Flush()
}

// NewAssessment is the JSON view of one progress row.
func NewAssessment(p models.Progress) Assessment {
	a := Assessment{Indicator: p.Indicator.Code, Unit: p.Unit.Code, Assessment: p.Assessment}
	if t := p.Target; t != nil {
		a.TargetYear, a.Comparator, a.TargetVal, a.TargetMax, a.Yearly = &t.Year, &t.Comparator, &t.Value, t.ValueMax, t.Yearly
		owner := p.Unit.Code
		if t.UnitID != p.Unit.ID {
			owner = t.Unit.Code
		}
		a.TargetUnit = &owner
	}
	return a
}
