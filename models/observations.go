package models

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Observation is an actual value of an indicator in a unit for a period
// (2024, 2024-Q3 or 2024-05).
type Observation struct {
	ID          uint       `json:"-"`
	IndicatorID uint       `json:"-"`
	Indicator   *Indicator `json:"-"`
	UnitID      uint       `json:"-"`
	Unit        *Unit      `json:"-"`
	Period      string     `json:"period"`
	Year        int        `json:"-"`
	Value       float64    `json:"value"`
	Note        string     `gorm:"default:''" json:"note"`
	Source      string     `gorm:"default:''" json:"source"`
	Demo        bool       `gorm:"default:false" json:"demo,omitempty"`
	CreatedAt   time.Time  `json:"-"`
	UpdatedAt   time.Time  `json:"updated_at"`
	// Rollup is set on a value computed from the unit's children, never stored.
	Rollup *Rollup `gorm:"-" json:"rollup,omitempty"`
	// Breakdown is set on a part of a total read from breakdown_values
	// (see BreakdownValue.Observation); "" on a total.
	Breakdown string `gorm:"-" json:"-"`
}

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
	ID            uint
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

// observationColumns are what unitObservations reads, the hot read of a page
// (a city has thousands of rows, scanned by hand rather than through
// reflection); valueColumns are enough for an assessment (no note, source or
// timestamps: three times faster).
const (
	observationColumns = "id, indicator_id, unit_id, period, year, value, demo, note, source, created_at, updated_at"
	valueColumns       = "id, indicator_id, unit_id, period, year, value, demo"
)

func (s *Store) unitObservations(unitID uint, valuesOnly bool, only []uint) (map[uint][]Observation, error) {
	where, args := "unit_id = ?", []any{unitID}
	if len(only) > 0 {
		where, args = where+" AND indicator_id IN ?", append(args, only)
	}
	cols := observationColumns
	if valuesOnly {
		cols = valueColumns
	}
	rows, err := s.db.Raw(`SELECT `+cols+` FROM observations WHERE `+where+` ORDER BY indicator_id, period`, args...).Rows()
	if err != nil {
		return nil, fmt.Errorf("store: unable to fetch observations: %w", err)
	}
	defer rows.Close()
	byIndicator := map[uint][]Observation{}
	var current []Observation
	sc := newScanner(11)
	if valuesOnly {
		sc = newScanner(7)
	}
	for rows.Next() {
		if err := sc.scan(rows); err != nil {
			return nil, fmt.Errorf("store: unable to read observations: %w", err)
		}
		o := Observation{ID: sc.uint(0), IndicatorID: sc.uint(1), UnitID: sc.uint(2), Period: sc.string(3),
			Year: sc.int(4), Value: sc.float(5), Demo: sc.bool(6)}
		if !valuesOnly {
			o.Note, o.Source, o.CreatedAt, o.UpdatedAt = sc.string(7), sc.string(8), sc.time(9), sc.time(10)
		}
		if len(current) > 0 && current[0].IndicatorID != o.IndicatorID {
			byIndicator[current[0].IndicatorID] = current
			current = nil
		}
		current = append(current, o)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: unable to read observations: %w", err)
	}
	if len(current) > 0 {
		byIndicator[current[0].IndicatorID] = current
	}
	for id := range byIndicator {
		SortObservations(byIndicator[id])
	}
	return byIndicator, nil
}

// IndicatorObservations returns the observations of one indicator, with
// their units, oldest period first.
func (s *Store) IndicatorObservations(indicatorID uint) ([]Observation, error) {
	var obs []Observation
	if err := s.db.Preload("Unit").Where("indicator_id = ?", indicatorID).Find(&obs).Error; err != nil {
		return nil, fmt.Errorf("store: unable to fetch observations: %w", err)
	}
	SortObservations(obs)
	return obs, nil
}

// AnnualSeries reduces observations to one value per year for the assessment:
// the yearly value where there is one, else the latest sub-annual value of
// the year (targets are stocks at a year's end, like coverage rates).
func AnnualSeries(obs []Observation) []YearValue {
	picks := annualPicks(obs)
	series := make([]YearValue, len(picks))
	for i, o := range picks {
		series[i] = YearValue{Year: o.Year, Value: o.Value}
	}
	return series
}

// annualPicks are the observations AnnualSeries takes, one per year (with
// Year set from the period), by year.
func annualPicks(obs []Observation) []Observation {
	// A few years per series: a slice searched in order, not a map of
	// copied observations (a city's reassessment picks 2.4 M of them).
	type pick struct{ year, end, i int }
	var picks []pick
	for i := range obs {
		p, err := ParsePeriod(obs[i].Period)
		if err != nil {
			continue
		}
		end := p.EndMonth()
		if p.Frequency() == FrequencyYear {
			end = 13 // a yearly value wins over any month of the year
		}
		k := slices.IndexFunc(picks, func(x pick) bool { return x.year == p.Year })
		switch {
		case k < 0:
			picks = append(picks, pick{p.Year, end, i})
		case end > picks[k].end:
			picks[k].end, picks[k].i = end, i
		}
	}
	slices.SortFunc(picks, func(a, b pick) int { return a.year - b.year })
	out := make([]Observation, len(picks))
	for k, x := range picks {
		out[k] = obs[x.i]
		out[k].Year = x.year
	}
	return out
}

// SortObservations orders observations by period, oldest first.
func SortObservations(obs []Observation) {
	// Each period is parsed once, not at every comparison.
	keys := make(map[string]int, 64)
	for _, o := range obs {
		if _, ok := keys[o.Period]; !ok {
			p, _ := ParsePeriod(o.Period)
			keys[o.Period] = p.Year*16 + p.EndMonth()
		}
	}
	sort.SliceStable(obs, func(i, j int) bool { return keys[obs[i].Period] < keys[obs[j].Period] })
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
	changes := make([]Change, 0, len(inputs)+len(parts))
	for _, in := range append(inputs, parts...) {
		changes = append(changes, Change{Unit: in.Unit.ID, Indicator: ind.ID})
	}
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
		if err := p.Err(); err != nil {
			return err
		}
		return s.reassessValuesTx(tx, changes)
	})
	if err != nil {
		return err
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

// EachObservation streams the observations of the given indicators (all when
// empty) in the given units (all when empty), between two periods (either
// may be empty), ordered by indicator, unit and period. each is called for
// every row so large exports never hold all of them.
func (s *Store) EachObservation(indicatorIDs, unitIDs []uint, from, to string, each func(Observation) error) error {
	return s.streamValues(indicatorIDs, unitIDs, from, to, false, true, func(o *Observation) error { return each(*o) })
}

// CountObservations counts the observations of the given indicators and
// units (all when empty), for a progress bar.
func (s *Store) CountObservations(indicatorIDs, unitIDs []uint) (int64, error) {
	q := s.db.Model(&Observation{})
	if len(indicatorIDs) > 0 {
		q = q.Where("indicator_id IN ?", indicatorIDs)
	}
	if len(unitIDs) > 0 {
		q = q.Where("unit_id IN ?", unitIDs)
	}
	var n int64
	if err := q.Count(&n).Error; err != nil {
		return 0, fmt.Errorf("store: unable to count observations: %w", err)
	}
	return n, nil
}

// periodKey orders periods of any frequency: year, then last month covered.
func periodKey(p Period) int { return p.Year*100 + p.EndMonth() }

// periodBound turns a bound written as a period into a key; an empty or bad
// bound is open. A lower bound year means from its first month.
func periodBound(s string, upper bool) int {
	p, err := ParsePeriod(s)
	switch {
	case err != nil && upper:
		return 1 << 30
	case err != nil:
		return 0
	case !upper && p.Frequency() == FrequencyYear:
		return p.Year*100 + 1
	}
	return periodKey(p)
}
