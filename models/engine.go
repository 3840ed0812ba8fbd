package models

import "fmt"

type progressKey struct {
	unit      uint
	milestone int
	day       string
}

// progressCacheSize bounds the assessed units kept. A unit's rows hold
// every indicator's full series: about 1.5 MB at 150 quarterly indicators
// while an observation held copies of its indicator and unit (less since
// it points to them), and 256 units made a server of 1.9 GB while planners
// wrote in random wards.
// 64 hold a city's overview (the city and its 22 districts) and a
// district's page with its wards; another unit is read again from the
// stored table in milliseconds.
const progressCacheSize = 64

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
	return rollUpParent(unit.ID, inds, own, children, childObs, func(code string) uint { return byCode[code] }), nil
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
// children, as stored in the assessments table. It is the one way pages,
// the API and exports get a status. A row's observations are those
// summaries read: the value of each year and the latest (Store.Series has
// the whole series). Rows are kept until a change touches the unit (see
// cachedProgress) and shared between requests: callers must not modify them.
func (s *Store) CachedEffectiveProgress(unit Unit, milestone int) ([]Progress, error) {
	key := progressKey{unit: unit.ID, milestone: milestone, day: s.now().Format("2006-01-02")}
	return s.cachedProgress(key, func(only map[uint]bool) ([]Progress, error) { return s.storedProgress(unit, milestone, only) })
}

// CachedEffectiveAssessments is CachedEffectiveProgress, for summaries.
func (s *Store) CachedEffectiveAssessments(unit Unit, milestone int) ([]Progress, error) {
	return s.CachedEffectiveProgress(unit, milestone)
}

// EffectiveAssessments is CachedEffectiveAssessments for one pass over many
// units (exports): a stored answer is used, but one read here is not
// kept, so exporting a city does not fill memory with every unit's rows.
func (s *Store) EffectiveAssessments(unit Unit, milestone int) ([]Progress, error) {
	if _, err := s.Sync(); err != nil {
		return nil, err
	}
	key := progressKey{unit: unit.ID, milestone: milestone, day: s.now().Format("2006-01-02")}
	if rows, ok := s.progress.Get(key); ok {
		return rows, nil
	}
	return s.storedProgress(unit, milestone, nil)
}

// cachedProgress keeps a unit's rows until a change touches the unit, its
// ancestors or its subtree (and per day, as the value expected today
// depends on the date). After a change of some indicators only their rows
// (and those of the indicators weighted by them) are read again: a ward's
// value leaves the city's other 149 rows as they were. build reads the
// rows of the indicators in only (nil: every one).
func (s *Store) cachedProgress(key progressKey, build func(only map[uint]bool) ([]Progress, error)) ([]Progress, error) {
	since, err := s.Sync()
	if err != nil {
		return nil, err
	}
	return s.progress.Build(key, since, fmt.Sprint(key), func(old []Progress, dirty map[uint]bool) ([]Progress, Deps, bool, error) {
		deps := Deps{Units: []uint{key.unit}}
		if dirty == nil {
			rows, err := build(nil)
			return rows, deps, true, err
		}
		inds, err := s.Indicators()
		if err != nil {
			return nil, deps, false, err
		}
		only, ok := withWeighted(inds, dirty)
		if !ok {
			rows, err := build(nil)
			return rows, deps, true, err
		}
		fresh, err := build(only)
		if err != nil {
			return nil, deps, false, err
		}
		return patchRows(inds, old, fresh, only), deps, true, nil
	})
}

// withWeighted is the indicators changed plus those whose roll-up is
// weighted by one of them, as the stored assessments are written; false
// when one changed is not an active indicator (its code is not at hand:
// read everything again).
func withWeighted(inds []Indicator, changed map[uint]bool) (map[uint]bool, bool) {
	codes := map[string]bool{}
	out := map[uint]bool{}
	for _, ind := range inds {
		if changed[ind.ID] {
			codes[ind.Code] = true
			out[ind.ID] = true
		}
	}
	if len(out) != len(changed) {
		return nil, false
	}
	for code := range codes {
		for _, id := range weightedBy(inds, code) {
			out[id] = true
		}
	}
	return out, true
}

// patchRows puts the fresh rows of the indicators in only in place of the
// old ones, in the indicators' order.
func patchRows(inds []Indicator, old, fresh []Progress, only map[uint]bool) []Progress {
	byInd := map[uint][]Progress{}
	for _, r := range old {
		if !only[r.Indicator.ID] {
			byInd[r.Indicator.ID] = append(byInd[r.Indicator.ID], r)
		}
	}
	for _, r := range fresh {
		byInd[r.Indicator.ID] = append(byInd[r.Indicator.ID], r)
	}
	out := make([]Progress, 0, len(old))
	for _, ind := range inds {
		out = append(out, byInd[ind.ID]...)
	}
	return out
}
