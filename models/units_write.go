package models

import (
	"fmt"
	"time"

	"gorm.io/gorm"
)

// UnitChange is what an admin may change of a unit on its page: its names
// and its life (start, end and the decision that ended it). Its code,
// level and place in the tree change only through an import, where the
// whole tree is checked at once.
type UnitChange struct {
	NameVI, NameEN           string
	StartedOn, EndedOn       *time.Time
	EndedBasis, EndedBasisEN string
}

// UpdateUnit changes the names and life of the unit stored under code,
// with its audit entry.
func (s *Store) UpdateUnit(actor Actor, code string, ch UnitChange) error {
	var id uint
	err := s.db.Transaction(func(tx *gorm.DB) error {
		var old Unit
		if err := tx.Where("code = ?", code).First(&old).Error; err != nil {
			return fmt.Errorf("store: unable to fetch unit %q: %w", code, notFound(err))
		}
		u := old
		u.NameVI, u.NameEN, u.StartedOn, u.EndedOn = ch.NameVI, ch.NameEN, ch.StartedOn, ch.EndedOn
		u.EndedBasis, u.EndedBasisEN = ch.EndedBasis, ch.EndedBasisEN
		if err := CheckUnit(&u).Err(); err != nil {
			return err
		}
		id = old.ID
		err := tx.Model(&old).Select("name_vi", "name_en", "started_on", "ended_on", "ended_basis", "ended_basis_en", "updated_at").
			Updates(map[string]any{"name_vi": u.NameVI, "name_en": u.NameEN, "started_on": u.StartedOn, "ended_on": u.EndedOn,
				"ended_basis": u.EndedBasis, "ended_basis_en": u.EndedBasisEN, "updated_at": s.now().UTC()}).Error
		if err != nil {
			return fmt.Errorf("store: unable to update unit: %w", err)
		}
		return RecordAudit(tx, actor, "update", "unit", code, unitLife(old), unitLife(u))
	})
	if err != nil {
		return err
	}
	s.DataChanged(Change{Unit: id})
	return nil
}

// unitLife is what the audit log keeps of a unit's page.
func unitLife(u Unit) map[string]any {
	return map[string]any{"name_vi": u.NameVI, "name_en": u.NameEN, "started_on": u.StartedOn, "ended_on": u.EndedOn,
		"ended_basis": u.EndedBasis, "ended_basis_en": u.EndedBasisEN}
}

// AssignedIndicators is the set of indicators assigned to a unit although
// its level does not report them.
func (s *Store) AssignedIndicators(unitID uint) (map[uint]bool, error) {
	var ids []uint
	if err := s.db.Model(&IndicatorUnit{}).Where("unit_id = ?", unitID).Pluck("indicator_id", &ids).Error; err != nil {
		return nil, fmt.Errorf("store: unable to fetch the unit's indicators: %w", err)
	}
	out := make(map[uint]bool, len(ids))
	for _, id := range ids {
		out[id] = true
	}
	return out, nil
}

// SetAssignments makes unit report exactly the indicators want beyond its
// level's, each assignment made or ended with its audit entry.
func (s *Store) SetAssignments(actor Actor, unit Unit, want map[uint]bool) error {
	have, err := s.AssignedIndicators(unit.ID)
	if err != nil {
		return err
	}
	var changes []Change
	err = s.db.Transaction(func(tx *gorm.DB) error {
		var inds []Indicator
		if err := tx.Order("position, id").Find(&inds).Error; err != nil {
			return fmt.Errorf("store: unable to fetch indicators: %w", err)
		}
		for _, ind := range inds {
			row := IndicatorUnit{IndicatorID: ind.ID, UnitID: unit.ID}
			switch {
			case want[ind.ID] && !have[ind.ID]:
				if err := tx.Create(&row).Error; err != nil {
					return fmt.Errorf("store: unable to assign indicator: %w", err)
				}
				err = RecordAudit(tx, actor, "assign", "indicator", ind.Code, nil, map[string]any{"unit": unit.Code})
			case have[ind.ID] && !want[ind.ID]:
				if err := tx.Where(&row).Delete(&IndicatorUnit{}).Error; err != nil {
					return fmt.Errorf("store: unable to end an assignment: %w", err)
				}
				err = RecordAudit(tx, actor, "unassign", "indicator", ind.Code, map[string]any{"unit": unit.Code}, nil)
			default:
				continue
			}
			if err != nil {
				return err
			}
			changes = append(changes, Change{Unit: unit.ID, Indicator: ind.ID})
		}
		return nil
	})
	if err != nil || len(changes) == 0 {
		return err
	}
	s.DataChanged(changes...)
	return nil
}
