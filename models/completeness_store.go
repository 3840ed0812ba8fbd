package models

import (
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

// reportingScope is what a question about reporting reads before the
// values: the root's tree (root first, parents before children), the
// explicit assignments, and the ids to ask the values for.
type reportingScope struct {
	units           []Unit
	assigned        map[uint]map[uint]bool
	indIDs, unitIDs []uint
}

func (s *Store) reportingScope(root Unit, inds []Indicator) (*reportingScope, error) {
	all, err := s.Units()
	if err != nil {
		return nil, err
	}
	sc := &reportingScope{units: Subtree(all, root.ID)}
	if sc.assigned, err = s.assignments(); err != nil {
		return nil, err
	}
	for _, ind := range inds {
		sc.indIDs = append(sc.indIDs, ind.ID)
	}
	for _, u := range sc.units {
		sc.unitIDs = append(sc.unitIDs, u.ID)
	}
	return sc, nil
}

// reportedKey is one total value of a reporting question.
type reportedKey struct {
	ind, unit uint
	period    string
}

// ReportingCases calls each for every indicator × unit × period of the
// root's tree (root included), with the unit's first save of the value.
func (s *Store) ReportingCases(root Unit, inds []Indicator, periods []Period, each func(ReportingCase)) ([]Unit, error) {
	sc, err := s.reportingScope(root, inds)
	if err != nil {
		return nil, err
	}
	if len(inds) == 0 || len(periods) == 0 || len(sc.units) == 0 {
		return sc.units, nil
	}
	names := make([]string, len(periods))
	for i, p := range periods {
		names[i] = p.String()
	}
	// Only the periods asked for, by the unique index.
	rows, err := s.db.Model(&Observation{}).Select("indicator_id, unit_id, period, created_at").
		Where("indicator_id IN ? AND unit_id IN ? AND period IN ?", sc.indIDs, sc.unitIDs, names).Rows()
	if err != nil {
		return nil, fmt.Errorf("store: unable to fetch reported values: %w", err)
	}
	defer rows.Close()
	saved := map[reportedKey]time.Time{}
	row := newScanner(4)
	for rows.Next() {
		if err := row.scan(rows); err != nil {
			return nil, fmt.Errorf("store: unable to read a reported value: %w", err)
		}
		// The row's creation is its first save: corrections update the row
		// and never its created_at.
		saved[reportedKey{row.uint(0), row.uint(1), row.string(2)}] = row.time(3)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: unable to read reported values: %w", err)
	}
	for _, ind := range inds {
		for _, u := range sc.units {
			for _, p := range periods {
				rc := ReportingCase{Indicator: ind, Unit: u, Assigned: sc.assigned[ind.ID][u.ID], Period: p}
				if t, ok := saved[reportedKey{ind.ID, u.ID, p.String()}]; ok {
					rc.FirstSaved = &t
				}
				each(rc)
			}
		}
	}
	return sc.units, nil
}

// Unreported lists the units of the root's tree (root included, parents
// first) still missing a value expected at now in the period: the
// overview's line "3 wards have not reported 2026-Q3", asked again after
// every write in the city. Being late does not matter here, so only the
// unique index is read (no save times), and the answer is kept per
// indicator: after a write only the indicators it touched are read again.
func (s *Store) Unreported(root Unit, inds []Indicator, period Period) ([]Unit, error) {
	since, err := s.Sync()
	if err != nil {
		return nil, err
	}
	sc, err := s.reportingScope(root, inds)
	if err != nil || len(inds) == 0 || len(sc.units) == 0 {
		return nil, err
	}
	now := s.now()
	key := unreportedKey{root: root.ID, period: period.String(), day: now.Format("2006-01-02"), inds: fmt.Sprint(sc.indIDs)}
	parts, err := s.unreported.Build(key, since, fmt.Sprint(key), func(old unreportedParts, dirty map[uint]bool) (unreportedParts, Deps, bool, error) {
		asked := inds
		if dirty != nil {
			asked = nil
			for _, ind := range inds {
				if dirty[ind.ID] {
					asked = append(asked, ind)
				}
			}
		}
		fresh, err := s.unreportedParts(sc, asked, period, now)
		if err != nil {
			return nil, Deps{}, false, err
		}
		if dirty != nil {
			for id, units := range old {
				if !dirty[id] {
					fresh[id] = units
				}
			}
		}
		return fresh, Deps{Units: []uint{root.ID}}, true, nil
	})
	if err != nil {
		return nil, err
	}
	missing := map[uint]bool{}
	for _, units := range parts {
		for _, u := range units {
			missing[u] = true
		}
	}
	var out []Unit
	for _, u := range sc.units {
		if missing[u.ID] {
			out = append(out, u)
		}
	}
	return out, nil
}

// unreportedKey is one question of Unreported on one day.
type unreportedKey struct {
	root        uint
	period, day string
	inds        string // the indicators asked, by id
}

// unreportedParts is, per indicator, the units missing its value.
type unreportedParts map[uint][]uint

// unreportedCacheSize bounds the questions kept: one per unit whose
// overview is looked at.
const unreportedCacheSize = 256

func (s *Store) unreportedParts(sc *reportingScope, inds []Indicator, period Period, now time.Time) (unreportedParts, error) {
	out := unreportedParts{}
	if len(inds) == 0 {
		return out, nil
	}
	ids := make([]uint, len(inds))
	for i, ind := range inds {
		ids[i] = ind.ID
	}
	rows, err := s.db.Model(&Observation{}).Select("indicator_id, unit_id").
		Where("indicator_id IN ? AND unit_id IN ? AND period = ?", ids, sc.unitIDs, period.String()).Rows()
	if err != nil {
		return nil, fmt.Errorf("store: unable to fetch reported values: %w", err)
	}
	defer rows.Close()
	type pair struct{ ind, unit uint }
	saved := map[pair]bool{}
	row := newScanner(2)
	for rows.Next() {
		if err := row.scan(rows); err != nil {
			return nil, fmt.Errorf("store: unable to read a reported value: %w", err)
		}
		saved[pair{row.uint(0), row.uint(1)}] = true
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: unable to read reported values: %w", err)
	}
	for _, ind := range inds {
		out[ind.ID] = nil
		for _, u := range sc.units {
			rc := ReportingCase{Indicator: ind, Unit: u, Assigned: sc.assigned[ind.ID][u.ID], Period: period}
			if rc.Expected(now) && !saved[pair{ind.ID, u.ID}] {
				out[ind.ID] = append(out[ind.ID], u.ID)
			}
		}
	}
	return out, nil
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
