package importer

import (
	"fmt"
	"strings"

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
		Targets: p.Targets, Observations: p.Observations, Skipped: p.SkippedMissing + len(p.Problems)}
}

// Commit carries the plan out in one transaction, with an audit entry
// naming the files and the counts; nothing is written when it fails.
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
		for _, w := range p.targets {
			t := w.t
			t.IndicatorID, t.UnitID = indIDs[w.indicator], unitIDs[w.unit]
			if err := models.ReviseTarget(tx, t, w.previous, now); err != nil {
				return err
			}
		}
		if err := p.writeDimensions(tx, actor, indIDs); err != nil {
			return err
		}
		obs := make([]models.Observation, 0, len(p.obs))
		var parts []models.BreakdownValue
		for _, w := range p.obs {
			o := w.obs
			o.IndicatorID, o.UnitID = indIDs[w.indicator], unitIDs[w.unit]
			if w.breakdown != "" {
				parts = append(parts, models.BreakdownValue{IndicatorID: o.IndicatorID, UnitID: o.UnitID, Period: o.Period, Year: o.Year,
					Breakdown: w.breakdown, Value: o.Value, Note: o.Note, Source: o.Source, Demo: o.Demo})
				continue
			}
			obs = append(obs, o)
		}
		if err := models.UpsertObservations(tx, obs, now); err != nil {
			return err
		}
		if err := models.UpsertBreakdownValues(tx, parts, now); err != nil {
			return err
		}
		changes = p.changes(indIDs, unitIDs)
		return models.RecordAudit(tx, actor, "import", "import", strings.Join(p.Files, ", "), nil, p.Summary())
	})
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	store.DataChanged(changes...)
	return nil
}

// changes names the series the import wrote, so caches and alert rules look
// at those only; new units, indicators or pillars change every answer.
func (p *Plan) changes(indIDs, unitIDs map[string]uint) []models.Change {
	if len(p.pillars)+len(p.units)+len(p.indicators) > 0 {
		return nil
	}
	out := make([]models.Change, 0, len(p.obs)+len(p.targets))
	for _, w := range p.targets {
		out = append(out, models.Change{Unit: unitIDs[w.unit], Indicator: indIDs[w.indicator]})
	}
	for _, w := range p.obs {
		out = append(out, models.Change{Unit: unitIDs[w.unit], Indicator: indIDs[w.indicator]})
	}
	return out
}

// codeIDs maps codes of a table to ids.
func codeIDs(tx *gorm.DB, model any) (map[string]uint, error) {
	var rows []struct {
		ID   uint
		Code string
	}
	if err := tx.Model(model).Select("id, code").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("store: unable to read codes: %w", err)
	}
	m := make(map[string]uint, len(rows))
	for _, r := range rows {
		m[r.Code] = r.ID
	}
	return m, nil
}

func (p *Plan) writePillars(tx *gorm.DB) (map[string]uint, error) {
	for _, pl := range p.pillars {
		if err := tx.Save(&pl).Error; err != nil {
			return nil, fmt.Errorf("store: unable to write pillar %s: %w", pl.Code, err)
		}
	}
	ids, err := codeIDs(tx, &models.Pillar{})
	if err != nil {
		return nil, err
	}
	if p.needImportPillar && ids[ImportPillar] == 0 {
		pl := models.Pillar{Code: ImportPillar, NameVI: "Dữ liệu nhập từ nguồn khác", NameEN: "Imported from other sources", Position: 1000}
		if err := tx.Create(&pl).Error; err != nil {
			return nil, fmt.Errorf("store: unable to write pillar: %w", err)
		}
		ids[ImportPillar] = pl.ID
	}
	return ids, nil
}

func (p *Plan) writeUnits(tx *gorm.DB, actor models.Actor) (map[string]uint, error) {
	for _, w := range p.units {
		u := w.unit
		if err := tx.Omit("Parent", "ParentID").Save(&u).Error; err != nil {
			return nil, fmt.Errorf("store: unable to write unit %s: %w", u.Code, err)
		}
	}
	ids, err := codeIDs(tx, &models.Unit{})
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
		if err := tx.Model(&models.Unit{}).Where("code = ?", w.unit.Code).Update("parent_id", parent).Error; err != nil {
			return nil, fmt.Errorf("store: unable to set parent of %s: %w", w.unit.Code, err)
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
		if err := tx.Omit("Pillar").Save(&ind).Error; err != nil {
			return nil, fmt.Errorf("store: unable to write indicator %s: %w", ind.Code, err)
		}
	}
	return codeIDs(tx, &models.Indicator{})
}

// unitAudit is what the audit log keeps of a unit.
func unitAudit(u models.Unit, parent string) map[string]any {
	return map[string]any{"code": u.Code, "name_vi": u.NameVI, "name_en": u.NameEN, "level": u.Level, "parent": parent}
}
