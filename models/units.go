package models

import (
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Unit levels, from the top of the tree down.
const (
	LevelCountry  = "country"
	LevelCity     = "city"
	LevelProvince = "province"
	LevelDistrict = "district"
	LevelWard     = "ward"
	LevelCommune  = "commune"
)

// Unit is a jurisdiction: a city or province, a district, a ward or commune.
type Unit struct {
	ID       uint   `json:"-"`
	Code     string `json:"code"`
	NameVI   string `json:"name_vi"`
	NameEN   string `json:"name_en"`
	Level    string `json:"level"`
	ParentID *uint  `json:"-"`
	Parent   *Unit  `json:"-"`
	// StartedOn is when the unit began (a ward created by a merger); nil:
	// before any period the app knows.
	StartedOn *time.Time `json:"started_on,omitempty"`
	EndedOn   *time.Time `json:"ended_on,omitempty"`
	// EndedBasis names the decision that ended the unit, e.g. a resolution.
	EndedBasis string `gorm:"default:''" json:"ended_basis,omitempty"`
	// EndedBasisEN is the same in English ("" when not given).
	EndedBasisEN string    `gorm:"column:ended_basis_en;default:''" json:"ended_basis_en,omitempty"`
	Demo         bool      `gorm:"default:false" json:"demo,omitempty"`
	CreatedAt    time.Time `json:"-"`
	UpdatedAt    time.Time `json:"-"`
}

// UnitSuccession links a unit that ended to a unit that took it over
// (a merger: Trà Vinh into Vĩnh Long).
type UnitSuccession struct {
	ID            uint
	PredecessorID uint
	SuccessorID   uint
}

// UnitLevels are the levels a unit can have, top first.
var UnitLevels = []string{LevelCountry, LevelCity, LevelProvince, LevelDistrict, LevelWard, LevelCommune}

// maxDepth bounds walks up and down the unit tree (country → ward is 4), so
// a mistaken cycle in parent links cannot loop forever.
const maxDepth = 8

// TreeUnit is a unit with its depth below the top of the list it is in.
type TreeUnit struct {
	Unit
	Depth int
}

// UnitChange is what an admin may change of a unit on its page: its names
// and its life (start, end and the decision that ended it). Its code,
// level and place in the tree change only through an import, where the
// whole tree is checked at once.
type UnitChange struct {
	NameVI, NameEN           string
	StartedOn, EndedOn       *time.Time
	EndedBasis, EndedBasisEN string
}

// Units returns every unit, parents before children where codes allow.
func (s *Store) Units() ([]Unit, error) {
	return definitions(s, s.units, func() ([]Unit, error) {
		var units []Unit
		if err := s.db.Preload("Parent").Order("id").Find(&units).Error; err != nil {
			return nil, fmt.Errorf("store: unable to fetch units: %w", err)
		}
		return units, nil
	})
}

// UnitByCode returns the unit with that code.
func (s *Store) UnitByCode(code string) (*Unit, error) {
	var u Unit
	if err := s.db.Preload("Parent").Where("code = ?", code).First(&u).Error; err != nil {
		return nil, fmt.Errorf("store: unable to fetch unit %q: %w", code, notFound(err))
	}
	return &u, nil
}

// Children returns the units directly below parent.
func (s *Store) Children(parentID uint) ([]Unit, error) {
	var units []Unit
	if err := s.db.Where("parent_id = ?", parentID).Order("id").Find(&units).Error; err != nil {
		return nil, fmt.Errorf("store: unable to fetch children: %w", err)
	}
	return units, nil
}

// IndicatorUnits returns the units that have a target or a value of an
// indicator, by id.
func (s *Store) IndicatorUnits(indicatorID uint) ([]Unit, error) {
	var units []Unit
	err := s.db.Where("id IN (?) OR id IN (?)",
		s.db.Model(&Target{}).Select("unit_id").Where("indicator_id = ? AND superseded_at IS NULL", indicatorID),
		s.db.Model(&Observation{}).Select("unit_id").Where("indicator_id = ?", indicatorID),
	).Order("id").Find(&units).Error
	if err != nil {
		return nil, fmt.Errorf("store: unable to fetch units of indicator: %w", err)
	}
	return units, nil
}

// ExistedDuring reports whether the unit existed for at least a day of the
// period: started before it ended and did not end before it began.
func (u Unit) ExistedDuring(p Period) bool {
	start, end := p.Start(), p.End()
	if u.StartedOn != nil && !u.StartedOn.Before(end) {
		return false
	}
	return u.EndedOn == nil || u.EndedOn.After(start)
}

// Ancestors returns the units above unit, the top first (for breadcrumbs).
func (s *Store) Ancestors(unit Unit) ([]Unit, error) {
	var chain []Unit
	next := unit.ParentID
	seen := map[uint]bool{unit.ID: true}
	for i := 0; next != nil && i < maxDepth && !seen[*next]; i++ {
		seen[*next] = true
		var u Unit
		if err := s.db.First(&u, *next).Error; err != nil {
			return nil, fmt.Errorf("store: unable to fetch parent unit: %w", err)
		}
		chain = append([]Unit{u}, chain...)
		next = u.ParentID
	}
	return chain, nil
}

// Predecessors returns the units that ended and were taken over by unit.
func (s *Store) Predecessors(unitID uint) ([]Unit, error) {
	return s.succession("id IN (?)", s.db.Model(&UnitSuccession{}).Select("predecessor_id").Where("successor_id = ?", unitID))
}

// Successors returns the units that took over unit when it ended.
func (s *Store) Successors(unitID uint) ([]Unit, error) {
	return s.succession("id IN (?)", s.db.Model(&UnitSuccession{}).Select("successor_id").Where("predecessor_id = ?", unitID))
}

func (s *Store) succession(where string, sub any) ([]Unit, error) {
	var units []Unit
	if err := s.db.Where(where, sub).Order("id").Find(&units).Error; err != nil {
		return nil, fmt.Errorf("store: unable to fetch unit successions: %w", err)
	}
	return units, nil
}

// UnitTree returns the units below root (root included), parents before
// children; root 0 gives every unit, each tree from its top.
func (s *Store) UnitTree(root uint) ([]TreeUnit, error) {
	var units []Unit
	if err := s.db.Order("id").Find(&units).Error; err != nil {
		return nil, fmt.Errorf("store: unable to fetch units: %w", err)
	}
	return treeOrder(units, root), nil
}

// treeOrder is UnitTree on units read; each unit is listed once, so a
// cycle in the parent links (stored before imports were checked) ends.
func treeOrder(units []Unit, root uint) []TreeUnit {
	children := map[uint][]Unit{}
	var tops []Unit
	for _, u := range units {
		switch {
		case u.ID == root:
			tops = append(tops, u)
		case u.ParentID != nil:
			children[*u.ParentID] = append(children[*u.ParentID], u)
		}
		if root == 0 && u.ParentID == nil {
			tops = append(tops, u)
		}
	}
	var out []TreeUnit
	seen := map[uint]bool{}
	var walk func(u Unit, depth int)
	walk = func(u Unit, depth int) {
		if seen[u.ID] {
			return
		}
		seen[u.ID] = true
		out = append(out, TreeUnit{Unit: u, Depth: depth})
		for _, c := range children[u.ID] {
			walk(c, depth+1)
		}
	}
	for _, t := range tops {
		walk(t, 0)
	}
	return out
}

// ScopeUnits returns the units a user may edit: all, or those under the
// planner's unit.
func (s *Store) ScopeUnits(u *User) ([]TreeUnit, error) {
	if u.UnitID == nil {
		return s.UnitTree(0)
	}
	return s.UnitTree(*u.UnitID)
}

// InScope reports whether a user may edit data of a unit: an unscoped user
// may edit all; a scoped one the unit and those below it, found by walking
// up the parent chain (the tree may be any depth).
func (s *Store) InScope(u *User, unitID uint) (bool, error) {
	if u.UnitID == nil {
		return true, nil
	}
	id := unitID
	for depth := 0; depth < 32; depth++ {
		if id == *u.UnitID {
			return true, nil
		}
		var row struct{ ParentID *uint }
		if err := s.db.Model(&Unit{}).Select("parent_id").Where("id = ?", id).Scan(&row).Error; err != nil {
			return false, fmt.Errorf("store: unable to fetch unit parent: %w", err)
		}
		if row.ParentID == nil {
			return false, nil
		}
		id = *row.ParentID
	}
	return false, nil
}

// Subtree returns the unit and every unit below it, the unit first.
func Subtree(units []Unit, rootID uint) []Unit {
	children := map[uint][]Unit{}
	var root *Unit
	for i, u := range units {
		if u.ID == rootID {
			root = &units[i]
		}
		if u.ParentID != nil {
			children[*u.ParentID] = append(children[*u.ParentID], u)
		}
	}
	if root == nil {
		return nil
	}
	// Each unit once: a cycle in the parent links (stored before imports
	// were checked) must not grow the list for ever.
	out := []Unit{*root}
	seen := map[uint]bool{root.ID: true}
	for i := 0; i < len(out); i++ {
		for _, c := range children[out[i].ID] {
			if !seen[c.ID] {
				seen[c.ID] = true
				out = append(out, c)
			}
		}
	}
	return out
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
		// (Read before the update, which writes the new values into old.)
		before := unitLife(old)
		lifeChanged := !sameInstant(old.StartedOn, u.StartedOn) || !sameInstant(old.EndedOn, u.EndedOn)
		err := tx.Model(&old).Select("name_vi", "name_en", "started_on", "ended_on", "ended_basis", "ended_basis_en", "updated_at").
			Updates(map[string]any{"name_vi": u.NameVI, "name_en": u.NameEN, "started_on": u.StartedOn, "ended_on": u.EndedOn,
				"ended_basis": u.EndedBasis, "ended_basis_en": u.EndedBasisEN, "updated_at": s.now().UTC()}).Error
		if err != nil {
			return fmt.Errorf("store: unable to update unit: %w", err)
		}
		if err := RecordAudit(tx, actor, "update", "unit", code, before, unitLife(u)); err != nil {
			return err
		}
		// Its life decides the periods it counts in its parent's roll-ups.
		if !lifeChanged {
			return nil
		}
		return s.ReassessTx(tx, []Change{{Unit: old.ID}})
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
	return assignedIndicators(s.db, unitID)
}

func assignedIndicators(db *gorm.DB, unitID uint) (map[uint]bool, error) {
	var ids []uint
	if err := db.Model(&IndicatorUnit{}).Where("unit_id = ?", unitID).Pluck("indicator_id", &ids).Error; err != nil {
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
	var changes []Change
	err := s.db.Transaction(func(tx *gorm.DB) error {
		// Read in the transaction: another admin's save may have come between.
		have, err := assignedIndicators(tx, unit.ID)
		if err != nil {
			return err
		}
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

// SaveUnit writes a unit in tx, created or replaced by its id, its parent
// left as it is (see SetParent: a file may list a ward before its
// district).
func SaveUnit(tx *gorm.DB, u Unit) error {
	if err := tx.Omit("Parent", "ParentID").Save(&u).Error; err != nil {
		return fmt.Errorf("store: unable to write unit %s: %w", u.Code, err)
	}
	return nil
}

// SetParent sets the parent of the unit of that code in tx (nil: none).
func SetParent(tx *gorm.DB, code string, parent *uint) error {
	if err := tx.Model(&Unit{}).Where("code = ?", code).Update("parent_id", parent).Error; err != nil {
		return fmt.Errorf("store: unable to set parent of %s: %w", code, err)
	}
	return nil
}

func sameInstant(a, b *time.Time) bool {
	return (a == nil && b == nil) || (a != nil && b != nil && a.Equal(*b))
}
