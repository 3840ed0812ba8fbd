package models

import "fmt"

type progressKey struct {
	unit       uint
	milestone  int
	day        string
	valuesOnly bool // observations without notes, sources, timestamps
}

// progressCacheSize bounds the assessed units kept: a city's overview holds
// every indicator's full series, a few megabytes at 150 indicators.
const progressCacheSize = 256

// rolled returns a unit's own values and, for every period it has none of
// its own, values rolled up from its children by each indicator's rule,
// children first computed the same way. valuesOnly leaves out notes, sources and
// timestamps of the unit's own values (enough for assessing); subset reads
// the unit's own values of inds only, not of every indicator.
func (s *Store) rolled(unit Unit, inds []Indicator, depth int, valuesOnly, subset bool) (map[uint][]Observation, error) {
	var only []uint
	if depth > 0 || subset {
		// Below the unit asked for, only the indicators that roll up (and
		// their weights) matter: a city of 300 wards and 150 indicators
		// would otherwise read every observation of the tree.
		for _, ind := range inds {
			only = append(only, ind.ID)
		}
	}
	own, err := s.unitObservations(unit.ID, valuesOnly, only)
	if err != nil {
		return nil, err
	}
	if depth >= maxDepth || !anyRollup(inds) {
		return own, nil
	}
	children, err := s.Children(unit.ID)
	if err != nil || len(children) == 0 {
		return own, err
	}
	inputs := rollupInputs(inds)
	childObs := make([]map[uint][]Observation, len(children))
	for i, c := range children {
		if childObs[i], err = s.rolled(c, inputs, depth+1, valuesOnly, true); err != nil {
			return nil, err
		}
	}
	byCode := map[string]uint{}
	for _, ind := range inds {
		byCode[ind.Code] = ind.ID
	}
	out := map[uint][]Observation{}
	for id, obs := range own {
		out[id] = obs
	}
	for _, ind := range inds {
		if ind.Rollup == RollupNone {
			continue
		}
		values := make([]ChildValues, len(children))
		for i := range children {
			values[i].Unit = children[i]
			values[i].Values = childObs[i][ind.ID]
			if ind.Rollup == RollupWeighted {
				values[i].Weights = childObs[i][byCode[ind.RollupWeight]]
			}
		}
		if rolled := RollUp(ind, own[ind.ID], values); len(rolled) > 0 {
			for j := range rolled {
				rolled[j].UnitID = unit.ID
			}
			out[ind.ID] = rolled
		}
	}
	return out, nil
}

// rollupInputs are the indicators whose children's values a roll-up reads:
// those with a rule and the weights of weighted ones.
func rollupInputs(inds []Indicator) []Indicator {
	weights := map[string]bool{}
	for _, ind := range inds {
		if ind.Rollup == RollupWeighted {
			weights[ind.RollupWeight] = true
		}
	}
	var out []Indicator
	for _, ind := range inds {
		if ind.Rollup != RollupNone || weights[ind.Code] {
			out = append(out, ind)
		}
	}
	return out
}

// anyRollup reports whether some indicator is computed from children, so
// a tree without roll-up rules is never walked.
func anyRollup(inds []Indicator) bool {
	for _, ind := range inds {
		if ind.Rollup != RollupNone {
			return true
		}
	}
	return false
}

// CachedEffectiveProgress is the progress of a unit at a milestone, every
// indicator (see IndicatorProgress): against the unit's effective targets
// (own, else inherited) with its own values and those rolled up from its
// children. It is the one way pages, the API and exports get a status.
// Rows are kept until a change touches the unit (see cachedProgress) and
// shared between requests: callers must not modify them.
func (s *Store) CachedEffectiveProgress(unit Unit, milestone int) ([]Progress, error) {
	return s.cachedEffective(unit, milestone, false)
}

// CachedEffectiveAssessments is CachedEffectiveProgress for summaries and
// exports: the rows' observations carry period, year, value and demo only,
// which reads a city's children three times faster.
func (s *Store) CachedEffectiveAssessments(unit Unit, milestone int) ([]Progress, error) {
	return s.cachedEffective(unit, milestone, true)
}

// EffectiveAssessments is CachedEffectiveAssessments for one pass over many
// units (exports): a stored answer is used, but one computed here is not
// kept, so exporting a city does not fill memory with every unit's series.
func (s *Store) EffectiveAssessments(unit Unit, milestone int) ([]Progress, error) {
	if _, err := s.Sync(); err != nil {
		return nil, err
	}
	key := progressKey{unit: unit.ID, milestone: milestone, day: s.now().Format("2006-01-02"), valuesOnly: true}
	if rows, ok := s.progress.Get(key); ok {
		return rows, nil
	}
	return s.effectiveProgress(unit, milestone, true, nil, nil)
}

func (s *Store) cachedEffective(unit Unit, milestone int, valuesOnly bool) ([]Progress, error) {
	key := progressKey{unit: unit.ID, milestone: milestone, day: s.now().Format("2006-01-02"), valuesOnly: valuesOnly}
	return s.cachedProgress(key, func(old []Progress, dirty map[uint]bool) ([]Progress, error) {
		return s.effectiveProgress(unit, milestone, valuesOnly, old, dirty)
	})
}

// effectiveProgress gathers what IndicatorProgress needs for every
// indicator of the unit and computes it. Given the unit's earlier rows and
// the indicators that changed since (dirty), it recomputes only those
// indicators' rows, and those of indicators weighted by them, and keeps the
// others: a ward's value then costs the city one series, not 150.
func (s *Store) effectiveProgress(unit Unit, milestone int, valuesOnly bool, old []Progress, dirty map[uint]bool) ([]Progress, error) {
	targets, err := s.EffectiveTargets(unit)
	if err != nil {
		return nil, err
	}
	inds, err := s.Indicators()
	if err != nil {
		return nil, err
	}
	if dirty == nil {
		obs, err := s.rolled(unit, inds, 0, valuesOnly, false)
		if err != nil {
			return nil, err
		}
		return BuildProgress(unit, inds, targets, obs, milestone, s.now()), nil
	}
	changed, read := changedIndicators(inds, dirty)
	obs, err := s.rolled(unit, read, 0, valuesOnly, true)
	if err != nil {
		return nil, err
	}
	fresh := BuildProgress(unit, changed, targets, obs, milestone, s.now())
	byIndicator := map[uint][]Progress{}
	for _, r := range old {
		if !dirty[r.Indicator.ID] {
			byIndicator[r.Indicator.ID] = append(byIndicator[r.Indicator.ID], r)
		}
	}
	for _, r := range fresh {
		byIndicator[r.Indicator.ID] = append(byIndicator[r.Indicator.ID], r)
	}
	out := make([]Progress, 0, len(old)+len(fresh))
	for _, ind := range inds {
		out = append(out, byIndicator[ind.ID]...)
	}
	return out, nil
}

// changedIndicators extends dirty to the indicators weighted by a dirty one
// and returns them (in display order) and, to read, them with their
// weights.
func changedIndicators(inds []Indicator, dirty map[uint]bool) (changed, read []Indicator) {
	codes := map[string]bool{}
	for _, ind := range inds {
		if dirty[ind.ID] {
			codes[ind.Code] = true
		}
	}
	weights := map[string]bool{}
	for _, ind := range inds {
		if dirty[ind.ID] || (ind.Rollup == RollupWeighted && codes[ind.RollupWeight]) {
			dirty[ind.ID] = true
			changed = append(changed, ind)
			if ind.Rollup == RollupWeighted {
				weights[ind.RollupWeight] = true
			}
		}
	}
	for _, ind := range inds {
		if dirty[ind.ID] || weights[ind.Code] {
			read = append(read, ind)
		}
	}
	return changed, read
}

// cachedProgress keeps a unit's rows until a change touches the unit, its
// ancestors or its subtree (and per day, as passed milestones depend on the
// date); a change of some indicators only has their rows computed again.
func (s *Store) cachedProgress(key progressKey, build func(old []Progress, dirty map[uint]bool) ([]Progress, error)) ([]Progress, error) {
	since, err := s.Sync()
	if err != nil {
		return nil, err
	}
	return s.progress.Build(key, since, fmt.Sprint(key), func(old []Progress, dirty map[uint]bool) ([]Progress, Deps, bool, error) {
		rows, err := build(old, dirty)
		return rows, Deps{Units: []uint{key.unit}}, true, err
	})
}
