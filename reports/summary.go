package reports

import "tiendo/models"

// A summary counts the rows of the unit asked for (not of the units below
// it, which the detail lists), or every row when the export is of every
// unit. The PDF's first page and the XLSX summary sheet count exactly these,
// as the unit's overview does.
func (d *Dataset) summarises(r models.Progress) bool { return d.Root == nil || r.Unit.ID == d.Root.ID }

// SummaryRows are the rows among rows that a summary counts.
func (d *Dataset) SummaryRows(rows []models.Progress) []models.Progress {
	var out []models.Progress
	for _, r := range rows {
		if d.summarises(r) {
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

// PillarCounts counts rows by pillar, in the pillars' order, leaving out
// pillars without a row.
func (d *Dataset) PillarCounts(rows []models.Progress) []PillarCount {
	t := d.tally()
	for _, r := range rows {
		t.add(r)
	}
	return t.counts()
}

// pillarTally counts rows by pillar as they stream by, so a summary of
// every unit needs no row kept.
type pillarTally struct {
	byID    map[uint]*PillarCount
	pillars []models.Pillar
}

func (d *Dataset) tally() *pillarTally {
	return &pillarTally{byID: map[uint]*PillarCount{}, pillars: d.Pillars}
}

func (t *pillarTally) add(r models.Progress) {
	c := t.byID[r.Indicator.PillarID]
	if c == nil {
		c = &PillarCount{Counts: map[models.Status]int{}}
		t.byID[r.Indicator.PillarID] = c
	}
	c.Counts[r.Class()]++
	c.Total++
}

func (t *pillarTally) counts() []PillarCount {
	var out []PillarCount
	for _, p := range t.pillars {
		if c := t.byID[p.ID]; c != nil {
			c.Pillar = p
			out = append(out, *c)
		}
	}
	return out
}
