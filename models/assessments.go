package models

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"golang.org/x/sync/singleflight"
	"gorm.io/gorm"
)

// Assessments are stored (table assessments, migration 81) and kept
// current by the writes themselves: the transaction that stores a value, a
// target or a unit change assesses again, before it commits, the series it
// touched and those derived from them (the unit's ancestors' roll-ups, the
// descendants inheriting its targets, the indicators weighted by it), so
// no reader ever sees a value beside an older status and a process killed
// mid-write leaves neither. Readers (pages, API, exports, alerts) read the
// rows and compute nothing. What is stored is SeriesProgress, the one
// computation; AtMilestone picks a milestone's rows from it.
//
// Writes that cannot assess what they touched (the demo loaders, a
// migration, a database edited by hand) mark the table as not built in
// their transaction (MarkUnassessed); the first reader then builds it whole,
// once. A new year can pass a milestone, which changes statuses: the first
// reader of the year builds the table again. Within a year, the one figure
// that moves with the day (the value expected today) is brought to the day
// as rows are read (Assessment.AsOf).

// StoredAssessment is one row of the assessments table: an indicator in a
// unit assessed against one of its effective targets (Milestone is the
// target's year) or against none (TargetID 0, Milestone 0: the trend row,
// which also carries the series' values read by summaries and sparklines).
// Breakdown is ” for the total.
type StoredAssessment struct {
	UnitID               uint   `gorm:"primaryKey;autoIncrement:false"`
	Breakdown            string `gorm:"primaryKey"`
	IndicatorID          uint   `gorm:"primaryKey;autoIncrement:false"`
	Milestone            int    `gorm:"primaryKey;autoIncrement:false"`
	TargetID             uint   `gorm:"primaryKey;autoIncrement:false"`
	TargetUnitID         uint   // the unit whose target it is: another one when inherited
	Status               Status
	ProgressValue        *float64
	Score                *float64
	BaseYear             *int
	BaseValue            *float64
	CurrentYear          *int
	CurrentValue         *float64
	ExpectedNow          *float64
	ExpectedAtCurrent    *float64
	ProjectedYear        *int
	RequiredAnnualChange *float64
	StraightPath         bool
	// The latest value and, when it was computed from the children, its
	// roll-up coverage.
	LatestPeriod string
	LatestValue  *float64
	LatestDemo   bool
	RollupRule   RollupRule
	RollupFrom   int
	RollupOf     int
	// Series is the annual series' values with their periods and the latest
	// (see encodeSeries), on the trend row only.
	Series string
	// AssessedOn is the day (2006-01-02) ExpectedNow is as of.
	AssessedOn string
}

// TableName names the stored assessments' table.
func (StoredAssessment) TableName() string { return "assessments" }

// assessState is what an instance knows of the table: built for the year
// it was checked in.
type assessState struct {
	year   atomic.Int64 // year the table was seen built for; 0: check again
	flight singleflight.Group
}

// assessLock serialises assessing writers on PostgreSQL: two writers of
// wards of one district would each roll the district up without the
// other's value. SQLite lets one writer in at a time anyway.
const assessLock = 81_000_081

// dayOf is the day an assessment is made for: its start, so that every
// computation of one day gives the same figures.
func dayOf(now time.Time) time.Time {
	y, m, d := now.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, now.Location())
}

func (s *Store) today() time.Time { return dayOf(s.now()) }

// MarkUnassessed records, inside the transaction of a write that does not
// assess what it touched (bulk loaders), that the stored assessments must
// be built again before they are read.
func MarkUnassessed(tx *gorm.DB) error {
	if err := tx.Exec(`UPDATE assessment_state SET built = ?`, false).Error; err != nil {
		return fmt.Errorf("store: unable to mark the assessments out of date: %w", err)
	}
	return nil
}

// Reassess assesses again, in a transaction of its own, the series changes
// name (none: every series of the database) and tells the caches, for
// writes made outside the store (tests, tools): `tiendo reassess` builds
// the whole table with it.
func (s *Store) Reassess(changes ...Change) error {
	if err := s.db.Transaction(func(tx *gorm.DB) error { return s.ReassessTx(tx, changes) }); err != nil {
		return err
	}
	s.DataChanged(changes...)
	return nil
}

// ReassessTx assesses again, inside tx, the series the changes touched and
// those derived from them; no change (or a Change{}) means every series.
// Every write calls it in the transaction that stores the data, before it
// commits (the importer at its commit, once for the whole file).
func (s *Store) ReassessTx(tx *gorm.DB, changes []Change) error {
	return s.reassessTx(tx, changes, true)
}

// reassessValuesTx is ReassessTx for changes of values only: the
// descendants inheriting the unit's targets keep their assessments (they
// are made from their own values), so a city's value assesses the city
// again, not its 335 units.
func (s *Store) reassessValuesTx(tx *gorm.DB, changes []Change) error {
	return s.reassessTx(tx, changes, false)
}

// reassessTx: targets says whether the changes may touch targets (which
// descendants inherit).
func (s *Store) reassessTx(tx *gorm.DB, changes []Change, targets bool) error {
	tx = unprepared(tx)
	if IsPostgres(tx) {
		if err := tx.Exec(`SELECT pg_advisory_xact_lock(?)`, assessLock).Error; err != nil {
			return fmt.Errorf("store: unable to lock the assessments: %w", err)
		}
	}
	return s.assess(tx, func(a *assessor) error { return a.reassess(changes, targets) })
}

// assess runs fn with an assessor of tx, then writes the rows it left
// buffered.
func (s *Store) assess(tx *gorm.DB, fn func(*assessor) error) error {
	a, err := s.newAssessor(tx)
	if err != nil {
		return err
	}
	return errors.Join(fn(a), a.out.Close())
}

// reassess is reassessTx with its assessor.
func (a *assessor) reassess(changes []Change, targets bool) error {
	tx := a.tx
	if len(changes) == 0 {
		return a.all()
	}
	work := map[uint]map[uint]bool{} // indicator → units (nil: every unit)
	add := func(ind uint, units map[uint]bool) {
		if units == nil {
			work[ind] = nil
			return
		}
		if cur, ok := work[ind]; ok && cur == nil {
			return
		}
		if work[ind] == nil {
			work[ind] = map[uint]bool{}
		}
		for u := range units {
			work[ind][u] = true
		}
	}
	for _, c := range changes {
		switch {
		case c.Unit == 0 && c.Indicator == 0:
			return a.all()
		case c.Unit == 0:
			add(c.Indicator, nil)
			for _, j := range a.weightedBy(c.Indicator) {
				add(j, nil)
			}
		case c.Indicator == 0:
			reach := a.spread(c.Unit, true, true)
			for _, ind := range a.inds {
				add(ind.ID, reach)
			}
			// A unit that is gone leaves no rows behind.
			if _, ok := a.units[c.Unit]; !ok {
				if err := tx.Exec(`DELETE FROM assessments WHERE unit_id = ?`, c.Unit).Error; err != nil {
					return fmt.Errorf("store: unable to delete assessments: %w", err)
				}
			}
		default:
			ind, ok := a.byID[c.Indicator]
			// Descendants inherit the unit's targets; ancestors roll its
			// values up.
			add(c.Indicator, a.spread(c.Unit, ok && ind.Rollup != RollupNone, targets))
			for _, j := range a.weightedBy(c.Indicator) {
				up := a.spread(c.Unit, true, false)
				delete(up, c.Unit)
				add(j, up)
			}
		}
	}
	ids := make([]uint, 0, len(work))
	for id := range work {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		if err := a.indicator(id, work[id]); err != nil {
			return err
		}
	}
	return nil
}

// assessor gathers, inside one transaction, what SeriesProgress needs for
// an indicator in many units (the same values, roll-ups and inherited
// targets as Store.EffectiveTargets and Store.RolledObservations) and
// stores its rows.
type assessor struct {
	tx       *gorm.DB
	today    time.Time
	day      string
	units    map[uint]Unit
	children map[uint][]Unit // by id, as Store.Children
	inds     []Indicator     // not retired
	byID     map[uint]Indicator
	byCode   map[string]Indicator
	weighted map[uint][]uint // indicator → those weighted by it
	out      *rowWriter      // the rows assessed, a batch at a time: closed (written) by all and by reassessTx
}

func (s *Store) newAssessor(tx *gorm.DB) (*assessor, error) {
	today := s.today()
	day := today.Format("2006-01-02")
	a := &assessor{tx: tx, today: today, day: day, units: map[uint]Unit{}, children: map[uint][]Unit{}, byID: map[uint]Indicator{},
		byCode: map[string]Indicator{}, weighted: map[uint][]uint{}, out: newRowWriter(tx, assessmentsTable, day)}
	var units []Unit
	if err := tx.Order("id").Find(&units).Error; err != nil {
		return nil, fmt.Errorf("store: unable to fetch units: %w", err)
	}
	for _, u := range units {
		a.units[u.ID] = u
		if u.ParentID != nil {
			a.children[*u.ParentID] = append(a.children[*u.ParentID], u)
		}
	}
	if err := tx.Where("retired = ?", false).Order("id").Find(&a.inds).Error; err != nil {
		return nil, fmt.Errorf("store: unable to fetch indicators: %w", err)
	}
	for _, ind := range a.inds {
		a.byID[ind.ID], a.byCode[ind.Code] = ind, ind
	}
	return a, nil
}

// spread is unit with, as asked, its ancestors and its descendants.
func (a *assessor) spread(unit uint, up, down bool) map[uint]bool {
	out := map[uint]bool{unit: true}
	if up {
		next := a.units[unit].ParentID
		for i := 0; next != nil && i < maxDepth && !out[*next]; i++ {
			out[*next] = true
			next = a.units[*next].ParentID
		}
	}
	if down {
		var walk func(u uint, depth int)
		walk = func(u uint, depth int) {
			for _, c := range a.children[u] {
				if depth < maxDepth && !out[c.ID] {
					out[c.ID] = true
					walk(c.ID, depth+1)
				}
			}
		}
		walk(unit, 0)
	}
	return out
}

// weightedBy returns the indicators whose roll-up is weighted by ind.
func (a *assessor) weightedBy(ind uint) []uint {
	if out, ok := a.weighted[ind]; ok {
		return out
	}
	var out []uint
	// A retired indicator's code still names it.
	var w Indicator
	if err := a.tx.Select("id, code").First(&w, ind).Error; err == nil {
		out = weightedBy(a.inds, w.Code)
	}
	a.weighted[ind] = out
	return out
}

// all builds the whole table again. On SQLite the values and targets of
// the next indicator are read while the current one is assessed and
// stored: reading is half the work, and the connection (serialised by
// database/sql) is free while the assessing computes. PostgreSQL's
// connection serves one query at a time, rows and all.
func (a *assessor) all() error {
	if err := a.tx.Exec(`DELETE FROM assessments WHERE breakdown = ''`).Error; err != nil {
		return fmt.Errorf("store: unable to empty the assessments: %w", err)
	}
	every := slices.Sorted(maps.Keys(a.units))
	if IsPostgres(a.tx) {
		for _, ind := range a.inds {
			if err := a.assess(ind, every, nil, a.read(ind, every, nil)); err != nil {
				return err
			}
		}
	} else if err := a.allAhead(every); err != nil {
		return err
	}
	if err := a.tx.Exec(`UPDATE assessment_state SET built = ?, day = ?`, true, a.day).Error; err != nil {
		return fmt.Errorf("store: unable to mark the assessments built: %w", err)
	}
	return nil
}

// allAhead assesses every indicator in every unit, reading one indicator
// ahead on a goroutine of its own.
func (a *assessor) allAhead(every []uint) error {
	next := make(chan indicatorReads, 1)
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		defer close(next)
		for _, ind := range a.inds {
			select {
			case next <- a.read(ind, every, nil):
			case <-stop:
				return
			}
		}
	}()
	for _, ind := range a.inds {
		if err := a.assess(ind, every, nil, <-next); err != nil {
			return err
		}
	}
	return nil
}

// indicator assesses one indicator again in the units given (nil: every
// unit) and replaces their stored rows.
func (a *assessor) indicator(id uint, units map[uint]bool) error {
	del := a.tx.Where("breakdown = '' AND indicator_id = ?", id)
	ind, active := a.byID[id]
	var want []uint
	if units == nil {
		want = slices.Collect(maps.Keys(a.units))
	} else {
		for uid := range units {
			if _, ok := a.units[uid]; ok {
				want = append(want, uid)
			}
		}
		del = del.Where("unit_id IN ?", slices.Collect(mapKeys(units)))
	}
	slices.Sort(want)
	if err := del.Delete(&StoredAssessment{}).Error; err != nil {
		return fmt.Errorf("store: unable to delete assessments: %w", err)
	}
	if !active || len(want) == 0 {
		return nil
	}
	var some []uint // the units asked, if not every one
	if units != nil {
		some = want
	}
	return a.assess(ind, want, some, a.read(ind, want, some))
}

// indicatorReads is what assessing an indicator reads: its values and
// those of its weights (see assessor.values), and its targets.
type indicatorReads struct {
	own     map[uint]map[uint][]Observation
	targets map[uint][]Target
	err     error
}

// read reads what assessing ind in the units want needs; some is want
// when not every unit is asked. It only reads the assessor's maps, so it
// may run beside assess.
func (a *assessor) read(ind Indicator, want, some []uint) indicatorReads {
	own, err := a.values(ind, want)
	if err != nil {
		return indicatorReads{err: err}
	}
	targets, err := a.targets(ind.ID, some)
	return indicatorReads{own: own, targets: targets, err: err}
}

// assess computes ind's rows in the units want from what read read, and
// stores them.
func (a *assessor) assess(ind Indicator, want, some []uint, r indicatorReads) error {
	if r.err != nil {
		return r.err
	}
	series := a.series(ind, want, r.own)
	for _, uid := range want {
		unit := a.units[uid]
		withTargets, trend, ok := SeriesProgress(ProgressInput{Indicator: ind, Unit: unit, Today: a.today,
			Targets: a.effectiveTargets(unit, r.targets), Values: series[uid]})
		if !ok {
			continue
		}
		for _, r := range withTargets {
			if err := a.write(a.row(r, false)); err != nil {
				return err
			}
		}
		if err := a.write(a.row(trend, true)); err != nil {
			return err
		}
	}
	return nil
}

// assessmentsTable is where the assessor writes: the columns storedRows
// reads, the last (the day the rows are as of) the same in every row.
var assessmentsTable = func() rowTable {
	cols := strings.Split(storedColumns, ", ")
	if cols[len(cols)-1] != "assessed_on" {
		panic("store: storedColumns must end with assessed_on")
	}
	return rowTable{table: "assessments", columns: cols[:len(cols)-1], shared: cols[len(cols)-1:], uniform: []int{1, 2}}
}()

// write buffers a row, in the order of assessmentsTable's columns.
func (a *assessor) write(r StoredAssessment) error {
	a.out.args = append(a.out.args, int64(r.UnitID), r.Breakdown, int64(r.IndicatorID), int64(r.Milestone), int64(r.TargetID),
		int64(r.TargetUnitID), string(r.Status), optArg(r.ProgressValue), optArg(r.Score), optArg(r.BaseYear), optArg(r.BaseValue),
		optArg(r.CurrentYear), optArg(r.CurrentValue), optArg(r.ExpectedNow), optArg(r.ExpectedAtCurrent), optArg(r.ProjectedYear),
		optArg(r.RequiredAnnualChange), r.StraightPath, r.LatestPeriod, optArg(r.LatestValue), r.LatestDemo, string(r.RollupRule),
		int64(r.RollupFrom), int64(r.RollupOf), r.Series)
	return a.out.added()
}

// optArg is an optional number as the driver takes it without reflection:
// nil for NULL, else int64 or float64.
func optArg[T int | float64](p *T) any {
	if p == nil {
		return nil
	}
	switch v := any(*p).(type) {
	case int:
		return int64(v)
	default:
		return v
	}
}

func mapKeys(m map[uint]bool) func(func(uint) bool) {
	return func(yield func(uint) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// targets returns the current targets of an indicator by unit, each unit's
// by year, as Store.UnitTargets orders them: those the units given use
// (nil: every unit).
func (a *assessor) targets(ind uint, units []uint) (map[uint][]Target, error) {
	q := a.tx.Where("indicator_id = ? AND superseded_at IS NULL", ind)
	if units != nil {
		// Only what these units use: their own targets and their
		// ancestors' (inherited); a ward's write reads a few, not the city's.
		with := map[uint]bool{}
		for _, u := range units {
			maps.Copy(with, a.spread(u, true, false))
		}
		q = q.Where("unit_id IN ?", slices.Collect(mapKeys(with)))
	}
	out := map[uint][]Target{}
	err := eachTargetRow(q.Model(&Target{}).Order("unit_id, year, id"), func(t Target) error {
		out[t.UnitID] = append(out[t.UnitID], t)
		return nil
	})
	return out, err
}

// effectiveTargets are the unit's own targets, else its nearest ancestor's
// (with Unit set), as Store.EffectiveTargets.
func (a *assessor) effectiveTargets(unit Unit, byUnit map[uint][]Target) []Target {
	if own := byUnit[unit.ID]; len(own) > 0 {
		return own
	}
	seen := map[uint]bool{unit.ID: true}
	next := unit.ParentID
	for i := 0; next != nil && i < maxDepth && !seen[*next]; i++ {
		seen[*next] = true
		if ts := byUnit[*next]; len(ts) > 0 {
			out := make([]Target, len(ts))
			owner := a.units[*next]
			for j, t := range ts {
				t.Unit = &owner
				out[j] = t
			}
			return out
		}
		next = a.units[*next].ParentID
	}
	return nil
}

// values reads what series needs: the values of ind and of its weights,
// in the units asked unless they roll up (then in every unit).
func (a *assessor) values(ind Indicator, units []uint) (map[uint]map[uint][]Observation, error) {
	set := weightClosure(ind, a.byCode)
	ids := make([]uint, len(set))
	for i, x := range set {
		ids[i] = x.ID
	}
	var only []uint
	if !anyRollup(set) {
		only = units
	}
	return readValues(a.tx, ids, only)
}

// series returns ind's values in the units asked for: their own and, for
// an indicator that rolls up, those computed from their children as
// Store.rolled computes them (with the weights' own roll-ups). own is
// what values read.
func (a *assessor) series(ind Indicator, units []uint, own map[uint]map[uint][]Observation) map[uint][]Observation {
	set := weightClosure(ind, a.byCode)
	memo := map[uint]map[uint][]Observation{}
	var at func(u uint, depth int) map[uint][]Observation
	at = func(u uint, depth int) map[uint][]Observation {
		if m, ok := memo[u]; ok {
			return m
		}
		out := own[u]
		children := a.children[u]
		if depth < maxDepth && anyRollup(set) && len(children) > 0 {
			childObs := make([]map[uint][]Observation, len(children))
			for i, c := range children {
				childObs[i] = at(c.ID, depth+1)
			}
			out = rollUpParent(u, set, own[u], children, childObs, func(code string) uint { return a.byCode[code].ID })
		}
		memo[u] = out
		return out
	}
	out := make(map[uint][]Observation, len(units))
	for _, u := range units {
		out[u] = at(u, 0)[ind.ID]
	}
	return out
}

// readValues reads the values (no notes or sources) of some indicators,
// in some units (nil: all), by unit and indicator, each series by period.
func readValues(tx *gorm.DB, inds, units []uint) (map[uint]map[uint][]Observation, error) {
	out := map[uint]map[uint][]Observation{}
	read := func(where string, args ...any) error {
		rows, err := tx.Raw(`SELECT `+valueColumns+` FROM observations WHERE `+where+` ORDER BY unit_id, indicator_id, period`, args...).Rows()
		if err != nil {
			return fmt.Errorf("store: unable to fetch observations: %w", err)
		}
		defer rows.Close()
		// Into interfaces (scanner): a uint through database/sql's own
		// conversion goes by way of a string, and a city's reassessment
		// reads every value.
		sc := newScanner(7)
		for rows.Next() {
			if err := sc.scan(rows); err != nil {
				return fmt.Errorf("store: unable to read observations: %w", err)
			}
			o := Observation{ID: sc.uint(0), IndicatorID: sc.uint(1), UnitID: sc.uint(2), Period: sc.string(3),
				Year: sc.int(4), Value: sc.float(5), Demo: sc.bool(6)}
			if out[o.UnitID] == nil {
				out[o.UnitID] = map[uint][]Observation{}
			}
			out[o.UnitID][o.IndicatorID] = append(out[o.UnitID][o.IndicatorID], o)
		}
		return rows.Err()
	}
	if units == nil {
		if err := read(`indicator_id IN ?`, inds); err != nil {
			return nil, err
		}
	}
	for start := 0; start < len(units); start += 500 {
		if err := read(`indicator_id IN ? AND unit_id IN ?`, inds, units[start:min(start+500, len(units))]); err != nil {
			return nil, err
		}
	}
	for _, byInd := range out {
		for _, obs := range byInd {
			SortObservations(obs)
		}
	}
	return out, nil
}

// row is what the table keeps of a progress row.
func (a *assessor) row(p Progress, trend bool) StoredAssessment {
	r := StoredAssessment{UnitID: p.Unit.ID, IndicatorID: p.Indicator.ID, Status: p.Assessment.Status,
		ProgressValue: p.Assessment.ProgressValue, Score: p.Assessment.Score, BaseYear: p.Assessment.BaseYear,
		BaseValue: p.Assessment.BaseValue, CurrentYear: p.Assessment.CurrentYear, CurrentValue: p.Assessment.CurrentValue,
		ExpectedNow: p.Assessment.ExpectedNow, ExpectedAtCurrent: p.Assessment.ExpectedAtCurrent,
		ProjectedYear: p.Assessment.ProjectedYear, RequiredAnnualChange: p.Assessment.RequiredAnnualChange,
		StraightPath: p.Assessment.StraightPath, AssessedOn: a.day}
	if t := p.Target; t != nil {
		r.Milestone, r.TargetID, r.TargetUnitID = t.Year, t.ID, t.UnitID
	}
	if o := p.Latest(); o != nil {
		r.LatestPeriod, r.LatestValue, r.LatestDemo = o.Period, &o.Value, o.Demo
		if o.Rollup != nil {
			r.RollupRule, r.RollupFrom, r.RollupOf = o.Rollup.Rule, o.Rollup.From, o.Rollup.Of
		}
	}
	if trend {
		r.Series = encodeSeries(p.Observations)
	}
	return r
}

// encodeSeries keeps what summaries read of a series: the value the annual
// series takes in each year and the latest value, as "period value" pairs
// (a * after a demo value) joined by ";". Values keep every bit.
func encodeSeries(obs []Observation) string {
	keep := summaryObservations(obs)
	var b strings.Builder
	for i, o := range keep {
		if i > 0 {
			b.WriteByte(';')
		}
		b.WriteString(o.Period)
		b.WriteByte(' ')
		b.WriteString(strconv.FormatFloat(o.Value, 'g', -1, 64))
		if o.Demo {
			b.WriteByte('*')
		}
	}
	return b.String()
}

// summaryObservations are the observations of a series the annual series
// takes, then the latest if it is another: AnnualSeries and Latest give
// the same on them as on the whole series.
func summaryObservations(obs []Observation) []Observation {
	if len(obs) == 0 {
		return nil
	}
	keep := annualPicks(obs)
	if latest := obs[len(obs)-1]; len(keep) == 0 || keep[len(keep)-1].Period != latest.Period {
		keep = append(keep, latest)
	}
	return keep
}

// decodeSeries reads encodeSeries's text back as observations of ind in
// unit; the last one gets the stored roll-up coverage.
func decodeSeries(text string, r StoredAssessment) ([]Observation, error) {
	if text == "" {
		return nil, nil
	}
	parts := strings.Split(text, ";")
	obs := make([]Observation, len(parts))
	for i, part := range parts {
		period, value, ok := strings.Cut(part, " ")
		o := Observation{IndicatorID: r.IndicatorID, UnitID: r.UnitID, Period: period}
		o.Value, o.Demo = 0, strings.HasSuffix(value, "*")
		v, err := strconv.ParseFloat(strings.TrimSuffix(value, "*"), 64)
		p, perr := ParsePeriod(period)
		if !ok || err != nil || perr != nil {
			return nil, fmt.Errorf("store: unreadable stored series %q", part)
		}
		o.Value, o.Year = v, p.Year
		obs[i] = o
	}
	if r.RollupRule != RollupNone {
		obs[len(obs)-1].Rollup = &Rollup{Rule: r.RollupRule, From: r.RollupFrom, Of: r.RollupOf}
	}
	return obs, nil
}

// ensureAssessed builds the table when it is not built for this year: a
// fresh or migrated database, a bulk load, a new year. It is checked once
// per instance and year, and again when the change log says everything
// changed; the build runs once however many readers wait for it.
func (s *Store) ensureAssessed() error {
	_, err := s.EnsureAssessed()
	return err
}

// EnsureAssessed builds the stored assessments if they are not built for
// this year, and says whether it did: the server calls it before it
// listens, so that the first reader does not wait for the build.
func (s *Store) EnsureAssessed() (bool, error) {
	year := int64(s.now().Year())
	if s.assessed.year.Load() == year {
		return false, nil
	}
	v, err, _ := s.assessed.flight.Do("build", func() (any, error) {
		built := false
		err := s.db.Transaction(func(tx *gorm.DB) error {
			if ok, err := assessedFor(tx, year); err != nil || ok {
				return err
			}
			if IsPostgres(tx) {
				if err := tx.Exec(`SELECT pg_advisory_xact_lock(?)`, assessLock).Error; err != nil {
					return fmt.Errorf("store: unable to lock the assessments: %w", err)
				}
				// Another instance may have built it meanwhile.
				if ok, err := assessedFor(tx, year); err != nil || ok {
					return err
				}
			}
			built = true
			return s.assess(tx, (*assessor).all)
		})
		if err != nil {
			return nil, err
		}
		if built {
			// Answers stored from the old rows go, here and in other
			// instances; the data itself did not change, so no alert
			// rule is evaluated (that would read the rows being built).
			s.announce(nil, false)
		}
		s.assessed.year.Store(year)
		return built, nil
	})
	built, _ := v.(bool)
	return built, err
}

// assessedFor reads whether the table is built for year.
func assessedFor(tx *gorm.DB, year int64) (bool, error) {
	var st struct {
		Built bool
		Day   string
	}
	if err := tx.Raw(`SELECT built, day FROM assessment_state`).Scan(&st).Error; err != nil {
		return false, fmt.Errorf("store: unable to read the assessments' state: %w", err)
	}
	return st.Built && strings.HasPrefix(st.Day, strconv.FormatInt(year, 10)+"-"), nil
}

// ErrUnassessed is returned by StoredProgress for rows the table lacks.
var ErrUnassessed = errors.New("store: assessments missing")

// storedProgress reads a unit's stored rows at a milestone: the rows
// IndicatorProgress gives, every indicator in display order, their
// observations those the summaries read (see summaryObservations).
func (s *Store) storedProgress(unit Unit, milestone int, only map[uint]bool) ([]Progress, error) {
	rows, err := s.readStored(unit, milestone, only)
	if errors.Is(err, ErrUnassessed) {
		// Another process's bulk load committed (and marked the table)
		// between this instance's checks: build, then read again.
		s.assessed.year.Store(0)
		rows, err = s.readStored(unit, milestone, only)
	}
	return rows, err
}

// readStored reads a unit's stored rows of the indicators in only (nil:
// every one).
func (s *Store) readStored(unit Unit, milestone int, only map[uint]bool) ([]Progress, error) {
	if err := s.ensureAssessed(); err != nil {
		return nil, err
	}
	// The state row is read again at every read of the table (one row, on
	// a miss of the cache above): a bulk load in another process marks it.
	ok, err := assessedFor(s.db, int64(s.now().Year()))
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fmt.Errorf("%w: marked out of date", ErrUnassessed)
	}
	q := s.db.Where("unit_id = ? AND breakdown = ''", unit.ID)
	if only != nil {
		q = q.Where("indicator_id IN ?", slices.Collect(mapKeys(only)))
	}
	stored, err := storedRows(q.Order("indicator_id, milestone, target_id"))
	if err != nil {
		return nil, err
	}
	inds, err := s.Indicators()
	if err != nil {
		return nil, err
	}
	var targetIDs []uint
	owners := map[uint]bool{}
	for _, r := range stored {
		if r.TargetID != 0 {
			targetIDs = append(targetIDs, r.TargetID)
			if r.TargetUnitID != unit.ID {
				owners[r.TargetUnitID] = true
			}
		}
	}
	targets := map[uint]Target{}
	if len(targetIDs) > 0 {
		var ts []Target
		err := eachTargetRow(s.db.Model(&Target{}).Where("id IN ?", targetIDs), func(t Target) error {
			ts = append(ts, t)
			return nil
		})
		if err != nil {
			return nil, err
		}
		var us []Unit
		if len(owners) > 0 {
			if err := s.db.Where("id IN ?", slices.Collect(mapKeys(owners))).Find(&us).Error; err != nil {
				return nil, fmt.Errorf("store: unable to fetch units: %w", err)
			}
		}
		byID := map[uint]Unit{}
		for _, u := range us {
			byID[u.ID] = u
		}
		for _, t := range ts {
			if t.UnitID != unit.ID {
				owner := byID[t.UnitID]
				t.Unit = &owner
			}
			targets[t.ID] = t
		}
	}
	byInd := map[uint][]StoredAssessment{}
	for _, r := range stored {
		byInd[r.IndicatorID] = append(byInd[r.IndicatorID], r)
	}
	now := s.now()
	today, day := dayOf(now), now.Format("2006-01-02")
	var out []Progress
	for _, ind := range inds {
		rs := byInd[ind.ID]
		if len(rs) == 0 {
			continue
		}
		var trend Progress
		var rows []Progress
		var obs []Observation
		for _, r := range rs {
			if r.TargetID == 0 {
				if obs, err = decodeSeries(r.Series, r); err != nil {
					return nil, err
				}
			}
		}
		for _, r := range rs {
			p := Progress{Indicator: ind, Unit: unit, Observations: obs, Assessment: r.assessment()}
			if r.TargetID == 0 {
				trend = p
				continue
			}
			t, ok := targets[r.TargetID]
			if !ok {
				return nil, fmt.Errorf("%w: target %d of %s is gone", ErrUnassessed, r.TargetID, ind.Code)
			}
			p.Target = &t
			if r.AssessedOn != day {
				goal := t.Goal()
				p.Assessment = p.Assessment.AsOf(ind.Direction, &goal, today)
			}
			rows = append(rows, p)
		}
		out = append(out, AtMilestone(rows, trend, milestone, today)...)
	}
	return out, nil
}

// storedColumns are the columns of a StoredAssessment, in the order
// storedRows reads them.
const storedColumns = "unit_id, breakdown, indicator_id, milestone, target_id, target_unit_id, status, progress_value, score, base_year, base_value, " +
	"current_year, current_value, expected_now, expected_at_current, projected_year, required_annual_change, straight_path, " +
	"latest_period, latest_value, latest_demo, rollup_rule, rollup_from, rollup_of, series, assessed_on"

// storedRows reads the stored assessments q selects, scanned by hand (see
// scanner): every page and export reads them.
func storedRows(q *gorm.DB) ([]StoredAssessment, error) {
	rows, err := q.Model(&StoredAssessment{}).Select(storedColumns).Rows()
	if err != nil {
		return nil, fmt.Errorf("store: unable to fetch assessments: %w", err)
	}
	defer rows.Close()
	var out []StoredAssessment
	sc := newScanner(26)
	for rows.Next() {
		if err := sc.scan(rows); err != nil {
			return nil, fmt.Errorf("store: unable to read assessment: %w", err)
		}
		out = append(out, StoredAssessment{UnitID: sc.uint(0), Breakdown: sc.string(1), IndicatorID: sc.uint(2), Milestone: sc.int(3),
			TargetID: sc.uint(4), TargetUnitID: sc.uint(5), Status: Status(sc.string(6)), ProgressValue: sc.optFloat(7), Score: sc.optFloat(8),
			BaseYear: sc.optInt(9), BaseValue: sc.optFloat(10), CurrentYear: sc.optInt(11), CurrentValue: sc.optFloat(12),
			ExpectedNow: sc.optFloat(13), ExpectedAtCurrent: sc.optFloat(14), ProjectedYear: sc.optInt(15), RequiredAnnualChange: sc.optFloat(16),
			StraightPath: sc.bool(17), LatestPeriod: sc.string(18), LatestValue: sc.optFloat(19), LatestDemo: sc.bool(20),
			RollupRule: RollupRule(sc.string(21)), RollupFrom: sc.int(22), RollupOf: sc.int(23), Series: sc.string(24), AssessedOn: sc.string(25)})
	}
	return out, rows.Err()
}

func (r StoredAssessment) assessment() Assessment {
	return Assessment{Status: r.Status, ProgressValue: r.ProgressValue, Score: r.Score, BaseYear: r.BaseYear,
		BaseValue: r.BaseValue, CurrentYear: r.CurrentYear, CurrentValue: r.CurrentValue, ExpectedNow: r.ExpectedNow,
		ExpectedAtCurrent: r.ExpectedAtCurrent, ProjectedYear: r.ProjectedYear, RequiredAnnualChange: r.RequiredAnnualChange,
		StraightPath: r.StraightPath}
}

// ComputedProgress is a unit's progress computed straight from the values
// and targets, without the stored table: the reference the stored rows are
// checked against (`tiendo reassess -check`, tests). Its rows carry every
// observation of the series.
func (s *Store) ComputedProgress(unit Unit, milestone int) ([]Progress, error) {
	targets, err := s.EffectiveTargets(unit)
	if err != nil {
		return nil, err
	}
	inds, err := s.Indicators()
	if err != nil {
		return nil, err
	}
	obs, err := s.rolled(unit, inds, 0, true, false)
	if err != nil {
		return nil, err
	}
	return BuildProgress(unit, inds, targets, obs, milestone, s.today()), nil
}

// Series returns the values of one indicator in a unit, with notes and
// sources: its own and those rolled up from its children (the indicator
// page's table and chart; its status is in the stored rows).
func (s *Store) Series(unit Unit, ind Indicator) ([]Observation, error) {
	inds, err := s.Indicators()
	if err != nil {
		return nil, err
	}
	byCode := map[string]Indicator{}
	for _, x := range inds {
		byCode[x.Code] = x
	}
	obs, err := s.rolled(unit, weightClosure(ind, byCode), 0, false, true)
	if err != nil {
		return nil, err
	}
	return obs[ind.ID], nil
}

// StoredAssessments counts the rows of the assessments table.
func (s *Store) StoredAssessments() (int64, error) {
	var n int64
	if err := s.db.Model(&StoredAssessment{}).Count(&n).Error; err != nil {
		return 0, fmt.Errorf("store: unable to count assessments: %w", err)
	}
	return n, nil
}

// weightClosure is ind with the indicators its roll-up is weighted by, and
// theirs: what its values in a parent are computed from.
func weightClosure(ind Indicator, byCode map[string]Indicator) []Indicator {
	set := []Indicator{ind}
	for i := 0; i < len(set); i++ {
		w, ok := byCode[set[i].RollupWeight]
		if ok && set[i].Rollup == RollupWeighted && !slices.ContainsFunc(set, func(x Indicator) bool { return x.ID == w.ID }) {
			set = append(set, w)
		}
	}
	return set
}
