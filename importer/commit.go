package importer

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"tiendo/models"
)

// Summary is what the audit log keeps of an import.
type Summary struct {
	Format       string `json:"format"`
	Rows         int    `json:"rows"`
	Pillars      Counts `json:"pillars"`
	Units        Counts `json:"units"`
	Indicators   Counts `json:"indicators"`
	Targets      Counts `json:"targets"`
	Observations Counts `json:"observations"`
	Skipped      int    `json:"skipped"`
}

// Summary returns the counts of the plan.
func (p *Plan) Summary() Summary {
	return Summary{Format: p.Format, Rows: p.Rows, Pillars: p.Pillars, Units: p.Units, Indicators: p.Indicators,
		Targets: p.Targets, Observations: p.Observations, Skipped: p.SkippedMissing + p.ProblemsTotal()}
}

// ErrChanged stops a commit whose files or stored values changed since the
// preview in a way that changes what it would import.
var ErrChanged = errors.New("import: the files or the stored values changed since the preview; nothing was imported")

// Commit carries the plan out in one transaction, with an audit entry
// naming the files and the counts and listing every target and value it
// writes, before and after; nothing is written when it fails. The
// definitions and targets come from the plan; the values are read from the
// files again and written as they come, so a file of any size is never
// held in memory. A process killed in the middle leaves nothing of it.
func Commit(store *models.Store, p *Plan, actor models.Actor) error {
	if err := p.Err(); err != nil {
		return err
	}
	now := store.Now()
	var changes []models.Change
	err := store.InTx(func(tx *gorm.DB) error {
		pillarIDs, err := p.writePillars(tx)
		if err != nil {
			return err
		}
		unitIDs, err := p.writeUnits(tx, actor)
		if err != nil {
			return err
		}
		indIDs, err := p.writeIndicators(tx, pillarIDs)
		if err != nil {
			return err
		}
		if err := p.writeDimensions(tx, actor, indIDs); err != nil {
			return err
		}
		// The entry first: its changes are listed under it as they are
		// written. Its counts are the preview's, which the values read
		// again must match.
		audit, err := models.NewAuditChangeWriter(tx, actor, "import", "import", strings.Join(p.Files, ", "), nil, p.Summary())
		if err != nil {
			return err
		}
		if err := p.writeTargets(tx, indIDs, unitIDs, now, audit); err != nil {
			audit.Close()
			return err
		}
		series := map[models.Change]bool{}
		err = p.writeValues(tx, indIDs, unitIDs, now, series, audit)
		if err = errors.Join(err, audit.Close()); err != nil {
			return err
		}
		changes = p.changes(indIDs, unitIDs, series)
		// The assessments of every series written, once, in the same
		// transaction.
		return store.ReassessTx(tx, changes)
	})
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	store.DataChanged(changes...)
	return nil
}

// writeTargets stores the plan's targets, in the order of the file, and
// lists them in the audit: new ones a batch at a time, revisions one by
// one (each supersedes the current one).
func (p *Plan) writeTargets(tx *gorm.DB, indIDs, unitIDs map[string]uint, now time.Time, audit *models.AuditChangeWriter) error {
	fresh := models.NewTargetWriter(tx, now)
	for _, w := range p.targets {
		t := w.row.target()
		t.IndicatorID, t.UnitID = indIDs[w.indicator], unitIDs[w.unit]
		var before any
		var prev *models.Target
		t.Revision = 1
		if w.previous != nil {
			pt := w.previous.target()
			prev, before, t.Revision = &pt, models.TargetAudit(pt), pt.Revision+1
		}
		err := audit.Write(models.NewAuditChange("target", w.indicator+"/"+w.unit+"/"+strconv.Itoa(t.Year), before, models.TargetAudit(t)))
		if err == nil && prev == nil {
			err = fresh.Write(t)
		} else if err == nil {
			err = models.ReviseTarget(tx, t, prev, now)
		}
		if err != nil {
			fresh.Close()
			return err
		}
	}
	return fresh.Close()
}

// writeValues reads the values from the files again, plans each as the
// preview did, writes those that change something and lists them in the
// audit. It fails with ErrChanged when the files or the stored values no
// longer hold what the preview counted. series gets the indicator and unit
// of every value written.
func (p *Plan) writeValues(tx *gorm.DB, indIDs, unitIDs map[string]uint, now time.Time, series map[models.Change]bool, audit *models.AuditChangeWriter) error {
	w := models.NewObservationWriter(tx, now)
	parts := newPartWriter(tx, now)
	// A scratch copy of the plan counts what this reading finds.
	q := *p
	q.Observations, q.SkippedMissing, q.Problems, q.moreProblems, q.sample, q.Outcomes, q.sums = Counts{}, 0, nil, 0, nil, nil, nil
	known := len(p.r.missingUnit) + len(p.r.missingInd) + len(p.units) + len(p.indicators)
	out := newWriteBehind(!models.IsPostgres(tx), func(e emitted) error {
		if e.again {
			// A key written since the last flush must not be in the same
			// statement twice.
			if err := errors.Join(w.Flush(), parts.flush()); err != nil {
				return err
			}
		}
		if err := audit.Write(e.audit); err != nil {
			return err
		}
		o := e.w
		if o.breakdown != "" {
			return parts.write(models.BreakdownValue{IndicatorID: e.ind, UnitID: e.unit, Period: o.period, Year: o.pp.Year, Breakdown: o.breakdown,
				Value: o.value, Note: o.note, Source: o.source, Demo: o.demo})
		}
		return w.Write(models.ObservationRow{IndicatorID: e.ind, UnitID: e.unit, Period: o.period, Year: o.pp.Year, Value: o.value,
			Note: o.note, Source: o.source, Demo: o.demo})
	})
	// What does not need the database is worked out here, beside the
	// writing.
	v := newValuePlanner(&q, tx, func(o obsWrite, again bool) error {
		e := emitted{w: o, again: again, ind: indIDs[o.indicator], unit: unitIDs[o.unit], audit: o.auditChange()}
		series[models.Change{Unit: e.unit, Indicator: e.ind}] = true
		return out.add(e)
	})
	b, err := v.read(p.src)
	if werr := out.close(); werr != nil {
		err = werr // the planning stopped for it
	}
	if err = errors.Join(err, w.Close(), parts.flush()); err != nil {
		return err
	}
	if b.Rows != p.Rows || q.Observations != p.Observations || q.SkippedMissing != p.SkippedMissing ||
		len(q.r.missingUnit)+len(q.r.missingInd)+len(q.units)+len(q.indicators) != known {
		return ErrChanged
	}
	return nil
}

// auditChange is what the audit log lists of a value written.
func (w obsWrite) auditChange() models.AuditChange {
	c := models.AuditChange{Entity: "observation", EntityKey: w.indicator + "/" + w.unit + "/" + w.period,
		After: valueAudit{Value: w.value, Note: w.note, Source: w.source}.json()}
	if w.before != nil {
		c.Before = valueAudit{Value: w.before.Value, Note: w.before.Note, Source: w.before.Source}.json()
	}
	if w.breakdown != "" {
		c.Entity, c.EntityKey = "breakdown_value", c.EntityKey+"/"+w.breakdown
	}
	return c
}

// changes names the series the import wrote, so caches, stored answers
// and alert rules look at those only; new units, indicators or pillars
// change every answer.
func (p *Plan) changes(indIDs, unitIDs map[string]uint, series map[models.Change]bool) []models.Change {
	if len(p.pillars)+len(p.units)+len(p.indicators) > 0 {
		return nil
	}
	out := make([]models.Change, 0, len(series)+len(p.targets))
	for _, w := range p.targets {
		out = append(out, models.Change{Unit: unitIDs[w.unit], Indicator: indIDs[w.indicator]})
	}
	for c := range series {
		out = append(out, c)
	}
	return out
}

func (p *Plan) writePillars(tx *gorm.DB) (map[string]uint, error) {
	for _, pl := range p.pillars {
		if err := models.SavePillar(tx, &pl); err != nil {
			return nil, err
		}
	}
	ids, err := models.CodeIDs(tx, &models.Pillar{})
	if err != nil {
		return nil, err
	}
	if p.needImportPillar && ids[ImportPillar] == 0 {
		pl := models.Pillar{Code: ImportPillar, NameVI: "Dữ liệu nhập từ nguồn khác", NameEN: "Imported from other sources", Position: 1000}
		if err := models.SavePillar(tx, &pl); err != nil {
			return nil, err
		}
		ids[ImportPillar] = pl.ID
	}
	return ids, nil
}

func (p *Plan) writeUnits(tx *gorm.DB, actor models.Actor) (map[string]uint, error) {
	for _, w := range p.units {
		if err := models.SaveUnit(tx, w.unit); err != nil {
			return nil, err
		}
	}
	ids, err := models.CodeIDs(tx, &models.Unit{})
	if err != nil {
		return nil, err
	}
	// Parents are set once every unit exists, so a file may list a ward
	// before its district.
	for _, w := range p.units {
		var parent *uint
		if w.parent != "" {
			id := ids[w.parent]
			parent = &id
		}
		if err := models.SetParent(tx, w.unit.Code, parent); err != nil {
			return nil, err
		}
		// Each unit on its own: the tree decides who may edit what.
		action := "create"
		if w.exists {
			action = "update"
		}
		if err := models.RecordAudit(tx, actor, action, "unit", w.unit.Code, w.before, unitAudit(w.unit, w.parent)); err != nil {
			return nil, err
		}
	}
	return ids, nil
}

func (p *Plan) writeIndicators(tx *gorm.DB, pillarIDs map[string]uint) (map[string]uint, error) {
	for _, w := range p.indicators {
		ind := w.ind
		ind.PillarID = pillarIDs[w.pillar]
		if err := models.SaveIndicator(tx, ind); err != nil {
			return nil, err
		}
	}
	return models.CodeIDs(tx, &models.Indicator{})
}

// unitAudit is what the audit log keeps of a unit.
func unitAudit(u models.Unit, parent string) map[string]any {
	return map[string]any{"code": u.Code, "name_vi": u.NameVI, "name_en": u.NameEN, "level": u.Level, "parent": parent}
}
