package importer

import (
	"errors"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"tiendo/models"
)

// What to do with units and indicators the database does not know yet.
const (
	MissingAsk    = ""       // stop and ask
	MissingCreate = "create" // create them from the names in the file
	MissingSkip   = "skip"   // leave their rows out
)

// Options are the user's choices for one import.
type Options struct {
	Unit        string            // unit of rows that name none
	Missing     string            // MissingAsk, MissingCreate or MissingSkip
	SkipInvalid bool              // import the good rows of a file with problems
	UnitNames   map[string]string // extra names → unit code (a mapping table)
	// UnitTree lets the import create units and change their parents:
	// admins and the command line only.
	UnitTree bool
	// Scope, when set, holds the codes of the only units a scoped planner
	// may write; such a planner may not define indicators or pillars
	// either. A record outside it stops the whole import, by name.
	Scope map[string]bool
	// Direction is the direction ("higher" or "lower") of indicators the
	// import creates whose file does not say; empty: inferred from their
	// targets, else left unset.
	Direction string
	// Breakdowns maps a file's columns and cells to dimensions and values:
	// "Gender=*" → "SEX=*", "Gender=Woman+" → "SEX=F", "Gender=All genders" → "_T".
	Breakdowns map[string]string
	// AllowEmpty commits a file with nothing to import (no data row, or
	// every row left out) instead of refusing it.
	AllowEmpty bool
}

// Counts is what an import does to one kind of record.
type Counts struct {
	Create int `json:"create"`
	Update int `json:"update"`
	Same   int `json:"unchanged"`
}

// Plan is the preview of an import: what it would create, update and leave
// alone, what is unknown and what is wrong. Commit carries it out.
type Plan struct {
	Files             []string  `json:"files"`
	Format            string    `json:"format"`
	Rows              int       `json:"rows"`
	LeftOut           int       `json:"left_out"`
	SkippedMissing    int       `json:"skipped_missing"`
	Pillars           Counts    `json:"pillars"`
	Units             Counts    `json:"units"`
	Indicators        Counts    `json:"indicators"`
	Targets           Counts    `json:"targets"`
	Observations      Counts    `json:"observations"`
	MissingUnits      []Ref     `json:"missing_units"`
	MissingIndicators []Ref     `json:"missing_indicators"`
	Problems          []Problem `json:"problems"`
	// Directions of the indicators the import creates, and where each
	// comes from.
	Directions       []DirectionChoice `json:"directions"`
	Notes            []Problem         `json:"notes"`
	Options          Options           `json:"-"`
	pillars          []models.Pillar
	units            []unitWrite
	indicators       []indicatorWrite
	targets          []targetWrite
	sample           []obsWrite // the first values the import writes
	needImportPillar bool
	fatal            bool // a problem no "skip invalid rows" passes over
	moreProblems     int  // problems past the first MaxProblems
	src              source
	r                *resolver

	// Breakdowns (issue 13): dimensions (code: the file's) and values
	// (code: DIMENSION=VALUE) the database lacks; per kind of record
	// (observations, targets) how many rows became totals, breakdowns, or
	// were refused and why; Empty when the file has no data row, or every
	// row was left out.
	MissingDimensions []Ref               `json:"missing_dimensions"`
	MissingValues     []Ref               `json:"missing_values"`
	Outcomes          map[string]*Outcome `json:"outcomes"`
	Empty             bool                `json:"empty"`
	// SumWarnings: totals of the file whose parts do not add up, where the
	// indicator's roll-up is a sum (a warning).
	SumWarnings []SumWarning `json:"sum_warnings"`
	sums        *sumCheck
	bd          *bdResolver       // the file's dimensions and values matched to the stored ones
	areas       map[string]string // areas of a file's geography → unit codes, below the default unit
}

type unitWrite struct {
	unit   models.Unit
	parent string
	exists bool
	pos    Pos
	before map[string]any // what the audit log keeps of the unit before (nil: new)
}

type indicatorWrite struct {
	ind    models.Indicator
	pillar string
	exists bool
}

type targetWrite struct {
	row             targetRow
	indicator, unit string
	previous        *targetRow // the current target it revises
}

// targetRow is a target without the associations models.Target carries:
// an import holds one per indicator, unit and milestone.
type targetRow struct {
	id, indicatorID, unitID uint
	year, revision          int
	comparator              models.Comparator
	value                   float64
	valueMax, baselineValue *float64
	baselineYear            *int
	yearly                  bool
	source, reason          string
}

func rowOf(t models.Target) targetRow {
	return targetRow{id: t.ID, indicatorID: t.IndicatorID, unitID: t.UnitID, year: t.Year, revision: t.Revision, comparator: t.Comparator,
		value: t.Value, valueMax: t.ValueMax, baselineValue: t.BaselineValue, baselineYear: t.BaselineYear, yearly: t.Yearly,
		source: t.Source, reason: t.Reason}
}

func (r targetRow) target() models.Target {
	return models.Target{ID: r.id, IndicatorID: r.indicatorID, UnitID: r.unitID, Year: r.year, Revision: r.revision, Comparator: r.comparator,
		Value: r.value, ValueMax: r.valueMax, BaselineValue: r.baselineValue, BaselineYear: r.baselineYear, Yearly: r.yearly,
		Source: r.source, Reason: r.reason}
}

// obsWrite is one value to write, by the codes of its indicator and unit.
type obsWrite struct {
	indicator, unit string
	period          string
	pp              models.Period
	value           float64
	note, source    string
	demo            bool
	breakdown       string              // canonical, the stored codes; "" is the total
	stored          bool                // its indicator and unit are stored: so may the value be
	key             models.ObsKey       // then, its key
	update          bool                // replaces a stored value
	before          *models.StoredValue // the value it replaces, for the audit log
}

// ImportPillar is the pillar of indicators created from other publishers' files.
const ImportPillar = "imported"

// Errors Commit returns when the plan may not be carried out.
var (
	ErrProblems = errors.New("import: the file has problems; nothing was imported")
	ErrChoice   = errors.New("import: choose to create or skip the unknown units and indicators")
)

// ProblemsTotal counts every problem, the listed ones (the first
// MaxProblems) and the others.
func (p *Plan) ProblemsTotal() int { return len(p.Problems) + p.moreProblems }

// Err says why the plan cannot be committed, or nil.
func (p *Plan) Err() error {
	switch {
	case p.fatal || (len(p.Problems) > 0 && !p.Options.SkipInvalid):
		return ErrProblems
	case p.NeedsChoice():
		return ErrChoice
	case p.Empty && !p.Options.AllowEmpty:
		return ErrEmpty
	}
	return nil
}

// NeedsChoice reports whether the file names units or indicators the
// database lacks and the user has not said what to do with them.
func (p *Plan) NeedsChoice() bool {
	return p.Options.Missing == MissingAsk && (len(p.MissingUnits) > 0 || len(p.MissingIndicators) > 0 ||
		len(p.MissingDimensions) > 0 || len(p.MissingValues) > 0)
}

// Changes is how many records the import would write.
func (p *Plan) Changes() int {
	n := 0
	for _, c := range []Counts{p.Pillars, p.Units, p.Indicators, p.Targets, p.Observations} {
		n += c.Create + c.Update
	}
	return n
}

// resolver finds units and indicators by code or name.
type resolver struct {
	unitByCode  map[string]models.Unit
	unitByName  map[string]string // unitKey → code
	indByCode   map[string]models.Indicator
	newUnits    map[string]bool
	newInds     map[string]bool
	missingUnit map[string]Ref
	missingInd  map[string]Ref
	defs        map[string]models.Indicator // every indicator as it will be after the import
	inferred    map[string]models.Direction // directions the file's targets point to
	bad         map[string]bool             // units and indicators ("u:"+code, "i:"+code) the file defines wrongly
	now         time.Time
}

// Preview resolves a batch read into memory (Parse) against the database
// and counts what importing it would change. It writes nothing.
func Preview(store *models.Store, b *Batch, opt Options) (*Plan, error) {
	return preview(store, batchSource{b}, opt)
}

// PreviewFiles reads files as they stream and counts what importing them
// would change: the counts, the first problems, the unknown units and
// indicators, the first values as they will be stored. It writes nothing;
// Commit reads the files again. Files that define every unit and indicator
// before their values (every export, every other publisher's format) are
// read once; others twice, the values then planned against every
// definition.
func PreviewFiles(store *models.Store, files []File, popt ParseOptions, opt Options) (*Plan, error) {
	return preview(store, fileSource{files: files, opt: popt}, opt)
}

// previewer plans an import as its records stream in.
type previewer struct {
	store   *models.Store
	p       *Plan
	r       *resolver
	pillars map[string]models.Pillar
	values  *valuePlanner
}

func newPreviewer(store *models.Store, src source, opt Options) (*previewer, error) {
	units, err := store.Units()
	if err != nil {
		return nil, err
	}
	inds, err := store.AllIndicators()
	if err != nil {
		return nil, err
	}
	pillars, err := store.Pillars()
	if err != nil {
		return nil, err
	}
	r := &resolver{unitByCode: map[string]models.Unit{}, unitByName: map[string]string{}, indByCode: map[string]models.Indicator{},
		newUnits: map[string]bool{}, newInds: map[string]bool{}, missingUnit: map[string]Ref{}, missingInd: map[string]Ref{},
		defs: map[string]models.Indicator{}, bad: map[string]bool{}, now: store.Now()}
	for _, u := range units {
		r.unitByCode[u.Code] = u
		r.unitByName[unitKey(u.NameVI)], r.unitByName[unitKey(u.NameEN)] = u.Code, u.Code
	}
	if _, ok := r.unitByCode[national.Code]; ok {
		for _, n := range nationalNames {
			r.unitByName[unitKey(n)] = national.Code
		}
	}
	for name, code := range opt.UnitNames {
		r.unitByName[unitKey(name)] = code
	}
	for _, ind := range inds {
		r.indByCode[ind.Code], r.defs[ind.Code] = ind, ind
	}
	v := &previewer{store: store, r: r, pillars: map[string]models.Pillar{}, p: &Plan{Options: opt, src: src, r: r}}
	for _, pl := range pillars {
		v.pillars[pl.Code] = pl
	}
	v.values = newValuePlanner(v.p, store.DB(), nil)
	return v, nil
}

// planDefinitions plans the records that are not values: pillars, units,
// indicators, targets.
func (v *previewer) planDefinitions(b *Batch, first map[string]ObsRec) error {
	p, r := v.p, v.r
	r.inferred = inferDirections(b, first)
	p.planPillars(b, v.pillars)
	p.planUnits(b, r)
	p.checkTree(r)
	p.planIndicators(b, r, v.pillars)
	if p.Options.Unit != "" {
		if _, ok := r.unitByCode[p.Options.Unit]; !ok && !r.newUnits[p.Options.Unit] {
			p.problem(Pos{}, "import.unknown_default_unit", p.Options.Unit)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(p.Options.UnitNames)) {
		if code := p.Options.UnitNames[name]; !r.newUnits[code] {
			if _, ok := r.unitByCode[code]; !ok {
				p.problem(Pos{}, "import.unknown_map_unit", name, code)
			}
		}
	}
	if err := p.planDimensions(v.store, b); err != nil {
		return err
	}
	return p.planTargets(v.store, b, r)
}

func preview(store *models.Store, src source, opt Options) (*Plan, error) {
	v, err := newPreviewer(store, src, opt)
	if err != nil {
		return nil, err
	}
	first := map[string]ObsRec{} // the earliest value of each indicator
	planned := -1                // definitions planned when the first value came (-1: none yet)
	deferred := false            // the definitions wait for every value
	var failed error
	b := src.read(func(b *Batch, o ObsRec) {
		noteFirst(first, o)
		switch {
		case failed != nil || deferred:
			return
		case planned < 0 && valuesMatter(b, v.r, opt.Direction):
			deferred = true
			return
		case planned < 0:
			planned = b.definitions()
			if failed = v.planDefinitions(b, first); failed != nil {
				return
			}
			b.release()
		}
		failed = v.values.add(o)
	})
	if failed != nil {
		return nil, failed
	}
	switch {
	case planned < 0:
		// No value (a file of definitions), or definitions that needed them.
		if err := v.planDefinitions(b, first); err != nil {
			return nil, err
		}
		b.release()
		if deferred {
			if _, err := v.values.read(src); err != nil {
				return nil, err
			}
		}
	case b.definitions() != planned:
		// Definitions after values: plan afresh, with every definition
		// (read again: the targets planned were let go).
		defs := src.read(func(*Batch, ObsRec) {})
		if v, err = newPreviewer(store, src, opt); err != nil {
			return nil, err
		}
		if err := v.planDefinitions(defs, first); err != nil {
			return nil, err
		}
		defs.release()
		if _, err := v.values.read(src); err != nil {
			return nil, err
		}
	}
	if err := v.values.flush(); err != nil {
		return nil, err
	}
	p := v.p
	p.Files, p.Format, p.Rows, p.LeftOut, p.Notes = b.Files, b.Format, b.Rows, b.LeftOut, b.Notes
	// The file's own problems first, then the plan's.
	all := append(append([]Problem(nil), b.Problems...), p.Problems...)
	p.Problems = all[:min(len(all), MaxProblems)]
	p.moreProblems += b.moreProblems + len(all) - len(p.Problems)
	p.MissingUnits, p.MissingIndicators = sortedRefs(v.r.missingUnit), sortedRefs(v.r.missingInd)
	p.planOutcome(b)
	p.checkSums(v.r)
	return p, nil
}

// valuesMatter reports whether planning the definitions needs the file's
// values: the direction of an indicator the import creates may come from
// its earliest value (see inferDirections), unless the file or the user's
// flag says it. When they do, the values are planned as they come and
// the file is read once.
func valuesMatter(b *Batch, r *resolver, flag string) bool {
	if flag != "" {
		return false
	}
	var said, unsaid map[string]bool // indicators whose definitions in the file name a direction, or not
	for _, t := range b.Targets {
		if _, ok := r.indByCode[t.Indicator.Code]; ok || t.BaselineValue != nil {
			continue
		}
		if said == nil {
			said, unsaid = map[string]bool{}, map[string]bool{}
			for _, ind := range b.Indicators {
				if ind.Direction != "" {
					said[ind.Code] = true
				} else {
					unsaid[ind.Code] = true
				}
			}
		}
		if !said[t.Indicator.Code] || unsaid[t.Indicator.Code] {
			return true
		}
	}
	return false
}

// noteFirst keeps the earliest value of each indicator.
func noteFirst(first map[string]ObsRec, o ObsRec) {
	if f, ok := first[o.Indicator.Code]; !ok || o.Period < f.Period {
		first[o.Indicator.Code] = ObsRec{Period: o.Period, Value: o.Value}
	}
}

func sortedRefs(m map[string]Ref) []Ref {
	out := make([]Ref, 0, len(m))
	for _, r := range m {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Label() < out[j].Label() })
	return out
}

func (p *Plan) planPillars(b *Batch, have map[string]models.Pillar) {
	for _, rec := range b.Pillars {
		cur, ok := have[rec.Code]
		next := models.Pillar{Code: rec.Code, NameVI: orElse(rec.NameVI, cur.NameVI, rec.Code), NameEN: orElse(rec.NameEN, cur.NameEN, rec.Code), Position: cur.Position}
		if p.refuse(rec.Pos, models.CheckPillar(&next), pillarColumns) {
			continue
		}
		if (!ok || cur.NameVI != next.NameVI || cur.NameEN != next.NameEN) && !p.mayDefine(rec.Pos, rec.Code) {
			continue
		}
		switch {
		case !ok:
			next.Position = len(have) + 1
			p.Pillars.Create++
		case cur.NameVI == next.NameVI && cur.NameEN == next.NameEN:
			p.Pillars.Same++
			continue
		default:
			next.ID = cur.ID
			p.Pillars.Update++
		}
		have[rec.Code] = next
		p.pillars = append(p.pillars, next)
	}
}

// problem records what stops the import at pos: the first MaxProblems are
// listed, the others counted.
func (p *Plan) problem(pos Pos, key string, args ...any) {
	if len(p.Problems) == MaxProblems {
		p.moreProblems++
		return
	}
	p.Problems = append(p.Problems, Problem{Pos: pos, Key: key, Args: args})
}

func orElse(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

// orDate is the file's date where it gives one, else the stored one.
func orDate(file, stored *time.Time) *time.Time {
	if file != nil {
		return file
	}
	return stored
}

func (p *Plan) planUnits(b *Batch, r *resolver) {
	for _, rec := range b.Units {
		if rec.Parent != "" {
			if _, ok := r.unitByCode[rec.Parent]; !ok && !r.newUnits[rec.Parent] && !definesUnit(b, rec.Parent) {
				p.problem(rec.at("parent"), "import.unknown_unit", rec.Parent)
				continue
			}
		}
		cur, ok := r.unitByCode[rec.Code]
		next := models.Unit{Code: rec.Code, NameVI: orElse(rec.NameVI, cur.NameVI, rec.Code), NameEN: orElse(rec.NameEN, cur.NameEN, rec.NameVI, rec.Code),
			Level: orElse(rec.Level, cur.Level, models.LevelProvince), CreatedAt: cur.CreatedAt, Demo: cur.Demo || rec.Demo, StartedOn: orDate(rec.StartedOn, cur.StartedOn),
			EndedOn: orDate(rec.EndedOn, cur.EndedOn), EndedBasis: orElse(rec.EndedBasis, cur.EndedBasis)}
		if p.refuse(rec.Pos, models.CheckUnit(&next), unitColumns) {
			r.bad["u:"+rec.Code] = true
			continue
		}
		curParent := ""
		if cur.Parent != nil {
			curParent = cur.Parent.Code
		}
		if (!ok || curParent != rec.Parent) && !r.newUnits[rec.Code] && !p.mayChangeTree(rec.at("parent"), rec.Code) {
			continue
		}
		if ok && !p.inScope(rec.at("code"), rec.Code) {
			continue
		}
		switch {
		case !ok && r.newUnits[rec.Code]:
			continue
		case !ok:
			p.Units.Create++
			r.newUnits[rec.Code] = true
		case cur.NameVI == next.NameVI && cur.NameEN == next.NameEN && cur.Level == next.Level && curParent == rec.Parent:
			p.Units.Same++
			continue
		default:
			next.ID = cur.ID
			p.Units.Update++
		}
		r.unitByName[unitKey(next.NameVI)], r.unitByName[unitKey(next.NameEN)] = rec.Code, rec.Code
		w := unitWrite{unit: next, parent: rec.Parent, exists: ok, pos: rec.Pos}
		if ok {
			w.before = unitAudit(cur, curParent)
		}
		p.units = append(p.units, w)
	}
}

func definesUnit(b *Batch, code string) bool {
	for _, u := range b.Units {
		if u.Code == code {
			return true
		}
	}
	return false
}

func (p *Plan) planIndicators(b *Batch, r *resolver, pillars map[string]models.Pillar) {
	for _, rec := range b.Indicators {
		cur, ok := r.indByCode[rec.Code]
		if !ok && rec.Implicit {
			// Another publisher's indicator: created only if the user says so.
			if _, seen := r.missingInd[rec.Code]; !seen && p.Options.Missing != MissingSkip {
				r.missingInd[rec.Code] = Ref{Code: rec.Code, NameVI: rec.NameVI, NameEN: rec.NameEN}
				if p.Options.Missing == MissingCreate {
					p.createIndicator(r, rec)
				}
			}
			continue
		}
		if ok && rec.Implicit {
			continue // we keep our own definition of an indicator we hold
		}
		if rec.Pillar != "" {
			if _, known := pillars[rec.Pillar]; !known {
				p.problem(rec.at("pillar"), "import.unknown_pillar", rec.Pillar)
				continue
			}
		}
		next := cur
		next.Code, next.NameVI, next.NameEN = rec.Code, orElse(rec.NameVI, cur.NameVI, rec.Code), orElse(rec.NameEN, cur.NameEN, rec.NameVI, rec.Code)
		if rec.Measure != "" && rec.Measure != cur.Measure {
			// Names of the old measure do not name the new one.
			next.MeasureVI, next.MeasureEN = "", ""
		}
		next.Measure = orElse(rec.Measure, cur.Measure)
		mergeTexts(&next.IndicatorTexts, rec.IndicatorTexts)
		if ok {
			next.Direction = models.Direction(orElse(rec.Direction, string(cur.Direction)))
		} else {
			next.Direction = p.direction(r, rec.Code, rec.Direction)
		}
		if rec.Limit != nil {
			next.Limit = rec.Limit
		}
		next.Rollup = models.RollupRule(orElse(rec.Rollup, string(cur.Rollup)))
		next.RollupWeight = orElse(rec.RollupWeight, cur.RollupWeight)
		if rec.RollupThreshold != nil {
			next.RollupThreshold = rec.RollupThreshold
		}
		if rec.Decimals != nil {
			next.Decimals = *rec.Decimals
		} else if !ok {
			next.Decimals = 1
		}
		if !ok {
			next.DueDays, next.Levels = models.DefaultDueDays, models.DefaultLevels
		}
		next.Frequency = orElse(rec.Frequency, next.Frequency, models.FrequencyYear)
		pillar := orElse(rec.Pillar, cur.Pillar.Code, ImportPillar)
		if p.refuse(rec.Pos, models.CheckIndicator(&next), indicatorColumns) {
			r.bad["i:"+rec.Code] = true
			continue
		}
		if (!ok || !sameIndicator(cur, next) || cur.Pillar.Code != pillar) && !p.mayDefine(rec.Pos, rec.Code) {
			r.bad["i:"+rec.Code] = true
			continue
		}
		switch {
		case !ok && r.newInds[rec.Code]:
			continue
		case !ok:
			p.Indicators.Create++
			r.newInds[rec.Code] = true
		case sameIndicator(cur, next) && cur.Pillar.Code == pillar:
			p.Indicators.Same++
			continue
		default:
			p.Indicators.Update++
		}
		if pillar == ImportPillar && pillars[ImportPillar].ID == 0 {
			p.needImportPillar = true
		}
		r.defs[rec.Code] = next
		p.indicators = append(p.indicators, indicatorWrite{ind: next, pillar: pillar, exists: ok})
	}
}

func (p *Plan) createIndicator(r *resolver, rec IndicatorRec) {
	dir := p.direction(r, rec.Code, rec.Direction)
	ind := models.Indicator{Code: rec.Code, NameVI: orElse(rec.NameVI, rec.NameEN, rec.Code), NameEN: orElse(rec.NameEN, rec.NameVI, rec.Code),
		Measure: rec.Measure, Direction: dir, Decimals: 1, Frequency: models.FrequencyYear,
		DueDays: models.DefaultDueDays, Levels: models.DefaultLevels, IndicatorTexts: rec.IndicatorTexts}
	if rec.Measure == "%" {
		hundred := 100.0
		ind.Limit = &hundred
	}
	if p.refuse(rec.Pos, models.CheckIndicator(&ind), indicatorColumns) || !p.mayDefine(rec.Pos, rec.Code) {
		r.bad["i:"+rec.Code] = true
		return
	}
	r.newInds[rec.Code] = true
	r.defs[rec.Code] = ind
	p.Indicators.Create++
	p.needImportPillar = true
	p.indicators = append(p.indicators, indicatorWrite{ind: ind, pillar: ImportPillar})
}

func sameIndicator(a, b models.Indicator) bool {
	return a.NameVI == b.NameVI && a.NameEN == b.NameEN && a.Measure == b.Measure && a.Direction == b.Direction &&
		a.Decimals == b.Decimals && a.Frequency == b.Frequency && eqPtr(a.Limit, b.Limit) &&
		a.Rollup == b.Rollup && a.RollupWeight == b.RollupWeight && eqPtr(a.RollupThreshold, b.RollupThreshold) && a.IndicatorTexts == b.IndicatorTexts
}

// mergeTexts takes the texts the file gives; those it leaves empty keep
// what is stored.
func mergeTexts(into *models.IndicatorTexts, from models.IndicatorTexts) {
	given := from.Fields()
	for i, f := range into.Fields() {
		*f.Value = orElse(strings.TrimSpace(*given[i].Value), *f.Value)
	}
}

func eqPtr[T comparable](a, b *T) bool {
	return (a == nil && b == nil) || (a != nil && b != nil && *a == *b)
}

// indicator resolves an indicator reference to a code; ok is false when
// the row must be left out (unknown, and not created).
func (p *Plan) indicator(r *resolver, ref Ref) (string, bool) {
	if r.bad["i:"+ref.Code] {
		return ref.Code, false
	}
	if _, ok := r.indByCode[ref.Code]; ok || r.newInds[ref.Code] {
		return ref.Code, true
	}
	if _, seen := r.missingInd[ref.Code]; !seen {
		r.missingInd[ref.Code] = ref
		if p.Options.Missing == MissingCreate {
			p.createIndicator(r, IndicatorRec{Code: ref.Code, NameVI: ref.NameVI, NameEN: ref.NameEN})
		}
	}
	return ref.Code, p.Options.Missing == MissingCreate
}

// unit resolves a unit reference (a code, a name, or nothing for the
// user's default unit) to a code.
func (p *Plan) unit(r *resolver, ref Ref, pos Pos) (string, bool) {
	if ref.Code == "" && ref.NameVI == "" && ref.NameEN == "" {
		if p.Options.Unit == "" {
			p.problem(pos, "import.no_unit")
			return "", false
		}
		return p.Options.Unit, p.inScope(pos.at("unit"), p.Options.Unit)
	}
	if ref.Area {
		if code, ok, done := p.areaUnit(r, ref, pos); done {
			return code, ok
		}
		ref.Code = "" // without a default unit an area is known by its name
	}
	if ref.Code != "" {
		if r.bad["u:"+ref.Code] {
			return ref.Code, false
		}
		if _, ok := r.unitByCode[ref.Code]; ok || r.newUnits[ref.Code] {
			return ref.Code, p.inScope(pos.at("unit"), ref.Code)
		}
	}
	for _, n := range []string{ref.NameVI, ref.NameEN, ref.Code} {
		if code, ok := r.unitByName[unitKey(n)]; ok && n != "" {
			return code, p.inScope(pos.at("unit"), code)
		}
	}
	code := orElse(ref.Code, slug(orElse(ref.NameVI, ref.NameEN)))
	key := "u:" + code
	if _, seen := r.missingUnit[key]; !seen {
		r.missingUnit[key] = ref
		if p.Options.Missing == MissingCreate {
			u := models.Unit{Code: code, NameVI: orElse(ref.NameVI, ref.NameEN, code), NameEN: orElse(ref.NameEN, ref.NameVI, code), Level: models.LevelProvince}
			if code == national.Code {
				u.Level = models.LevelCountry
			}
			if p.refuse(pos, models.CheckUnit(&u), unitColumns) || !p.mayChangeTree(pos.at("unit"), code) {
				r.bad["u:"+code] = true
				return code, false
			}
			r.newUnits[code] = true
			r.unitByName[unitKey(ref.NameVI)], r.unitByName[unitKey(ref.NameEN)] = code, code
			p.Units.Create++
			p.units = append(p.units, unitWrite{unit: u, pos: pos})
		}
	}
	return code, p.Options.Missing == MissingCreate && !r.bad["u:"+code]
}

func (p *Plan) planTargets(store *models.Store, b *Batch, r *resolver) error {
	if len(b.Targets) == 0 {
		return nil
	}
	type key struct {
		ind, unit uint
		year      int
	}
	byKey := map[key]*targetRow{}
	err := store.EachTarget(nil, nil, func(t models.Target) error {
		row := rowOf(t)
		byKey[key{t.IndicatorID, t.UnitID, t.Year}] = &row
		return nil
	})
	if err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, rec := range b.Targets {
		ic, iok := p.indicator(r, rec.Indicator)
		uc, uok := p.unit(r, rec.Unit, rec.Pos)
		if !iok || !uok {
			p.SkippedMissing++
			continue
		}
		cmp := models.Comparator(rec.Comparator)
		if cmp == "" {
			cmp = models.AtLeast
			if ind, ok := r.defs[ic]; ok && ind.Direction == models.DirectionLower {
				cmp = models.AtMost
			}
		}
		if cmp == models.Between && rec.ValueMax == nil {
			p.problem(rec.at("value_max"), "import.required")
			continue
		}
		// A target needs its source; a file's rows without one name the file.
		t := models.Target{Year: rec.Year, Comparator: cmp, Value: rec.Value, ValueMax: rec.ValueMax, BaselineYear: rec.BaselineYear,
			BaselineValue: rec.BaselineValue, Yearly: rec.Yearly, Source: orElse(rec.Source, rec.File), Reason: "import"}
		if p.refuse(rec.Pos, models.CheckTarget(r.defs[ic], &t), targetColumns) {
			continue
		}
		k := ic + "\x00" + uc + "\x00" + strconv.Itoa(rec.Year)
		if seen[k] {
			continue
		}
		seen[k] = true
		var prev *targetRow
		ind, iknown := r.indByCode[ic]
		unit, uknown := r.unitByCode[uc]
		if iknown && uknown {
			prev = byKey[key{ind.ID, unit.ID, rec.Year}]
		}
		switch {
		case prev == nil:
			p.Targets.Create++
		case sameTarget(prev.target(), t):
			p.Targets.Same++
			continue
		default:
			p.Targets.Update++
		}
		p.targets = append(p.targets, targetWrite{row: rowOf(t), indicator: ic, unit: uc, previous: prev})
	}
	return nil
}

func sameTarget(a, b models.Target) bool {
	return a.Comparator == b.Comparator && a.Value == b.Value && eqPtr(a.ValueMax, b.ValueMax) && eqPtr(a.BaselineYear, b.BaselineYear) &&
		eqPtr(a.BaselineValue, b.BaselineValue) && a.Yearly == b.Yearly && a.Source == b.Source
}

// valuePlanner plans values as they are read, a batch at a time: each is
// resolved and checked on its own, then compared with the stored values of
// its batch, looked up in one statement. The preview counts them; the
// commit writes them too. Only a batch is held, and a bit for each key
// seen (a repeated row is written once more, the later row winning).
type valuePlanner struct {
	p       *Plan
	r       *resolver
	db      *gorm.DB // the store, or the commit's transaction
	pending []obsWrite
	stored  map[models.ObsKey]models.StoredValue
	written *seenKeys
	// write, at the commit, writes a value; again says it repeats one
	// written before.
	write func(w obsWrite, again bool) error
}

// valueBatch is how many values are compared with the stored ones at once.
const valueBatch = 500

func newValuePlanner(p *Plan, db *gorm.DB, write func(obsWrite, bool) error) *valuePlanner {
	return &valuePlanner{p: p, r: p.r, db: db, write: write, written: newSeenKeys(), stored: map[models.ObsKey]models.StoredValue{}}
}

// read reads the values of src again (the definitions are planned).
// It returns what else it read, the targets let go (they are planned).
func (v *valuePlanner) read(src source) (*Batch, error) {
	var err error
	first := true
	b := src.read(func(b *Batch, o ObsRec) {
		if first {
			// The reader waits while the first value is taken: the
			// targets it read before may be let go safely.
			first = false
			b.release()
		}
		if err == nil {
			err = v.add(o)
		}
	})
	if err == nil {
		err = v.flush()
	}
	return b, err
}

// add plans one value read from a file.
func (v *valuePlanner) add(rec ObsRec) error {
	p, r := v.p, v.r
	ic, iok := p.indicator(r, rec.Indicator)
	uc, uok := p.unit(r, rec.Unit, rec.Pos)
	if !iok || !uok {
		p.SkippedMissing++
		p.outcome(KindObservation).refuse(ReasonUnknown, 1)
		return nil
	}
	bd, ok := p.breakdown(r, rec, ic)
	if !ok {
		return nil
	}
	period, _ := canonicalPeriod(rec.Period)
	value := rec.Value // the check takes a pointer: to this, not to the whole record
	in := models.ObservationInput{Unit: r.unitByCode[uc], Period: period, Value: &value, Note: rec.Note, Source: rec.Source}
	if p.refuse(rec.Pos, observationProblems(r, ic, &in), nil) {
		p.outcome(KindObservation).refuse(ReasonInvalid, 1)
		return nil
	}
	p.outcome(KindObservation).kept(bd)
	p.noteSum(r, ic, uc, in.Period, bd, rec.Value)
	pp, _ := models.ParsePeriod(in.Period)
	w := obsWrite{indicator: ic, unit: uc, period: in.Period, pp: pp, value: rec.Value, note: in.Note, source: in.Source, demo: rec.Demo, breakdown: bd}
	ind, iknown := r.indByCode[ic]
	unit, uknown := r.unitByCode[uc]
	if iknown && uknown {
		w.stored, w.key = true, models.ObsKey{IndicatorID: ind.ID, UnitID: unit.ID, Period: in.Period}
	}
	v.pending = append(v.pending, w)
	if len(v.pending) == valueBatch {
		return v.flush()
	}
	return nil
}

// flush compares the pending values with the stored ones and counts (and
// at the commit writes) those that change something.
func (v *valuePlanner) flush() error {
	keys := make([]models.ObsKey, 0, len(v.pending))
	for _, w := range v.pending {
		if w.stored && w.breakdown == "" {
			keys = append(keys, w.key)
		}
	}
	parts, err := findParts(v.db, v.pending)
	if err != nil {
		return err
	}
	clear(v.stored)
	if len(keys) > 0 {
		err := models.FindObservations(v.db, keys, func(k models.ObsKey, s models.StoredValue) { v.stored[k] = s })
		if err != nil {
			return err
		}
	}
	p := v.p
	for _, w := range v.pending {
		if v.written.add(w.indicator, w.unit, w.breakdown, w.pp) {
			// The later row wins, as in a spreadsheet read top to bottom.
			if err := v.emit(w, true); err != nil {
				return err
			}
			continue
		}
		cur, ok := v.stored[w.key]
		if w.breakdown != "" {
			cur, ok = parts[partKey{w.key, w.breakdown}]
		}
		if ok && w.stored {
			if cur.Value == w.value && cur.Note == w.note && cur.Source == w.source && cur.Demo == w.demo {
				p.Observations.Same++
				continue
			}
			w.update, w.before = true, &cur
			p.Observations.Update++
		} else {
			p.Observations.Create++
		}
		if err := v.emit(w, false); err != nil {
			return err
		}
	}
	v.pending = v.pending[:0]
	return nil
}

func (v *valuePlanner) emit(w obsWrite, again bool) error {
	if v.write != nil {
		return v.write(w, again)
	}
	p := v.p
	if again {
		for i := range p.sample {
			if s := p.sample[i]; s.indicator == w.indicator && s.unit == w.unit && s.period == w.period && s.breakdown == w.breakdown {
				w.update = s.update
				p.sample[i] = w
			}
		}
		return nil
	}
	if len(p.sample) < SampleSize {
		p.sample = append(p.sample, w)
	}
	return nil
}

// observationProblems checks a value against its indicator as it will be
// after the import.
func observationProblems(r *resolver, code string, in *models.ObservationInput) models.Problems {
	probs := models.Problems{}
	models.CheckObservation(probs, "", r.defs[code], in, r.now)
	return probs
}
