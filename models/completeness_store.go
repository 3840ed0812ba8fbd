package models

import (
	"database/sql"
	"fmt"
	"time"
)

// IndicatorUnit assigns an indicator to a unit that reports it although its
// level does not (a pilot ward, a special zone).
type IndicatorUnit struct {
	IndicatorID uint `gorm:"primaryKey;autoIncrement:false"`
	UnitID      uint `gorm:"primaryKey;autoIncrement:false"`
}

// assignments maps indicator id → unit id → assigned.
func (s *Store) assignments() (map[uint]map[uint]bool, error) {
	var rows []IndicatorUnit
	if err := s.db.Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("store: unable to fetch indicator assignments: %w", err)
	}
	out := map[uint]map[uint]bool{}
	for _, r := range rows {
		if out[r.IndicatorID] == nil {
			out[r.IndicatorID] = map[uint]bool{}
		}
		out[r.IndicatorID][r.UnitID] = true
	}
	return out, nil
}

// CompletenessRow is one row of the completeness table: a unit with the
// counts of its whole subtree (the root's row: its own values only).
type CompletenessRow struct {
	Unit  Unit
	Own   bool // the root's own values, not its subtree
	Cells []Completeness
	Total Completeness
}

// CompletenessGrid is the reporting of a unit's tree over some periods.
type CompletenessGrid struct {
	Periods []Period
	Rows    []CompletenessRow
	Cells   []Completeness // per period, the whole tree
	Total   Completeness
	// Missing are the units with an expected value missing in the last period.
	Missing []Unit
}

// ReportingCases calls each for every indicator × unit × period of the
// root's tree (root included), with the unit's first save of the value.
func (s *Store) ReportingCases(root Unit, inds []Indicator, periods []Period, each func(ReportingCase)) ([]Unit, error) {
	all, err := s.Units()
	if err != nil {
		return nil, err
	}
	units := Subtree(all, root.ID)
	assigned, err := s.assignments()
	if err != nil {
		return nil, err
	}
	if len(inds) == 0 || len(periods) == 0 || len(units) == 0 {
		return units, nil
	}
	indIDs, unitIDs := make([]uint, len(inds)), make([]uint, len(units))
	for i, ind := range inds {
		indIDs[i] = ind.ID
	}
	for i, u := range units {
		unitIDs[i] = u.ID
	}
	type key struct {
		ind, unit uint
		period    string
	}
	names := make([]string, len(periods))
	for i, p := range periods {
		names[i] = p.String()
	}
	// Only the periods asked for, by the unique index: the overview's line
	// reads one quarter of a whole city after every write.
	rows, err := s.db.Model(&Observation{}).Select("indicator_id, unit_id, period, created_at").
		Where("indicator_id IN ? AND unit_id IN ? AND period IN ?", indIDs, unitIDs, names).Rows()
	if err != nil {
		return nil, fmt.Errorf("store: unable to fetch reported values: %w", err)
	}
	defer rows.Close()
	saved := map[key]time.Time{}
	for rows.Next() {
		var k key
		var created sql.NullTime
		if err := rows.Scan(&k.ind, &k.unit, &k.period, &created); err != nil {
			return nil, fmt.Errorf("store: unable to read a reported value: %w", err)
		}
		// The row's creation is its first save: corrections update the row
		// and never its created_at.
		saved[k] = created.Time
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: unable to read reported values: %w", err)
	}
	for _, ind := range inds {
		for _, u := range units {
			for _, p := range periods {
				rc := ReportingCase{Indicator: ind, Unit: u, Assigned: assigned[ind.ID][u.ID], Period: p}
				if t, ok := saved[key{ind.ID, u.ID, p.String()}]; ok {
					rc.FirstSaved = &t
				}
				each(rc)
			}
		}
	}
	return units, nil
}

// Completeness counts, at now, what the root's tree reported of the
// indicators over the periods: one row for the root's own values and one
// per child with its subtree's counts summed.
func (s *Store) Completeness(root Unit, inds []Indicator, periods []Period) (*CompletenessGrid, error) {
	now := s.now()
	g := &CompletenessGrid{Periods: periods, Cells: make([]Completeness, len(periods))}
	periodIndex := map[string]int{}
	for i, p := range periods {
		periodIndex[p.String()] = i
	}
	perUnit := map[uint][]Completeness{}
	units, err := s.ReportingCases(root, inds, periods, func(rc ReportingCase) {
		if perUnit[rc.Unit.ID] == nil {
			perUnit[rc.Unit.ID] = make([]Completeness, len(periods))
		}
		perUnit[rc.Unit.ID][periodIndex[rc.Period.String()]].Add(rc.Count(now))
	})
	if err != nil {
		return nil, err
	}
	// Each unit's row: the root's own, else the child of the root above it.
	row := map[uint]int{root.ID: 0}
	g.Rows = []CompletenessRow{{Unit: root, Own: true}}
	for _, u := range units[1:] {
		if u.ParentID != nil && *u.ParentID == root.ID {
			row[u.ID] = len(g.Rows)
			g.Rows = append(g.Rows, CompletenessRow{Unit: u})
		} else if u.ParentID != nil {
			row[u.ID] = row[*u.ParentID] // Subtree lists parents before children
		}
	}
	for i := range g.Rows {
		g.Rows[i].Cells = make([]Completeness, len(periods))
	}
	last := len(periods) - 1
	for _, u := range units {
		cells := perUnit[u.ID]
		if cells == nil {
			continue
		}
		r := &g.Rows[row[u.ID]]
		for i, c := range cells {
			r.Cells[i].Add(c)
			r.Total.Add(c)
			g.Cells[i].Add(c)
			g.Total.Add(c)
		}
		if last >= 0 && cells[last].Missing() > 0 {
			g.Missing = append(g.Missing, u)
		}
	}
	return g, nil
}
