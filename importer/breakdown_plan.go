package importer

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"tiendo/models"
)

// ErrEmpty is why a file with nothing to import is not committed.
var ErrEmpty = errors.New("import: nothing to import: no data row, or every row left out")

// Outcome is what became of the rows of one kind: totals, breakdowns, or
// refused, with how many for each reason.
type Outcome struct {
	Totals     int            `json:"totals"`
	Breakdowns int            `json:"breakdowns"`
	Refused    int            `json:"refused"`
	Reasons    map[string]int `json:"reasons"`
}

// Reasons a row is refused, as Outcome.Reasons keys (and, prefixed with
// "breakdown_import.reason_", translation keys).
const (
	ReasonLeftOut          = "left_out"          // no value (blank, "..", NaN, null), or not values (assessments, other sheets)
	ReasonUnknown          = "unknown"           // its unit or indicator is unknown and not created
	ReasonUnknownBreakdown = "unknown_breakdown" // a dimension or value of its breakdown is unknown and not created
	ReasonInvalid          = "invalid"           // it breaks a rule (a problem names it)
)

func (o *Outcome) refuse(reason string, n int) {
	if n == 0 {
		return
	}
	if o.Reasons == nil {
		o.Reasons = map[string]int{}
	}
	o.Refused += n
	o.Reasons[reason] += n
}

func (o *Outcome) kept(breakdown string) {
	if breakdown == "" {
		o.Totals++
	} else {
		o.Breakdowns++
	}
}

// ReasonKeys lists the reasons of an outcome in a stable order.
func (o Outcome) ReasonKeys() []string {
	out := make([]string, 0, len(o.Reasons))
	for k := range o.Reasons {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// bdResolver matches the dimensions and values a file names to the stored
// ones (by the user's mapping, by code, by name) as the values stream in,
// and plans creating those the user lets the import create.
type bdResolver struct {
	b                        *Batch // the batch being read: its Dimensions name the file's dimensions and values
	rules                    *models.BreakdownRules
	mapping                  map[string]string
	dims                     map[string]*models.Dimension // by upper-case code, the stored and those to create
	dimOf                    map[string]*models.Dimension // file dimension code → stored (nil: unknown)
	pairOf                   map[string]*models.BreakdownPair
	ids                      map[string]uint // stand-in ids of indicators and dimensions to create
	nextID                   uint
	missingDims, missingVals map[string]Ref
	// what the commit creates: new dimensions, new values of any dimension
	newDims []string
	newVals []newValue
	// the dimensions each indicator is broken down by in the file
	lists map[string]map[string]bool
}

type newValue struct {
	dim string
	val models.DimensionValue
}

// mapKey is how a mapping line names a column or a cell: "Gender=*",
// "Gender=Woman+", the column's name folded.
func mapKey(dim, val string) string { return fold(dim) + "=" + strings.TrimSpace(val) }

// planDimensions gets ready to resolve the file's dimensions and values,
// which the file names as its rows come.
func (p *Plan) planDimensions(store *models.Store, b *Batch) error {
	if p.sums == nil {
		p.sums = &sumCheck{}
	}
	if p.bd != nil {
		p.bd.b = b
		return nil
	}
	rules, err := store.BreakdownRules()
	if err != nil {
		return err
	}
	stored, err := store.Dimensions()
	if err != nil {
		return err
	}
	br := &bdResolver{b: b, rules: rules, mapping: map[string]string{}, dims: map[string]*models.Dimension{},
		dimOf: map[string]*models.Dimension{}, pairOf: map[string]*models.BreakdownPair{}, ids: map[string]uint{},
		nextID: 1 << 40, missingDims: map[string]Ref{}, missingVals: map[string]Ref{}, lists: map[string]map[string]bool{}}
	for i := range stored {
		br.dims[strings.ToUpper(stored[i].Code)] = &stored[i]
	}
	for k, v := range p.Options.Breakdowns {
		d, val, _ := strings.Cut(k, "=")
		br.mapping[mapKey(d, val)] = strings.TrimSpace(v)
	}
	p.bd = br
	return nil
}

// fileDim is the file's dimension of a code, as the batch keeps it.
func (br *bdResolver) fileDim(code string) DimRec {
	for _, d := range br.b.Dimensions {
		if d.Code == code {
			return d
		}
	}
	return DimRec{Code: code, Label: code}
}

// resolveDim finds, or plans creating, the stored dimension of a file's
// dimension; nil when it is unknown and not created.
func (p *Plan) resolveDim(code string) *models.Dimension {
	br := p.bd
	if d, done := br.dimOf[code]; done {
		return d
	}
	fd := br.fileDim(code)
	d := br.dimension(fd)
	if d == nil {
		br.missingDims[fd.Code] = Ref{Code: fd.Code, NameVI: fd.Label, NameEN: fd.Label}
		if p.Options.Missing == MissingCreate && p.mayDefine(fd.Pos, fd.Code) {
			nd := models.Dimension{ID: br.stand("d:" + fd.Code), Code: fd.Code, NameVI: orElse(fd.Label, fd.Code), NameEN: orElse(fd.Label, fd.Code)}
			if !p.refuse(fd.Pos, checkDimension(nd.Code, nd.NameVI, nd.NameEN), nil) {
				br.dims[strings.ToUpper(nd.Code)] = &nd
				br.newDims = append(br.newDims, nd.Code)
				br.rules.AddDimension(nd)
				d = &nd
			}
		}
	}
	br.dimOf[code] = d
	return d
}

// resolvePair finds, or plans creating, the stored pair of a file's cell;
// nil when it is unknown and not created.
func (p *Plan) resolvePair(dim, val string) *models.BreakdownPair {
	br := p.bd
	key := dim + "\x00" + val
	if sp, done := br.pairOf[key]; done {
		return sp
	}
	var out *models.BreakdownPair
	if d := p.resolveDim(dim); d != nil {
		fd := br.fileDim(dim)
		fv := ValueRec{Code: val, Label: val}
		for _, v := range fd.Values {
			if v.Code == val {
				fv = v
			}
		}
		if sp, ok := br.value(fd, d, fv); ok {
			out = &sp
		} else {
			ref := Ref{Code: d.Code + "=" + fv.Code, NameVI: fv.Label, NameEN: fv.Label}
			br.missingVals[ref.Code] = ref
			if p.Options.Missing == MissingCreate && p.mayDefine(fd.Pos, ref.Code) {
				nv := models.DimensionValue{DimensionID: d.ID, Code: fv.Code, NameVI: orElse(fv.Label, fv.Code), NameEN: orElse(fv.Label, fv.Code)}
				if !p.refuse(fd.Pos, checkDimension(nv.Code, nv.NameVI, nv.NameEN), nil) {
					d.Values = append(d.Values, nv)
					br.newVals = append(br.newVals, newValue{dim: d.Code, val: nv})
					br.rules.AddDimension(*d)
					out = &models.BreakdownPair{Dimension: d.Code, Value: nv.Code}
				}
			}
		}
	}
	br.pairOf[key] = out
	return out
}

// checkDimension checks a dimension or value the import would create by
// the rules of codes and names.
func checkDimension(code, vi, en string) models.Problems {
	probs := models.Problems{}
	models.CheckCode(probs, "code", code)
	if code == TotalCode {
		probs.Add("code", "error.breakdown_total_code")
	}
	models.CheckName(probs, "name_vi", vi)
	models.CheckName(probs, "name_en", en)
	return probs
}

// stand is the stand-in id of a record the import creates, so the rules
// can tell them apart before they are stored.
func (br *bdResolver) stand(key string) uint {
	if id, ok := br.ids[key]; ok {
		return id
	}
	br.nextID++
	br.ids[key] = br.nextID
	return br.nextID
}

// dimension finds the stored dimension of a file's column: the mapping's
// ("Gender=*,SEX=*", or the dimension of a value mapped from the column),
// else the one of that code, else of that name.
func (br *bdResolver) dimension(fd DimRec) *models.Dimension {
	mapping := br.mapping
	for _, name := range []string{fd.Label, fd.Code} {
		if to, ok := mapping[mapKey(name, "*")]; ok {
			code, _, _ := strings.Cut(to, "=")
			return br.dims[strings.ToUpper(strings.TrimSpace(code))]
		}
	}
	for _, fv := range fd.Values {
		for _, name := range []string{fd.Label, fd.Code} {
			if to, ok := mapping[mapKey(name, fv.Label)]; ok && strings.Contains(to, "=") {
				code, _, _ := strings.Cut(to, "=")
				if d := br.dims[strings.ToUpper(strings.TrimSpace(code))]; d != nil {
					return d
				}
			}
		}
	}
	if d := br.dims[strings.ToUpper(fd.Code)]; d != nil {
		return d
	}
	for _, d := range br.dims {
		if k := fold(fd.Label); k != "" && (fold(d.NameVI) == k || fold(d.NameEN) == k || fold(d.Code) == k) {
			return d
		}
	}
	return nil
}

// value finds the stored pair of a file's cell: the mapping's, the total
// (_T, "Total"), else d's value of that code, else of that name. ok is
// false when there is none.
func (br *bdResolver) value(fd DimRec, d *models.Dimension, fv ValueRec) (models.BreakdownPair, bool) {
	mapping := br.mapping
	for _, name := range []string{fd.Label, fd.Code} {
		for _, val := range []string{fv.Label, fv.Code} {
			to, ok := mapping[mapKey(name, val)]
			if !ok {
				continue
			}
			dim, v, has := strings.Cut(to, "=")
			if !has {
				dim, v = d.Code, dim
			}
			md := br.dims[strings.ToUpper(strings.TrimSpace(dim))]
			v = strings.TrimSpace(v)
			if md == nil {
				return models.BreakdownPair{}, false
			}
			if v == TotalCode {
				return models.BreakdownPair{Dimension: md.Code, Value: TotalCode}, true
			}
			for _, sv := range md.Values {
				if strings.EqualFold(sv.Code, v) {
					return models.BreakdownPair{Dimension: md.Code, Value: sv.Code}, true
				}
			}
			return models.BreakdownPair{}, false
		}
	}
	if totalCell(fv.Code, fv.Label) {
		return models.BreakdownPair{Dimension: d.Code, Value: TotalCode}, true
	}
	for _, sv := range d.Values {
		if strings.EqualFold(sv.Code, fv.Code) {
			return models.BreakdownPair{Dimension: d.Code, Value: sv.Code}, true
		}
	}
	for _, sv := range d.Values {
		if k := fold(fv.Label); k != "" && (fold(sv.NameVI) == k || fold(sv.NameEN) == k) {
			return models.BreakdownPair{Dimension: d.Code, Value: sv.Code}, true
		}
	}
	return models.BreakdownPair{}, false
}

// breakdown turns a record's breakdown (the file's codes) into the stored
// one, canonical. ok is false when the row is refused: a dimension or value
// of it unknown (and not created), or the rules refuse it (more breakdowns
// than the cap allows, too long), a problem then saying why.
func (p *Plan) breakdown(r *resolver, rec ObsRec, indicator string) (string, bool) {
	if rec.Breakdown == "" {
		return "", true
	}
	pairs, err := models.ParseBreakdown(rec.Breakdown)
	if p.bd == nil || err != nil {
		p.outcome(KindObservation).refuse(ReasonInvalid, 1)
		return "", false
	}
	br := p.bd
	var stored []models.BreakdownPair
	seen := map[string]bool{}
	for _, fp := range pairs {
		sp := p.resolvePair(fp.Dimension, fp.Value)
		if sp == nil {
			p.SkippedMissing++
			p.outcome(KindObservation).refuse(ReasonUnknownBreakdown, 1)
			return "", false
		}
		if seen[sp.Dimension] {
			// two columns mapped to one dimension: the row names it twice
			p.problem(rec.at("breakdown"), "error.breakdown_twice", sp.Dimension)
			p.outcome(KindObservation).refuse(ReasonInvalid, 1)
			return "", false
		}
		seen[sp.Dimension] = true
		if sp.Value != TotalCode {
			stored = append(stored, *sp)
		}
	}
	models.SortBreakdown(stored)
	ind := r.defs[indicator]
	if ind.ID == 0 {
		ind.ID = br.stand("i:" + indicator)
	}
	if ind.Code == "" {
		ind.Code = indicator
	}
	for _, sp := range stored {
		d := br.dims[strings.ToUpper(sp.Dimension)]
		br.rules.ListDimension(ind.ID, d.ID)
		if br.lists[indicator] == nil {
			br.lists[indicator] = map[string]bool{}
		}
		br.lists[indicator][d.Code] = true
	}
	probs := models.Problems{}
	out := br.rules.Check(probs, "breakdown", ind, models.FormatBreakdown(stored))
	if p.refuse(rec.Pos, probs, nil) {
		p.outcome(KindObservation).refuse(ReasonInvalid, 1)
		return "", false
	}
	return out, true
}

// outcome is the outcome of a kind of record, made on first use.
func (p *Plan) outcome(kind string) *Outcome {
	if p.Outcomes == nil {
		p.Outcomes = map[string]*Outcome{}
	}
	if p.Outcomes[kind] == nil {
		p.Outcomes[kind] = &Outcome{}
	}
	return p.Outcomes[kind]
}

// planOutcome counts the rows the parser left out (blank values) and tells
// whether anything is left to import.
func (p *Plan) planOutcome(b *Batch) {
	if p.bd != nil {
		p.MissingDimensions, p.MissingValues = sortedRefs(p.bd.missingDims), sortedRefs(p.bd.missingVals)
	}
	if b.LeftOut > 0 {
		p.outcome(KindObservation).refuse(ReasonLeftOut, b.LeftOut)
	}
	kept := len(b.Pillars) + len(b.Units)
	for _, ind := range b.Indicators {
		if !ind.Implicit {
			kept++
		}
	}
	for _, o := range p.Outcomes {
		kept += o.Totals + o.Breakdowns
	}
	p.Empty = kept == 0
}

// partKey names one stored part of a total.
type partKey struct {
	models.ObsKey
	breakdown string
}

// findParts reads the stored parts among the pending values, with one
// statement per indicator.
func findParts(db *gorm.DB, pending []obsWrite) (map[partKey]models.StoredValue, error) {
	want := map[uint][]obsWrite{}
	for _, w := range pending {
		if w.stored && w.breakdown != "" {
			want[w.key.IndicatorID] = append(want[w.key.IndicatorID], w)
		}
	}
	out := map[partKey]models.StoredValue{}
	for ind, ws := range want {
		units, periods := map[uint]bool{}, map[string]bool{}
		for _, w := range ws {
			units[w.key.UnitID], periods[w.key.Period] = true, true
		}
		var rows []models.BreakdownValue
		err := db.Where("indicator_id = ? AND unit_id IN ? AND period IN ?", ind, sortedKeysOf(units), sortedKeys(periods)).
			Select("indicator_id, unit_id, period, breakdown, value, note, source, demo").Find(&rows).Error
		if err != nil {
			return nil, fmt.Errorf("store: unable to read breakdown values: %w", err)
		}
		for _, r := range rows {
			out[partKey{models.ObsKey{IndicatorID: r.IndicatorID, UnitID: r.UnitID, Period: r.Period}, r.Breakdown}] =
				models.StoredValue{Value: r.Value, Note: r.Note, Source: r.Source, Demo: r.Demo}
		}
	}
	return out, nil
}

func sortedKeysOf(m map[uint]bool) []uint {
	out := make([]uint, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// writeDimensions creates the dimensions and values the plan creates, each
// in the audit log, and lists for each indicator the dimensions its
// breakdowns use.
func (p *Plan) writeDimensions(tx *gorm.DB, actor models.Actor, indIDs map[string]uint) error {
	br := p.bd
	if br == nil {
		return nil
	}
	var pos int
	tx.Model(&models.Dimension{}).Select("COALESCE(MAX(position), 0)").Scan(&pos)
	for _, code := range br.newDims {
		d := *br.dims[strings.ToUpper(code)]
		pos++
		nd := models.Dimension{Code: d.Code, NameVI: d.NameVI, NameEN: d.NameEN, Position: pos}
		if err := tx.Create(&nd).Error; err != nil {
			return fmt.Errorf("store: unable to create dimension %s: %w", d.Code, err)
		}
		if err := models.RecordAudit(tx, actor, "create", "dimension", nd.Code, nil, map[string]any{"name_vi": nd.NameVI, "name_en": nd.NameEN}); err != nil {
			return err
		}
	}
	dimIDs, err := models.CodeIDs(tx, &models.Dimension{})
	if err != nil {
		return err
	}
	for _, nv := range br.newVals {
		v := nv.val
		v.ID, v.DimensionID = 0, dimIDs[nv.dim]
		tx.Model(&models.DimensionValue{}).Where("dimension_id = ?", v.DimensionID).Select("COALESCE(MAX(position), 0)").Scan(&v.Position)
		v.Position++
		if err := tx.Create(&v).Error; err != nil {
			return fmt.Errorf("store: unable to create value %s of %s: %w", v.Code, nv.dim, err)
		}
		if err := models.RecordAudit(tx, actor, "create", "dimension_value", nv.dim+"="+v.Code, nil, map[string]any{"name_vi": v.NameVI, "name_en": v.NameEN}); err != nil {
			return err
		}
	}
	var links []models.IndicatorDimension
	for _, ind := range sortedKeys(br.lists) {
		for _, d := range sortedKeys(br.lists[ind]) {
			links = append(links, models.IndicatorDimension{IndicatorID: indIDs[ind], DimensionID: dimIDs[d]})
		}
	}
	if len(links) > 0 {
		if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&links).Error; err != nil {
			return fmt.Errorf("store: unable to list the indicators' dimensions: %w", err)
		}
	}
	return nil
}

// partWriter writes the parts of totals an import streams, a batch at a
// time.
type partWriter struct {
	tx      *gorm.DB
	now     time.Time
	pending []models.BreakdownValue
}

func newPartWriter(tx *gorm.DB, now time.Time) *partWriter { return &partWriter{tx: tx, now: now} }

func (w *partWriter) write(v models.BreakdownValue) error {
	w.pending = append(w.pending, v)
	if len(w.pending) == valueBatch {
		return w.flush()
	}
	return nil
}

func (w *partWriter) flush() error {
	if len(w.pending) == 0 {
		return nil
	}
	err := models.UpsertBreakdownValues(w.tx, w.pending, w.now)
	w.pending = w.pending[:0]
	return err
}

// maxSumValues bounds the values a preview keeps to check that parts add
// up to their totals: the check is a warning, not worth unbounded memory.
const maxSumValues = 200_000

// sumCheck keeps the totals and parts of the file's indicators whose
// roll-up is a sum, to warn where the parts do not add up.
type sumCheck struct {
	units         map[string]uint // unit code → a number to group by
	unitCodes     []string
	totals, parts map[string][]models.Observation // by indicator code
	n             int
}

// SumWarning is a total of the file whose parts, along Dimensions, add up
// to Sum instead: a warning, the values are imported all the same.
type SumWarning struct {
	Indicator  string  `json:"indicator"`
	Unit       string  `json:"unit"`
	Period     string  `json:"period"`
	Dimensions string  `json:"dimensions"`
	Total      float64 `json:"total"`
	Sum        float64 `json:"sum"`
}

// noteSum keeps a value of an indicator whose roll-up is a sum.
func (p *Plan) noteSum(r *resolver, indicator, unit, period, breakdown string, value float64) {
	s := p.sums
	if s == nil || r.defs[indicator].Rollup != models.RollupSum || s.n >= maxSumValues {
		return
	}
	if s.units == nil {
		s.units, s.totals, s.parts = map[string]uint{}, map[string][]models.Observation{}, map[string][]models.Observation{}
	}
	id, ok := s.units[unit]
	if !ok {
		s.unitCodes = append(s.unitCodes, unit)
		id = uint(len(s.unitCodes))
		s.units[unit] = id
	}
	o := models.Observation{UnitID: id, Period: period, Value: value, Breakdown: breakdown}
	if breakdown == "" {
		s.totals[indicator] = append(s.totals[indicator], o)
	} else {
		s.parts[indicator] = append(s.parts[indicator], o)
	}
	s.n++
}

// checkSums warns of the file's totals whose parts do not add up
// (models.CheckBreakdownSums).
func (p *Plan) checkSums(r *resolver) {
	s, br := p.sums, p.bd
	if s == nil || br == nil {
		return
	}
	for _, ind := range sortedKeys(s.parts) {
		var dims []models.Dimension
		for _, d := range sortedKeys(br.lists[ind]) {
			dims = append(dims, *br.dims[strings.ToUpper(d)])
		}
		for _, m := range models.CheckBreakdownSums(r.defs[ind], dims, s.totals[ind], s.parts[ind]) {
			p.SumWarnings = append(p.SumWarnings, SumWarning{Indicator: ind, Unit: s.unitCodes[m.UnitID-1], Period: m.Period,
				Dimensions: m.Dimensions, Total: m.Total, Sum: m.Sum})
		}
	}
}
