package models

import "fmt"

// TreeUnit is a unit with its depth below the top of the list it is in.
type TreeUnit struct {
	Unit
	Depth int
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
