package reports

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"
	"time"

	"tiendo/importer"
	"tiendo/models"
)

// WriteCSV writes the dataset in our long format (importer.OwnColumns):
// pillars, units, indicators, targets, observations and assessments, one
// record a row, with codes and both names, UTF-8 with a BOM so Excel shows
// Vietnamese. The file imports back as it is; with Filter.Excel it is made
// for Excel in Vietnamese settings instead (see Filter.Excel).
func WriteCSV(w io.Writer, d *Dataset, progress func(rows int)) error {
	if _, err := w.Write([]byte("\xef\xbb\xbf")); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	col := map[string]int{}
	for i, c := range importer.OwnColumns {
		col[c] = i
	}
	number := func(s string) string { return s }
	if d.Filter.Excel && d.Filter.Lang == "vi" {
		cw.Comma = ';'
		number = func(s string) string { return strings.Replace(s, ".", ",", 1) }
	}
	row := make([]string, len(importer.OwnColumns))
	put := func(kv ...string) error {
		clear(row)
		for i := 0; i+1 < len(kv); i += 2 {
			v := kv[i+1]
			switch {
			case numberColumns[kv[i]]:
				v = number(v)
			case !importer.NumericColumns[kv[i]]:
				v = importer.SpreadsheetText(v)
			}
			row[col[kv[i]]] = v
		}
		return cw.Write(row)
	}
	if err := cw.Write(importer.OwnColumns); err != nil {
		return err
	}
	for _, p := range d.Pillars {
		if err := put("record", "pillar", "pillar", p.Code, "pillar_vi", p.NameVI, "pillar_en", p.NameEN); err != nil {
			return err
		}
	}
	for _, u := range d.Units {
		if err := put(unitRecord(u, d)...); err != nil {
			return err
		}
	}
	for _, ind := range d.Indicators {
		if err := put(indicatorRecord(ind)...); err != nil {
			return err
		}
	}
	err := d.EachTarget(func(t models.Target, ind models.Indicator, u models.Unit) error {
		return put(targetRecord(t, ind, u)...)
	})
	if err != nil {
		return err
	}
	err = d.eachObservation(progress, func(o models.Observation, ind models.Indicator, u models.Unit) error {
		return put("record", "observation", "pillar", ind.Pillar.Code, "indicator", ind.Code, "indicator_vi", ind.NameVI, "indicator_en", ind.NameEN,
			"unit", u.Code, "unit_vi", u.NameVI, "unit_en", u.NameEN, "period", o.Period, "breakdown", o.Breakdown, "value", num(o.Value), "note", o.Note, "source", o.Source, "demo", yes(o.Demo))
	})
	if err != nil {
		return err
	}
	err = d.EachAssessment(func(p models.Progress) error { return put(assessmentRecord(p)...) })
	if err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// numberColumns hold numbers, written with the decimal mark of the CSV.
var numberColumns = map[string]bool{"limit": true, "value": true, "value_max": true, "baseline_value": true}

func num(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

func optNum(v *float64) string {
	if v == nil {
		return ""
	}
	return num(*v)
}

func optInt(v *int) string {
	if v == nil {
		return ""
	}
	return strconv.Itoa(*v)
}

// day writes a date as 2025-07-01; nil is empty.
func day(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format("2006-01-02")
}

func yes(b bool) string {
	if b {
		return "1"
	}
	return ""
}

func unitRecord(u models.Unit, d *Dataset) []string {
	return []string{"record", "unit", "unit", u.Code, "unit_vi", u.NameVI, "unit_en", u.NameEN, "level", u.Level, "parent", d.parentCode(u), "demo", yes(u.Demo),
		"started_on", day(u.StartedOn), "ended_on", day(u.EndedOn), "ended_basis", u.EndedBasis}
}

func indicatorRecord(ind models.Indicator) []string {
	kv := []string{"record", "indicator", "pillar", ind.Pillar.Code, "indicator", ind.Code, "indicator_vi", ind.NameVI, "indicator_en", ind.NameEN,
		"measure", ind.Measure, "direction", string(ind.Direction), "limit", optNum(ind.Limit), "decimals", strconv.Itoa(ind.Decimals),
		"frequency", ind.Frequency, "rollup", string(ind.Rollup), "rollup_weight", ind.RollupWeight, "rollup_threshold", optNum(ind.RollupThreshold)}
	for _, f := range ind.Fields() {
		kv = append(kv, f.Name, *f.Value)
	}
	return kv
}

func targetRecord(t models.Target, ind models.Indicator, u models.Unit) []string {
	return []string{"record", "target", "pillar", ind.Pillar.Code, "indicator", ind.Code, "indicator_vi", ind.NameVI, "indicator_en", ind.NameEN,
		"unit", u.Code, "unit_vi", u.NameVI, "unit_en", u.NameEN, "period", strconv.Itoa(t.Year), "comparator", string(t.Comparator),
		"value", num(t.Value), "value_max", optNum(t.ValueMax), "baseline_year", optInt(t.BaselineYear), "baseline_value", optNum(t.BaselineValue),
		"yearly", yes(t.Yearly), "source", t.Source}
}

func assessmentRecord(p models.Progress) []string {
	a := p.Assessment
	kv := []string{"record", "assessment", "pillar", p.Indicator.Pillar.Code, "indicator", p.Indicator.Code, "indicator_vi", p.Indicator.NameVI,
		"indicator_en", p.Indicator.NameEN, "unit", p.Unit.Code, "unit_vi", p.Unit.NameVI, "unit_en", p.Unit.NameEN,
		"period", optInt(a.CurrentYear), "value", optNum(a.CurrentValue), "status", string(a.Status)}
	if t := p.Target; t != nil {
		kv = append(kv, "comparator", string(t.Comparator), "value_max", optNum(t.ValueMax), "baseline_year", optInt(a.BaseYear),
			"baseline_value", optNum(a.BaseValue), "yearly", yes(t.Yearly), "note", "target "+num(t.Value)+" by "+strconv.Itoa(t.Year))
	}
	return kv
}
