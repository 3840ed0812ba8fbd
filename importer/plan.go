package importer

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

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
	obs              []obsWrite
	needImportPillar bool
	fatal            bool // a problem no "skip invalid rows" passes over
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
	t               models.Target
	indicator, unit string
	previous        *models.Target
}

type obsWrite struct {
	indicator, unit string
	obs             models.Observation
	update          bool                // replaces a stored value
	before          *models.Observation // the value it replaces, for the audit log
}

// ImportPillar is the pillar of indicators created from other publishers' files.
const ImportPillar = "imported"

// Errors Commit returns when the plan may not be carried out.
var (
	ErrProblems = errors.New("import: the file has problems; nothing was imported")
	ErrChoice   = errors.New("import: choose to create or skip the unknown units and indicators")
)

// Err says why the plan cannot be committed, or nil.
func (p *Plan) Err() error {
	switch {
	case p.fatal || (len(p.Problems) > 0 && !p.Options.SkipInvalid):
		return ErrProblems
	case p.NeedsChoice():
		return ErrChoice
	}
	return nil
}

// NeedsChoice reports whether the file names units or indicators the
// database lacks and the user has not said what to do with them.
func (p *Plan) NeedsChoice() bool {
	return p.Options.Missing == MissingAsk && (len(p.MissingUnits) > 0 || len(p.MissingIndicators) > 0)
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

// Preview resolves a batch against the database and counts what importing
// it would change. It writes nothing.
func Preview(store *models.Store, b *Batch, opt Options) (*Plan, error) {
	p := &Plan{Files: b.Files, Format: b.Format, Rows: b.Rows, LeftOut: b.LeftOut, Options: opt,
		Problems: append([]Problem(nil), b.Problems...), Notes: b.Notes}
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
		defs: map[string]models.Indicator{}, bad: map[string]bool{}, now: store.Now(), inferred: inferDirections(b)}
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
	pillarByCode := map[string]models.Pillar{}
	for _, pl := range pillars {
		pillarByCode[pl.Code] = pl
	}
	p.planPillars(b, pillarByCode)
	p.planUnits(b, r)
	p.checkTree(r)
	p.planIndicators(b, r, pillarByCode)
	if opt.Unit != "" {
		if _, ok := r.unitByCode[opt.Unit]; !ok && !r.newUnits[opt.Unit] {
			p.problem(Pos{}, "import.unknown_default_unit", opt.Unit)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(opt.UnitNames)) {
		if code := opt.UnitNames[name]; !r.newUnits[code] {
			if _, ok := r.unitByCode[code]; !ok {
				p.problem(Pos{}, "import.unknown_map_unit", name, code)
			}
		}
	}
	if err := p.planTargets(store, b, r); err != nil {
		return nil, err
	}
	if err := p.planObservations(store, b, r); err != nil {
		return nil, err
	}
	p.MissingUnits, p.MissingIndicators = sortedRefs(r.missingUnit), sortedRefs(r.missingInd)
	return p, nil
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

// problem records what stops the import at pos.
func (p *Plan) problem(pos Pos, key string, args ...any) {
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
	current, err := store.TargetsOf(nil, nil)
	if err != nil {
		return err
	}
	byKey := map[string]*models.Target{}
	for i, t := range current {
		byKey[fmt.Sprint(t.IndicatorID, "/", t.UnitID, "/", t.Year)] = &current[i]
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
		var prev *models.Target
		ind, iknown := r.indByCode[ic]
		unit, uknown := r.unitByCode[uc]
		if iknown && uknown {
			prev = byKey[fmt.Sprint(ind.ID, "/", unit.ID, "/", rec.Year)]
		}
		switch {
		case prev == nil:
			p.Targets.Create++
		case sameTarget(*prev, t):
			p.Targets.Same++
			continue
		default:
			p.Targets.Update++
		}
		p.targets = append(p.targets, targetWrite{t: t, indicator: ic, unit: uc, previous: prev})
	}
	return nil
}

func sameTarget(a, b models.Target) bool {
	return a.Comparator == b.Comparator && a.Value == b.Value && eqPtr(a.ValueMax, b.ValueMax) && eqPtr(a.BaselineYear, b.BaselineYear) &&
		eqPtr(a.BaselineValue, b.BaselineValue) && a.Yearly == b.Yearly && a.Source == b.Source
}

type obsKey struct {
	ind, unit uint
	period    string
}

func (p *Plan) planObservations(store *models.Store, b *Batch, r *resolver) error {
	var indIDs []uint
	seenInd := map[uint]bool{}
	for _, rec := range b.Observations {
		if ind, ok := r.indByCode[rec.Indicator.Code]; ok && !seenInd[ind.ID] {
			seenInd[ind.ID] = true
			indIDs = append(indIDs, ind.ID)
		}
	}
	existing := map[obsKey]models.Observation{}
	if len(indIDs) > 0 {
		err := store.EachObservation(indIDs, nil, "", "", func(o models.Observation) error {
			existing[obsKey{o.IndicatorID, o.UnitID, o.Period}] = o
			return nil
		})
		if err != nil {
			return err
		}
	}
	index := map[string]int{} // indicator/unit/period → position in p.obs, so a repeated row is written once
	p.obs = make([]obsWrite, 0, len(b.Observations))
	for _, rec := range b.Observations {
		ic, iok := p.indicator(r, rec.Indicator)
		uc, uok := p.unit(r, rec.Unit, rec.Pos)
		if !iok || !uok {
			p.SkippedMissing++
			continue
		}
		period, _ := canonicalPeriod(rec.Period)
		in := models.ObservationInput{Unit: r.unitByCode[uc], Period: period, Value: &rec.Value, Note: rec.Note, Source: rec.Source}
		if p.refuse(rec.Pos, observationProblems(r, ic, &in), nil) {
			continue
		}
		period = in.Period
		pp, _ := models.ParsePeriod(period)
		o := models.Observation{Period: period, Year: pp.Year, Value: rec.Value, Note: in.Note, Source: in.Source, Demo: rec.Demo}
		k := ic + "\x00" + uc + "\x00" + period
		if i, dup := index[k]; dup {
			p.obs[i].obs = o // the later row wins, as in a spreadsheet read top to bottom
			continue
		}
		ind, iknown := r.indByCode[ic]
		unit, uknown := r.unitByCode[uc]
		if iknown && uknown {
			if cur, ok := existing[obsKey{ind.ID, unit.ID, period}]; ok {
				if cur.Value == o.Value && cur.Note == o.Note && cur.Source == o.Source && cur.Demo == o.Demo {
					p.Observations.Same++
					continue
				}
				p.Observations.Update++
				index[k] = len(p.obs)
				p.obs = append(p.obs, obsWrite{indicator: ic, unit: uc, obs: o, update: true, before: &cur})
				continue
			}
		}
		p.Observations.Create++
		index[k] = len(p.obs)
		p.obs = append(p.obs, obsWrite{indicator: ic, unit: uc, obs: o})
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
