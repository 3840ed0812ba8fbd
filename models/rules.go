package models

import (
	"errors"
	"math"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"tiendo/locale"
)

// The limits every record meets, however it enters: a form, the grid, the
// API, an import of any format, the command line. The functions below are
// the one home of these rules; the Store's write methods and the importer
// both call them.
const (
	MaxCodeLength = 64
	MaxNameLength = 200  // names of units, indicators, pillars; measures
	MaxTextLength = 2000 // notes, sources, reasons
	MaxDecimals   = locale.MaxDecimals
)

// codePattern is what published sources use for codes: letters, digits,
// dots, hyphens and underscores (SI.POV.NAHC, 3.2.1, VN-SG-760), starting
// with a letter or a digit so a code is never "." or ".." in a URL.
var codePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)

// CheckCode adds a problem when code is not a valid code.
func CheckCode(p Problems, field, code string) {
	switch {
	case code == "":
		p.Add(field, "error.required")
	case len(code) > MaxCodeLength || !codePattern.MatchString(code):
		p.Add(field, "error.code_pattern", MaxCodeLength)
	}
}

// CheckName adds a problem when a one-line name is too long or holds
// control characters (a newline in a name breaks headers and CSV rows).
// An empty name passes: callers that need one say so.
func CheckName(p Problems, field, s string) {
	checkText(p, field, s, MaxNameLength, false)
}

// CheckText is CheckName for free text (notes, sources, reasons): longer,
// and line breaks and tabs are allowed.
func CheckText(p Problems, field, s string) {
	checkText(p, field, s, MaxTextLength, true)
}

func checkText(p Problems, field, s string, max int, multiline bool) {
	if !utf8.ValidString(s) {
		p.Add(field, "error.control_chars")
		return
	}
	if n := utf8.RuneCountInString(s); n > max {
		p.Add(field, "error.too_long", max, n)
		return
	}
	for _, r := range s {
		if multiline && (r == '\n' || r == '\r' || r == '\t') {
			continue
		}
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			p.Add(field, "error.control_chars")
			return
		}
	}
}

// CheckLevel adds a problem when level is not one of UnitLevels.
func CheckLevel(p Problems, field, level string) {
	if !slices.Contains(UnitLevels, level) {
		p.Add(field, "error.level", strings.Join(UnitLevels, ", "))
	}
}

// CheckDecimals adds a problem when an indicator's decimals are out of range.
func CheckDecimals(p Problems, field string, d int) {
	if d < 0 || d > MaxDecimals {
		p.Add(field, "error.range", 0, MaxDecimals)
	}
}

// CheckNumber adds a problem when v is not a finite number.
func CheckNumber(p Problems, field string, v float64) {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		p.Add(field, "error.number")
	}
}

// CheckValue adds a problem when v is outside what the indicator allows:
// 0 to its natural limit where it has one (100 for a coverage rate), any
// finite number otherwise (published percentages can be negative: changes,
// shares of a loss).
func CheckValue(p Problems, field string, ind Indicator, v float64) {
	CheckNumber(p, field, v)
	if ind.Limit != nil && (v < 0 || v > *ind.Limit) {
		p.Add(field, "error.range", 0, *ind.Limit)
	}
}

// CheckUnit checks a unit's own fields (its place in the tree is
// CheckTree's). Names default to the code where a caller has none.
func CheckUnit(u *Unit) Problems {
	p := Problems{}
	u.Code, u.NameVI, u.NameEN = strings.TrimSpace(u.Code), strings.TrimSpace(u.NameVI), strings.TrimSpace(u.NameEN)
	CheckCode(p, "code", u.Code)
	for field, name := range map[string]string{"name_vi": u.NameVI, "name_en": u.NameEN} {
		if name == "" {
			p.Add(field, "error.required")
		}
		CheckName(p, field, name)
	}
	CheckLevel(p, "level", u.Level)
	CheckText(p, "ended_basis", u.EndedBasis)
	CheckText(p, "ended_basis_en", u.EndedBasisEN)
	checkUnitLife(p, u.StartedOn, u.EndedOn)
	return p
}

// checkUnitLife checks a unit's start and end days: within the years the
// app knows, and the end after the start.
func checkUnitLife(p Problems, started, ended *time.Time) {
	for field, d := range map[string]*time.Time{"started_on": started, "ended_on": ended} {
		if d != nil && (d.Year() < MinYear || d.Year() > MaxYear) {
			p.Add(field, "error.bad_year", d.Year())
		}
	}
	if started != nil && ended != nil && !ended.After(*started) {
		p.Add("ended_on", "error.unit_ends_before_start")
	}
}

// CheckPillar checks a pillar's fields, trimming them: a code and both
// names.
func CheckPillar(pl *Pillar) Problems {
	p := Problems{}
	pl.Code, pl.NameVI, pl.NameEN = strings.TrimSpace(pl.Code), strings.TrimSpace(pl.NameVI), strings.TrimSpace(pl.NameEN)
	CheckCode(p, "code", pl.Code)
	for field, name := range map[string]string{"name_vi": pl.NameVI, "name_en": pl.NameEN} {
		if name == "" {
			p.Add(field, "error.required")
		}
		CheckName(p, field, name)
	}
	return p
}

// checkRollup checks the roll-up rule, its weight and its coverage
// threshold (a share of the children, above 0 and at most 1).
func checkRollup(p Problems, ind *Indicator) {
	switch ind.Rollup {
	case RollupNone, RollupSum, RollupMean:
	case RollupWeighted:
		if ind.RollupWeight == "" {
			p.Add("rollup_weight", "error.required")
		}
	default:
		p.Add("rollup", "error.choose")
	}
	if t := ind.RollupThreshold; t != nil && !(*t > 0 && *t <= 1) {
		p.Add("rollup_threshold", "error.rollup_threshold")
	}
}

// CheckIndicator checks an indicator's own fields, trimming them; what
// needs the database (a unique code, a known pillar) is the Store's.
func CheckIndicator(ind *Indicator) Problems {
	p := Problems{}
	ind.Code = strings.TrimSpace(ind.Code)
	ind.NameVI, ind.NameEN = strings.TrimSpace(ind.NameVI), strings.TrimSpace(ind.NameEN)
	ind.Measure = strings.TrimSpace(ind.Measure)
	CheckCode(p, "code", ind.Code)
	for _, f := range []struct{ field, s string }{{"name_vi", ind.NameVI}, {"name_en", ind.NameEN}} {
		if f.s == "" {
			p.Add(f.field, "error.required")
		}
		CheckName(p, f.field, f.s)
	}
	// Other publishers' data may have no unit of measure; forms ask for one.
	CheckName(p, "measure", ind.Measure)
	ind.DefaultMeasureNames()
	for _, f := range ind.Fields() {
		if n := utf8.RuneCountInString(*f.Value); n > textLimit(f.Name) {
			p.Add(f.Name, "error.text_too_long", textLimit(f.Name), n)
		}
	}
	// Unset is allowed: an import that cannot tell leaves it to a planner.
	if ind.Direction != DirectionHigher && ind.Direction != DirectionLower && ind.Direction != DirectionUnset {
		p.Add("direction", "error.choose")
	}
	switch ind.Frequency {
	case FrequencyYear, FrequencyQuarter, FrequencyMonth:
	default:
		p.Add("frequency", "error.choose")
	}
	CheckDecimals(p, "decimals", ind.Decimals)
	checkRollup(p, ind)
	checkReporting(p, ind)
	if ind.Limit != nil {
		CheckNumber(p, "limit", *ind.Limit)
		if !(*ind.Limit > 0) {
			p.Add("limit", "error.positive")
		}
	}
	return p
}

// CheckTarget checks a target of ind, trimming its texts.
func CheckTarget(ind Indicator, t *Target) Problems {
	p := Problems{}
	t.Source, t.Reason = strings.TrimSpace(t.Source), strings.TrimSpace(t.Reason)
	if t.Year < 2000 || t.Year > 2100 {
		p.Add("year", "error.range", 2000, 2100)
	}
	switch t.Comparator {
	case AtLeast, AtMost, Exactly:
		t.ValueMax = nil
	case Between:
		if t.ValueMax == nil {
			p.Add("value_max", "error.required")
		} else if *t.ValueMax < t.Value {
			p.Add("value_max", "error.min_max")
		} else {
			CheckValue(p, "value_max", ind, *t.ValueMax)
		}
	default:
		p.Add("comparator", "error.choose")
	}
	CheckValue(p, "value", ind, t.Value)
	if t.BaselineValue != nil {
		CheckValue(p, "baseline_value", ind, *t.BaselineValue)
		if t.BaselineYear == nil {
			p.Add("baseline_year", "error.required")
		}
	}
	if t.BaselineYear != nil {
		if *t.BaselineYear >= t.Year || *t.BaselineYear < 1900 {
			p.Add("baseline_year", "error.baseline_year")
		} else if t.BaselineValue == nil {
			p.Add("baseline_value", "error.required")
		}
	}
	if t.Source == "" {
		p.Add("source", "error.required")
	}
	CheckText(p, "source", t.Source)
	CheckText(p, "reason", t.Reason)
	return p
}

// CheckPeriod checks the period of an actual value of ind at now and
// returns it written the canonical way: a valid period, of the indicator's
// frequency, already started.
func CheckPeriod(p Problems, field string, ind Indicator, period string, now time.Time) string {
	per, err := ParsePeriod(period)
	switch {
	case strings.TrimSpace(period) == "":
		p.Add(field, "error.required")
	case err != nil:
		p.Add(field, "error.period")
	case per.Frequency() != ind.Frequency:
		p.Add(field, "error.period_frequency."+ind.Frequency)
	case !per.Started(now):
		p.Add(field, "error.period_future", per.String())
	default:
		return per.String()
	}
	return period
}

// CheckUnitPeriod refuses, like a future period, a period in which the unit
// did not exist: after it ended (the HCMC districts on 01/07/2025) or
// before it started. A unit not yet stored (an import creating it) has no
// dates and passes.
func CheckUnitPeriod(p Problems, field string, u Unit, period string) {
	per, err := ParsePeriod(period)
	if err != nil || u.ExistedDuring(per) {
		return
	}
	if u.EndedOn != nil && !u.EndedOn.After(per.Start()) {
		p.Add(field, "error.period_unit_ended", per.String(), u.EndedOn.Format("02/01/2006"))
		return
	}
	p.Add(field, "error.period_unit_not_started", per.String(), u.StartedOn.Format("02/01/2006"))
}

// CheckObservation checks an actual value of ind at now: its period, its
// value (nil: a deletion) and its texts. Fields are prefixed with key.
func CheckObservation(p Problems, key string, ind Indicator, in *ObservationInput, now time.Time) {
	in.Note, in.Source = strings.TrimSpace(in.Note), strings.TrimSpace(in.Source)
	in.Period = CheckPeriod(p, key+"period", ind, in.Period, now)
	if _, bad := p[key+"period"]; !bad {
		CheckUnitPeriod(p, key+"period", in.Unit, in.Period)
	}
	if in.Value != nil {
		CheckValue(p, key+"value", ind, *in.Value)
	}
	CheckText(p, key+"note", in.Note)
	CheckText(p, key+"source", in.Source)
}

// CheckTree finds the units whose parent chain, in the tree given as
// code → parent code ("" at the top), comes back to them: a cycle would
// send every walk of the tree round for ever. The codes are returned sorted.
func CheckTree(parents map[string]string) []string {
	var cyclic []string
	for code := range parents {
		seen := map[string]bool{code: true}
		for next := parents[code]; next != ""; next = parents[next] {
			if next == code {
				cyclic = append(cyclic, code)
				break
			}
			if seen[next] {
				break // a cycle above code, reported for its own members
			}
			seen[next] = true
		}
	}
	sort.Strings(cyclic)
	return cyclic
}

// textLimit is the longest a text may be: a measure's name is a few words,
// metadata a few paragraphs.
func textLimit(field string) int {
	if strings.HasPrefix(field, "measure_") {
		return 64
	}
	return 4000
}

// BreakdownRules is what checking a breakdown needs from the database,
// read once per write or import (Store.BreakdownRules): the dimensions and
// their values, the dimensions each indicator is broken down by, the
// breakdowns each indicator holds already, and the cap on how many it may
// hold. Check adds the breakdowns it accepts, so a batch counts them too.
type BreakdownRules struct {
	Max        int
	dimensions map[string]*Dimension // by upper-case code
	byID       map[uint]*Dimension
	lists      map[uint]map[uint]bool   // indicator → dimension ids
	held       map[uint]map[string]bool // indicator → canonical breakdowns
}

// NewBreakdownRules builds the rules from what is stored: dimensions with
// their values, each indicator's dimension ids, each indicator's stored
// breakdowns. max < 1 means DefaultMaxBreakdowns.
func NewBreakdownRules(dims []Dimension, lists map[uint][]uint, held map[uint][]string, max int) *BreakdownRules {
	if max < 1 {
		max = DefaultMaxBreakdowns
	}
	r := &BreakdownRules{Max: max, dimensions: map[string]*Dimension{}, byID: map[uint]*Dimension{},
		lists: map[uint]map[uint]bool{}, held: map[uint]map[string]bool{}}
	for i := range dims {
		r.AddDimension(dims[i])
	}
	for ind, ids := range lists {
		for _, id := range ids {
			r.ListDimension(ind, id)
		}
	}
	for ind, bs := range held {
		for _, b := range bs {
			r.hold(ind, b)
		}
	}
	return r
}

// AddDimension makes d and its values known (an import creating them).
func (r *BreakdownRules) AddDimension(d Dimension) {
	d.Values = slices.Clone(d.Values)
	r.dimensions[strings.ToUpper(d.Code)], r.byID[d.ID] = &d, &d
}

// ListDimension records that the indicator is broken down by the dimension.
func (r *BreakdownRules) ListDimension(indicatorID, dimensionID uint) {
	if r.lists[indicatorID] == nil {
		r.lists[indicatorID] = map[uint]bool{}
	}
	r.lists[indicatorID][dimensionID] = true
}

func (r *BreakdownRules) hold(indicatorID uint, b string) {
	if r.held[indicatorID] == nil {
		r.held[indicatorID] = map[string]bool{}
	}
	r.held[indicatorID][b] = true
}

// Dimension returns the dimension of a code (any case) and its value of a
// code (any case); either is nil when unknown.
func (r *BreakdownRules) Dimension(dimCode, valueCode string) (*Dimension, *DimensionValue) {
	d := r.dimensions[strings.ToUpper(dimCode)]
	if d == nil {
		return nil, nil
	}
	for i, v := range d.Values {
		if strings.EqualFold(v.Code, valueCode) {
			return d, &d.Values[i]
		}
	}
	return d, nil
}

// Resolve reads the breakdown s and returns it in canonical form with the
// stored codes' case ("" for the total), or the problem that stops it:
// every dimension and value must be known. The indicator's own rules are
// Check's.
func (r *BreakdownRules) Resolve(s string) (string, *Problem) {
	pairs, err := ParseBreakdown(s)
	var be *BreakdownError
	if errors.As(err, &be) {
		return s, &Problem{Key: be.Key, Args: be.Args}
	}
	for i, pair := range pairs {
		d, v := r.Dimension(pair.Dimension, pair.Value)
		switch {
		case d == nil:
			return s, &Problem{Key: "error.breakdown_dimension", Args: []any{pair.Dimension}}
		case v == nil:
			return s, &Problem{Key: "error.breakdown_value", Args: []any{pair.Value, d.Code}}
		}
		pairs[i] = BreakdownPair{Dimension: d.Code, Value: v.Code}
	}
	SortBreakdown(pairs)
	b := FormatBreakdown(pairs)
	if len(b) > MaxBreakdownLength {
		return s, &Problem{Key: "error.too_long", Args: []any{MaxBreakdownLength, len(b)}}
	}
	return b, nil
}

// Lists reports whether the indicator is broken down by every dimension of
// the canonical breakdown b.
func (r *BreakdownRules) Lists(indicatorID uint, b string) bool {
	pairs, _ := ParseBreakdown(b)
	for _, pair := range pairs {
		if d, _ := r.Dimension(pair.Dimension, pair.Value); d == nil || !r.lists[indicatorID][d.ID] {
			return false
		}
	}
	return true
}

// Check checks the breakdown s of a value of ind and returns it in
// canonical form with the stored codes' case ("" for the total): every
// dimension and value known (Resolve), every dimension one the indicator
// is broken down by, and no more distinct breakdowns for the indicator
// than r.Max. This is the one check of a breakdown for every way values
// come in.
func (r *BreakdownRules) Check(p Problems, field string, ind Indicator, s string) string {
	b, prob := r.Resolve(s)
	if prob != nil {
		p.Add(field, prob.Key, prob.Args...)
		return s
	}
	if !r.Lists(ind.ID, b) {
		p.Add(field, "error.breakdown_not_listed", ind.Code, b)
		return s
	}
	if b != "" && !r.held[ind.ID][b] {
		if len(r.held[ind.ID]) >= r.Max {
			p.Add(field, "error.breakdown_cap", ind.Code, r.Max)
			return s
		}
		r.hold(ind.ID, b)
	}
	return b
}
