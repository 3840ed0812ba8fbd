package reports

import "tiendo/models"

// SummaryRows are the rows a summary counts: those of the unit asked for
// (not of the units below it, which the detail lists), or every row when
// the export is of every unit. The PDF's first page and the XLSX summary
// sheet count exactly these, as the unit's overview does.
func (d *Dataset) SummaryRows() []models.Progress {
	if d.Root == nil {
		return d.Progress
	}
	var out []models.Progress
	for _, r := range d.Progress {
		if r.Unit.ID == d.Root.ID {
			out = append(out, r)
		}
	}
	return out
}

// PillarCount is one pillar's summary rows by class (status, or no target).
type PillarCount struct {
	Pillar models.Pillar
	Counts map[models.Status]int
	Total  int
}

// PillarCounts counts the summary rows by pillar, in the pillars' order,
// leaving out pillars without a row.
func (d *Dataset) PillarCounts() []PillarCount {
	rows := d.SummaryRows()
	var out []PillarCount
	for _, p := range d.Pillars {
		c := PillarCount{Pillar: p, Counts: map[models.Status]int{}}
		for _, r := range rows {
			if r.Indicator.PillarID == p.ID {
				c.Counts[r.Class()]++
				c.Total++
			}
		}
		if c.Total > 0 {
			out = append(out, c)
		}
	}
	return out
}
