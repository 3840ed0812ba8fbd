package models

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
)

// ObservationInput is one value to store (Value nil: delete it). Key names
// it in the caller's form, so a problem comes back next to the right field.
type ObservationInput struct {
	Key    string
	Unit   Unit
	Period string
	Value  *float64
	Note   string
	Source string
	Expect int
	// Breakdown is the part of the total the value counts ("": the total),
	// canonical once SaveObservations has checked it.
	Breakdown string
}

// ObservationHistory is a value as it was before a change or a deletion.
type ObservationHistory struct {
	ID            uint `gorm:"primaryKey"`
	ObservationID uint
	IndicatorID   uint
	UnitID        uint
	Period        string
	Value         float64
	Note          string
	Source        string
	Demo          bool
	ValidFrom     time.Time
	ReplacedAt    time.Time
	Change        string // update or delete
	ChangedBy     string
}

// TableName names the history's table.
func (ObservationHistory) TableName() string { return "observation_history" }

// ObservationAudit is what the audit log keeps of a value.
func ObservationAudit(o Observation) map[string]any {
	return map[string]any{"value": o.Value, "note": o.Note, "source": o.Source}
}

// ValidateObservation checks one value of ind without storing it.
func (s *Store) ValidateObservation(ind Indicator, in *ObservationInput, p Problems) {
	CheckObservation(p, in.Key, ind, in, s.now())
}

// SaveObservations validates every value first and then stores them all in
// one transaction: either every value is stored or none. The old value of a
// change or a deletion goes to the history. Fields of problems are each
// input's Key followed by "period" or "value".
func (s *Store) SaveObservations(actor Actor, ind Indicator, inputs []ObservationInput) error {
	p := Problems{}
	var rules *BreakdownRules
	var totals, parts []ObservationInput
	for i := range inputs {
		in := &inputs[i]
		s.ValidateObservation(ind, in, p)
		if strings.TrimSpace(in.Breakdown) != "" && rules == nil {
			var err error
			if rules, err = s.BreakdownRules(ind.ID); err != nil {
				return err
			}
		}
		if rules != nil {
			in.Breakdown = rules.Check(p, in.Key+"breakdown", ind, in.Breakdown)
		}
		if in.Breakdown == "" {
			totals = append(totals, *in)
		} else {
			parts = append(parts, *in)
		}
	}
	if err := p.Err(); err != nil {
		return err
	}
	inputs = totals
	err := s.db.Transaction(func(tx *gorm.DB) error {
		if err := saveBreakdownValues(tx, actor, ind, parts, p, s.now().UTC()); err != nil {
			return err
		}
		// Only the values the inputs may change are read: an indicator can
		// hold tens of thousands, and this runs inside the write.
		unitIDs, periods := map[uint]bool{}, map[string]bool{}
		for _, in := range inputs {
			unitIDs[in.Unit.ID], periods[in.Period] = true, true
		}
		var existing []Observation
		if err := tx.Where("indicator_id = ? AND unit_id IN ? AND period IN ?", ind.ID, slices.Collect(maps.Keys(unitIDs)), slices.Collect(maps.Keys(periods))).Find(&existing).Error; err != nil {
			return fmt.Errorf("store: unable to fetch observations: %w", err)
		}
		stored := make(map[string]Observation, len(existing))
		for _, o := range existing {
			stored[fmt.Sprint(o.UnitID, "/", o.Period)] = o
		}
		now := s.now().UTC()
		// New rows, history and audit entries are inserted in batches at the
		// end: a 300 × 12 grid is thousands of rows, and one statement per
		// row dominated the time of a save.
		var creates []Observation
		var history []ObservationHistory
		var audits []AuditEntry
		for _, in := range inputs {
			old, exists := stored[fmt.Sprint(in.Unit.ID, "/", in.Period)]
			key := fmt.Sprintf("%s/%s/%s", ind.Code, in.Unit.Code, in.Period)
			if skipWrite(p, in, exists, exists && in.Value != nil && old.Value == *in.Value && old.Note == in.Note && old.Source == in.Source) {
				continue
			}
			if exists {
				h := ObservationHistory{ObservationID: old.ID, IndicatorID: ind.ID, UnitID: old.UnitID, Period: old.Period,
					Value: old.Value, Note: old.Note, Source: old.Source, Demo: old.Demo, ValidFrom: old.UpdatedAt,
					ReplacedAt: now, Change: "update", ChangedBy: actor.Username}
				if in.Value == nil {
					h.Change = "delete"
				}
				history = append(history, h)
			}
			switch {
			case in.Value == nil:
				if err := tx.Delete(&Observation{}, old.ID).Error; err != nil {
					return fmt.Errorf("store: unable to delete value: %w", err)
				}
				audits = append(audits, NewAuditEntry(actor, "delete", "observation", key, ObservationAudit(old), nil))
			case exists:
				o := old
				o.Value, o.Note, o.Source = *in.Value, in.Note, in.Source
				err := tx.Model(&Observation{}).Where("id = ?", old.ID).Updates(map[string]any{
					"value": o.Value, "note": o.Note, "source": o.Source, "demo": false, "updated_at": now}).Error
				if err != nil {
					return fmt.Errorf("store: unable to update value: %w", err)
				}
				audits = append(audits, NewAuditEntry(actor, "update", "observation", key, ObservationAudit(old), ObservationAudit(o)))
			default:
				per, _ := ParsePeriod(in.Period)
				o := Observation{IndicatorID: ind.ID, UnitID: in.Unit.ID, Period: in.Period, Year: per.Year,
					Value: *in.Value, Note: in.Note, Source: in.Source, CreatedAt: now, UpdatedAt: now}
				creates = append(creates, o)
				audits = append(audits, NewAuditEntry(actor, "create", "observation", key, nil, ObservationAudit(o)))
			}
		}
		if p.Err() != nil {
			return p
		}
		for _, batch := range []struct {
			what string
			rows any
			n    int
		}{{"values", &creates, len(creates)}, {"history", &history, len(history)}, {"audit entries", &audits, len(audits)}} {
			if batch.n == 0 {
				continue
			}
			if err := tx.Omit("Indicator", "Unit").CreateInBatches(batch.rows, 200).Error; err != nil {
				return fmt.Errorf("store: unable to store %s: %w", batch.what, err)
			}
		}
		return p.Err()
	})
	if err != nil {
		return err
	}
	changes := make([]Change, 0, len(inputs)+len(parts))
	for _, in := range append(inputs, parts...) {
		changes = append(changes, Change{Unit: in.Unit.ID, Indicator: ind.ID})
	}
	s.DataChanged(changes...)
	return nil
}

// skipWrite reports whether input in leaves the stored value alone: it
// expects no value where one exists or a value where none does (a problem
// for p), deletes nothing, or changes nothing (same).
func skipWrite(p Problems, in ObservationInput, exists, same bool) bool {
	switch {
	case exists && in.Expect == ExpectNew:
		p.Add(in.Key+"period", "error.value_exists", in.Period)
		return true
	case !exists && (in.Expect == ExpectExisting || in.Value == nil):
		if in.Expect == ExpectExisting {
			p.Add(in.Key+"period", "error.no_value", in.Period)
		}
		return true
	}
	return same
}

// ValueHistory returns the earlier values of an indicator in a unit, newest first.
func (s *Store) ValueHistory(indicatorID, unitID uint) ([]ObservationHistory, error) {
	var hs []ObservationHistory
	err := s.db.Where("indicator_id = ? AND unit_id = ?", indicatorID, unitID).Order("replaced_at DESC, id DESC").Find(&hs).Error
	if err != nil {
		return nil, fmt.Errorf("store: unable to fetch value history: %w", err)
	}
	return hs, nil
}

// ObservationsOf returns an indicator's values in some units, keyed by
// unit id and period.
func (s *Store) ObservationsOf(indicatorID uint) (map[uint]map[string]Observation, error) {
	var obs []Observation
	if err := s.db.Where("indicator_id = ?", indicatorID).Find(&obs).Error; err != nil {
		return nil, fmt.Errorf("store: unable to fetch observations: %w", err)
	}
	out := map[uint]map[string]Observation{}
	for _, o := range obs {
		if out[o.UnitID] == nil {
			out[o.UnitID] = map[string]Observation{}
		}
		out[o.UnitID][o.Period] = o
	}
	return out, nil
}
