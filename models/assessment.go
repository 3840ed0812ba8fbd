package models

// Progress assessment of one indicator × unit × target.
//
// The core is the Open SDG progress measure (Statistics Canada's method) as
// sdg-build 2.4.0 computes it in sdg/ProgressMeasure.py (SeriesProgress):
//
//   - method 1 (no target): v = s·d·CAGR, thresholds 0.015/0.005/0 scaled by a
//     coefficient C when the indicator has a natural limit;
//   - method 2 (target):    v = s·d·CAGR / |CAGR_req|, thresholds 0.95/0.6/0.
//
// Places where sdg-build's behaviour is followed rather than the plain product
// spec text are marked "sdg-build:" below. On top of that the dashboard adds
// comparators (at_most, exactly, between), passed milestones, yearly goals and
// the planning figures ExpectedNow, ProjectedYear and RequiredAnnualChange.
// Everything here is pure: no I/O, no clock (the caller passes Today).

import (
	"math"
	"sort"
	"time"
)

// Direction says which way is better: "higher" or "lower".
type Direction string

// Directions. sdg-build: any value other than "higher" counts as lower is
// better, because sdg-build treats every direction except "positive" as
// negative.
const (
	DirectionHigher Direction = "higher"
	DirectionLower  Direction = "lower"
	// DirectionUnset is an indicator nobody has said the direction of (an
	// import that could not tell): it shows no status until a planner sets it.
	DirectionUnset Direction = ""
)

// Comparator says how a value is compared with a goal's target value.
type Comparator string

// Comparators. An empty or unknown comparator is resolved by Assess from the
// indicator's direction (at_least when higher is better, else at_most), which
// is exactly Open SDG's implicit target.
const (
	AtLeast Comparator = "at_least"
	AtMost  Comparator = "at_most"
	Exactly Comparator = "exactly"
	Between Comparator = "between"
)

// Status is the outcome of an assessment, as Open SDG names it plus
// target_missed for milestones whose year has passed.
type Status string

// Statuses of an assessment.
const (
	StatusTargetAchieved Status = "target_achieved"
	StatusTargetMissed   Status = "target_missed"
	StatusSubstantial    Status = "substantial_progress"
	StatusModerate       Status = "moderate_progress"
	StatusLimited        Status = "limited_progress"
	StatusDeterioration  Status = "deterioration"
	StatusNotAvailable   Status = "not_available"
)

// Statuses lists every status in display order (achieved, substantial,
// moderate, limited, deterioration, missed, not_available).
var Statuses = []Status{
	StatusTargetAchieved,
	StatusSubstantial,
	StatusModerate,
	StatusLimited,
	StatusDeterioration,
	StatusTargetMissed,
	StatusNotAvailable,
}

// OnTrack reports whether the status counts as good (achieved or substantial).
func (s Status) OnTrack() bool {
	return s == StatusTargetAchieved || s == StatusSubstantial
}

// YearValue is one annual observation.
type YearValue struct {
	Year  int
	Value float64
}

// Goal is the target side of an assessment.
type Goal struct {
	Year          int
	Comparator    Comparator
	Value         float64
	ValueMax      *float64 // for Between
	BaselineYear  *int
	BaselineValue *float64
	Yearly        bool // "≥ 9 % every year to Year": applies to each year
}

// AssessmentInput is everything Assess needs; it is never modified.
type AssessmentInput struct {
	Direction Direction
	Limit     *float64    // natural limit, e.g. 100 for a percentage; nil if none
	Series    []YearValue // one value per year, any order (the caller has already reduced sub-annual data)
	Goal      *Goal       // nil: assess without a target
	Today     time.Time   // "now", used for passed milestones and the expected value today
}

// Assessment is the result of Assess. Pointer fields are nil when the figure
// cannot be computed; they are never NaN or infinite, so the value always
// encodes as JSON.
type Assessment struct {
	Status               Status   `json:"status"`
	ProgressValue        *float64 `json:"progress_value"`
	Score                *float64 `json:"score"`
	BaseYear             *int     `json:"base_year"`
	BaseValue            *float64 `json:"base_value"`
	CurrentYear          *int     `json:"current_year"`
	CurrentValue         *float64 `json:"current_value"`
	ExpectedNow          *float64 `json:"expected_now"`           // on the straight line from baseline to target, at Today (fractional year), nil without goal/baseline
	ExpectedAtCurrent    *float64 `json:"expected_at_current"`    // on the same line at the latest value's year, nil without goal/baseline
	ProjectedYear        *int     `json:"projected_year"`         // year the target is reached at the current CAGR pace; nil if never/unknown or already reached
	RequiredAnnualChange *float64 `json:"required_annual_change"` // (target − current) / (target year − current year), in the indicator's units per year; nil if not applicable
	// StraightPath says the progress value is the share of the change the
	// straight path expected by the latest value's year, not the growth
	// rate: a base at or near zero makes growth rates explode.
	StraightPath bool `json:"straight_path,omitempty"`
}

// Method constants, as in sdg-build.
const (
	// progressDefaultBaseYear is the base year when the goal names none.
	progressDefaultBaseYear = 2015
	// zeroSubstitute replaces a base or target of 0, which would make the
	// growth rate undefined (sdg-build warns and uses 0.001 too).
	zeroSubstitute = 0.001
	// limitExponent shapes how fast the no-target thresholds shrink as the
	// base value nears the natural limit.
	limitExponent = 4.44
	// maxProjectionYears bounds ProjectedYear: a pace that needs longer than
	// this is reported as "never" rather than as an absurd year.
	maxProjectionYears = 1000
	// nearZeroShare is how small a base may be next to a rising target
	// before the growth rate is replaced by the straight path: a base at or
	// below 1 % of the target (5G from 0,5 % to 100 %) turns any growth
	// into "on track" however far behind the path the value is.
	nearZeroShare = 0.01
	// pathFloor is the share of the change expected by now on the straight
	// path below which a value is never on track (at most moderate).
	pathFloor = 0.6
)

// progressThresholds are the high/med/low cut-offs for the progress value v.
// coefficient is C of the no-target method (1 when unused).
type progressThresholds struct {
	high, med, low, coefficient float64
}

// targetThresholds are method 2's thresholds on the ratio of observed to
// required growth.
var targetThresholds = progressThresholds{high: 0.95, med: 0.6, low: 0, coefficient: 1}

// Assess computes the progress assessment for one series against an optional
// goal.
//
// Without a goal it is Open SDG method 1. With a goal whose year has not
// passed it is method 2 (or the yearly rule when Goal.Yearly). When
// Today.Year() > Goal.Year the milestone is judged as of its year: data after
// Goal.Year is ignored and the status is target_achieved or target_missed
// (not_available without any data up to that year).
func Assess(in AssessmentInput) Assessment {
	pts := normalizeSeries(in.Series)
	dir := directionSign(in.Direction)
	if in.Goal == nil {
		return assessWithoutTarget(pts, dir, in.Limit)
	}
	g := in.Goal.resolved(dir)
	pts = g.withBaseline(pts)
	passed := in.Today.Year() > g.Year
	if passed {
		pts = pointsUpTo(pts, g.Year)
	}
	if g.Yearly {
		return g.assessYearly(pts, passed)
	}
	return g.assessTarget(pts, passed, in.Today)
}

// assessWithoutTarget is Open SDG method 1.
func assessWithoutTarget(pts []YearValue, dir float64, limit *float64) Assessment {
	sp := locateSpan(pts, progressDefaultBaseYear)
	a := sp.assessment()
	if !sp.hasBase {
		return a
	}
	v, ok := progressValue(sp, dir, nil)
	if !ok {
		return a
	}
	th := noTargetThresholds(sp.base.Value, limit)
	a.ProgressValue = finiteRef(v)
	a.Score = finiteRef(scoreWithoutTarget(v, th))
	a.Status = statusFor(v, th)
	return a
}

// assessTarget is Open SDG method 2 extended with comparators and passed
// milestones.
func (g Goal) assessTarget(pts []YearValue, passed bool, today time.Time) Assessment {
	sp := locateSpan(pts, g.baseYear())
	a := sp.assessment()
	if !sp.hasCurrent {
		return a
	}
	// sdg-build checks "target achieved" before it checks that there are two
	// years of data, so a single observation that meets the target is
	// target_achieved (score 5); an unmet single observation stays
	// not_available.
	achieved := g.reached(sp.current.Value)
	v, vok := g.targetProgress(sp)
	share, sok := g.pathShare(sp)
	if sok && g.nearZeroBase(sp.base.Value) {
		v, vok, a.StraightPath = share, true, true
	}
	if vok {
		a.ProgressValue = finiteRef(v)
	}
	switch {
	case achieved:
		a.Status, a.Score = StatusTargetAchieved, floatRef(5)
	case passed:
		a.Status = StatusTargetMissed
		if vok {
			a.Score = finiteRef(scoreWithTarget(v))
		}
	case vok:
		a.Status, a.Score = statusFor(v, targetThresholds), finiteRef(scoreWithTarget(v))
		// Never on track far behind the path, whatever the growth rate says.
		if a.Status == StatusSubstantial && sok && share < pathFloor {
			a.Status, a.Score = StatusModerate, finiteRef(math.Min(*a.Score, scoreWithTarget(targetThresholds.high)-1e-9))
		}
	}
	if sp.hasBase {
		a.ExpectedNow = g.expectedToday(sp.base, today)
		a.ExpectedAtCurrent = g.expectedAt(sp.base, float64(sp.current.Year))
	}
	if !achieved {
		a.ProjectedYear = g.projectedYear(sp)
		if !passed {
			a.RequiredAnnualChange = g.requiredAnnualChange(sp.current)
		}
	}
	return a
}

// targetProgress is method 2's progress value toward the goal. For at_least
// and at_most the target is Goal.Value. For exactly and between the target is
// the nearer bound seen from the current value — the bound reached first when
// moving from the current value into the range — and the direction of travel
// is toward it, whatever the indicator's Direction. When the current value is
// inside the range, progress is measured from the side the base came from; a
// base that was inside the range too has no progress value.
func (g Goal) targetProgress(sp progressSpan) (float64, bool) {
	if !sp.hasBase {
		return 0, false
	}
	target, dir, inside := g.aimFrom(sp.current.Value)
	if inside {
		target, dir, inside = g.aimFrom(sp.base.Value)
		if inside {
			return 0, false
		}
	}
	return progressValue(sp, dir, &targetPoint{year: g.Year, value: target})
}

// pathShare is the share of the change the straight path from the base to
// the target expected by the latest value's year that the latest value has
// achieved (1: on the path; more: ahead of it). It reports false where the
// path is undefined: no base, no time since the base, a target year not
// after the base year, or a base already at the target.
func (g Goal) pathShare(sp progressSpan) (float64, bool) {
	if !sp.hasBase || sp.current.Year <= sp.base.Year || g.Year <= sp.base.Year {
		return 0, false
	}
	expected := g.expectedAt(sp.base, float64(sp.current.Year))
	if expected == nil || *expected == sp.base.Value {
		return 0, false
	}
	s := (sp.current.Value - sp.base.Value) / (*expected - sp.base.Value)
	return s, isFinite(s)
}

// nearZeroBase reports whether the growth rate is meaningless from base:
// a base of 0, or a base at or below nearZeroShare of a positive target the
// value must rise to.
func (g Goal) nearZeroBase(base float64) bool {
	if base == 0 {
		return true
	}
	target, dir, inside := g.aimFrom(base)
	return !inside && dir > 0 && target > 0 && base > 0 && base <= nearZeroShare*target
}

// assessYearly judges a goal that applies to every year up to Goal.Year
// ("≥ 9 % every year"). Only data from the base year on counts, and one year
// of data is enough: each year is judged on its own, no growth rate needed.
//
//   - Goal.Year passed: target_achieved when every year with data met the
//     goal, else target_missed.
//   - Otherwise: the latest year meets it → substantial_progress; it misses
//     and is further from the goal than the previous year with data →
//     deterioration; it misses otherwise → limited_progress.
//
// ProgressValue is the latest value's ratio to the target, oriented so that
// 1 means on target and less than 1 means short of it (see yearlyRatio).
// Score stays inside the band that get_progress_status_from_score in
// sdg-build associates with the status: 5 when met, 2.5·p − 2.5 for limited,
// 2.5·p − 5 for deterioration and for missed (p = ratio clamped to [0, 1];
// for missed, the worst year's ratio).
func (g Goal) assessYearly(pts []YearValue, passed bool) Assessment {
	pts = pointsFrom(pts, g.baseYear())
	sp := locateSpan(pts, g.baseYear())
	a := sp.assessment()
	if !sp.hasCurrent {
		return a
	}
	cur := sp.current.Value
	ratio := g.yearlyRatio(cur)
	a.ProgressValue = finiteRef(ratio)
	switch {
	case passed:
		worst, allMet := 1.0, true
		for _, p := range pts {
			if !g.reached(p.Value) {
				allMet = false
				worst = math.Min(worst, g.yearlyRatio(p.Value))
			}
		}
		if allMet {
			a.Status, a.Score = StatusTargetAchieved, floatRef(5)
		} else {
			a.Status, a.Score = StatusTargetMissed, finiteRef(2.5*unitClamp(worst)-5)
		}
	case g.reached(cur):
		a.Status, a.Score = StatusSubstantial, floatRef(5)
	case len(pts) > 1 && g.gap(cur) > g.gap(pts[len(pts)-2].Value):
		a.Status, a.Score = StatusDeterioration, finiteRef(2.5*unitClamp(ratio)-5)
	default:
		a.Status, a.Score = StatusLimited, finiteRef(2.5*unitClamp(ratio)-2.5)
	}
	// The goal holds every year, so the value expected now is the target
	// itself (for a range: the point of it nearest the current value), and
	// a shortfall has to be closed by the next year.
	target, _, _ := g.aimFrom(cur)
	a.ExpectedNow = finiteRef(target)
	if !g.reached(cur) {
		a.ProjectedYear = g.projectedYear(sp)
		if !passed {
			a.RequiredAnnualChange = finiteRef(target - cur)
		}
	}
	return a
}

// yearlyRatio is value / target oriented so that reaching the target gives
// at least 1: value/target when the goal needs the value to rise, target/value
// when it needs it to fall (swapped for negative targets, where the larger
// magnitude is the smaller value). Zeros are replaced by 0.001 as in the
// growth method. Inside a range the ratio is 1.
func (g Goal) yearlyRatio(value float64) float64 {
	target, dir, inside := g.aimFrom(value)
	if inside {
		return 1
	}
	t, v := nonZero(target), nonZero(value)
	if (dir > 0) == (t > 0) {
		return v / t
	}
	return t / v
}

// gap is how far value is from satisfying the goal, in indicator units
// (0 when it does). It makes "worse than the previous year" meaningful for
// every comparator.
func (g Goal) gap(value float64) float64 {
	if g.reached(value) {
		return 0
	}
	target, _, _ := g.aimFrom(value)
	return math.Abs(target - value)
}

// Met reports whether value satisfies the goal's comparator (Between: inside
// [Value, ValueMax]; Exactly: equal within 1e-9 relative). An empty
// comparator counts as at_least. Met compares with Goal.Value as given;
// Assess, following sdg-build, replaces a target of 0 by 0.001 when it judges
// at_least/at_most targets.
func (g Goal) Met(value float64) bool {
	switch g.Comparator {
	case AtMost:
		return value <= g.Value
	case Exactly:
		return nearlyEqual(value, g.Value)
	case Between:
		lo, hi := g.bounds()
		return value >= lo && value <= hi
	default:
		return value >= g.Value
	}
}

// reached is the "target achieved" test Assess uses. For at_least/at_most it
// is sdg-build's is_target_achieved, which compares with the target after a
// 0 target has been replaced by 0.001; ranges use Met.
func (g Goal) reached(value float64) bool {
	switch g.Comparator {
	case AtLeast:
		return value >= nonZero(g.Value)
	case AtMost:
		return value <= nonZero(g.Value)
	default:
		return g.Met(value)
	}
}

// aimFrom returns the target value progress is measured toward from value,
// and the direction of travel (+1 up, −1 down). For ranges (exactly, between)
// that is the bound nearest to value; inside the range it returns value
// itself, direction 0 and inside=true.
func (g Goal) aimFrom(value float64) (target, dir float64, inside bool) {
	switch g.Comparator {
	case AtLeast:
		return g.Value, 1, false
	case AtMost:
		return g.Value, -1, false
	}
	if g.Met(value) {
		return value, 0, true
	}
	lo, hi := g.bounds()
	if value < lo {
		return lo, 1, false
	}
	return hi, -1, false
}

// bounds returns the goal's range. A missing ValueMax makes Between a
// one-point range; reversed bounds are swapped rather than rejected.
func (g Goal) bounds() (lo, hi float64) {
	lo, hi = g.Value, g.Value
	if g.Comparator == Between && g.ValueMax != nil {
		hi = *g.ValueMax
	}
	if hi < lo {
		lo, hi = hi, lo
	}
	return lo, hi
}

// resolved returns a copy whose comparator is one of the four known ones,
// deriving it from the direction when unset (Open SDG's implicit target).
func (g Goal) resolved(dir float64) Goal {
	switch g.Comparator {
	case AtLeast, AtMost, Exactly, Between:
		return g
	}
	if dir > 0 {
		g.Comparator = AtLeast
	} else {
		g.Comparator = AtMost
	}
	return g
}

// baseYear is the goal's baseline year, else 2015.
func (g Goal) baseYear() int {
	if g.BaselineYear != nil {
		return *g.BaselineYear
	}
	return progressDefaultBaseYear
}

// withBaseline adds the goal's baseline as a data point when the goal gives
// both its year and value and the series has no value for that year (the
// series wins when it has one). A baseline value without a year is ignored.
func (g Goal) withBaseline(pts []YearValue) []YearValue {
	if g.BaselineYear == nil || g.BaselineValue == nil || !isFinite(*g.BaselineValue) {
		return pts
	}
	for _, p := range pts {
		if p.Year == *g.BaselineYear {
			return pts
		}
	}
	out := append([]YearValue{{Year: *g.BaselineYear, Value: *g.BaselineValue}}, pts...)
	sortByYear(out)
	return out
}

// expectedToday is the value the straight path from base expects today
// (ExpectedNow), the one figure of an assessment that changes from one day
// to the next within a year.
func (g Goal) expectedToday(base YearValue, today time.Time) *float64 {
	return g.expectedAt(base, fractionalYear(today))
}

// AsOf returns a, an assessment made on an earlier day of today's year
// against goal (nil: none), with its figures that depend on the day brought
// to today, exactly as Assess computes them: a stored assessment is
// refreshed by it when the day changes. (A new year can pass a milestone,
// which changes the status: that needs the series, see Store.ensureAssessed.)
func (a Assessment) AsOf(dir Direction, goal *Goal, today time.Time) Assessment {
	if goal == nil || goal.Yearly || dir == DirectionUnset || a.BaseYear == nil || a.BaseValue == nil || a.CurrentYear == nil {
		return a
	}
	a.ExpectedNow = goal.resolved(directionSign(dir)).expectedToday(YearValue{Year: *a.BaseYear, Value: *a.BaseValue}, today)
	return a
}

// expectedAt is the value on the straight line from the base to the target at
// fractional year x, clamped to the line's ends (before the base: the base
// value; after the target year: the target). For ranges the line ends at the
// point of the range nearest the base, so a base already inside stays flat.
func (g Goal) expectedAt(base YearValue, x float64) *float64 {
	target, _, _ := g.aimFrom(base.Value)
	t0, t1 := float64(base.Year), float64(g.Year)
	switch {
	case t1 <= t0 || x >= t1:
		return finiteRef(target)
	case x <= t0:
		return finiteRef(base.Value)
	}
	return finiteRef(base.Value + (target-base.Value)*(x-t0)/(t1-t0))
}

// projectedYear extrapolates the base-to-current CAGR from the current value
// and returns the first whole year in which it reaches the target: the year
// t with current·(1+CAGR)^(t−current year) = target, rounded up. nil when the
// target is already reached, the pace leads away from it (or is flat), the
// growth rate is undefined, or it would take more than maxProjectionYears.
// Zeros are replaced by 0.001 as in the growth method.
func (g Goal) projectedYear(sp progressSpan) *int {
	if !sp.hasBase || sp.current.Year <= sp.base.Year || g.reached(sp.current.Value) {
		return nil
	}
	target, _, inside := g.aimFrom(sp.current.Value)
	if inside {
		return nil
	}
	y0, yc := nonZero(sp.base.Value), sp.current.Value
	if oppositeSigns(y0, yc) || yc == 0 {
		return nil
	}
	factor := 1 + cagr(yc, y0, sp.current.Year, sp.base.Year)
	ratio := nonZero(target) / yc
	if !(factor > 0) || !(ratio > 0) {
		return nil
	}
	years := math.Log(ratio) / math.Log(factor)
	if math.IsNaN(years) || years <= 0 || years > maxProjectionYears {
		return nil
	}
	year := sp.current.Year + int(math.Ceil(years-1e-9))
	return &year
}

// requiredAnnualChange is the constant yearly change, in indicator units,
// that takes the current value to the target (for ranges: the nearer bound)
// by the target year. nil when the target year is not after the current year.
func (g Goal) requiredAnnualChange(cur YearValue) *float64 {
	target, _, inside := g.aimFrom(cur.Value)
	if inside || g.Year <= cur.Year {
		return nil
	}
	return finiteRef((target - cur.Value) / float64(g.Year-cur.Year))
}

// targetPoint is the (year, value) that method 2's required growth aims at.
type targetPoint struct {
	year  int
	value float64
}

// progressValue is sdg-build's progress value v for the span: s·d·CAGR
// without a target, s·d·CAGR/|CAGR_req| with one. It reports false where
// sdg-build returns None — fewer than two years from base to current, or base
// and current of opposite signs — and also where sdg-build would fail or give
// a complex number: a target year not after the base year, or a target of the
// opposite sign to the base. A target equal to the base gives CAGR_req = 0 and
// so v = ±Inf (Python raises ZeroDivisionError); the caller turns that into a
// score of ∓5 and no ProgressValue.
func progressValue(sp progressSpan, dir float64, tgt *targetPoint) (float64, bool) {
	if !sp.hasBase || sp.current.Year-sp.base.Year < 1 {
		return 0, false
	}
	// sdg-build: the sign is taken before a zero base is replaced.
	s := 1.0
	if sp.base.Value < 0 {
		s = -1
	}
	y0 := nonZero(sp.base.Value)
	if oppositeSigns(y0, sp.current.Value) {
		return 0, false
	}
	v := s * dir * cagr(sp.current.Value, y0, sp.current.Year, sp.base.Year)
	if tgt != nil {
		if tgt.year <= sp.base.Year {
			return 0, false
		}
		v /= math.Abs(cagr(nonZero(tgt.value), y0, tgt.year, sp.base.Year))
	}
	if math.IsNaN(v) {
		return 0, false
	}
	return v, true
}

// cagr is the compound annual growth rate from y0 in year t0 to y in year t.
// A negative ratio gives NaN unless the exponent is a whole number, matching
// Python's float power (which turns it into a complex number instead).
func cagr(y, y0 float64, t, t0 int) float64 {
	return math.Pow(y/y0, 1/float64(t-t0)) - 1
}

// noTargetThresholds are method 1's thresholds, multiplied by the coefficient
// C when the indicator has a natural limit L, so that an indicator close to
// its ceiling (or floor) needs less growth to count as progress. With
// b = |base| and a = 4.44: b ≥ 2L → C = 1; b ≤ L → C = 1 − (b/L)^a; else
// C = 1 − ((2L − b)/L)^a. sdg-build uses |L| and the base before a zero base
// is replaced by 0.001; b ≥ 2L is tested first so that b = L = 0 gives 1.
func noTargetThresholds(base float64, limit *float64) progressThresholds {
	th := progressThresholds{high: 0.015, med: 0.005, low: 0, coefficient: 1}
	if limit == nil {
		return th
	}
	b, l := math.Abs(base), math.Abs(*limit)
	var c float64
	switch {
	case b >= 2*l:
		c = 1
	case b <= l:
		c = 1 - math.Pow(b/l, limitExponent)
	default:
		c = 1 - math.Pow((2*l-b)/l, limitExponent)
	}
	return progressThresholds{high: th.high * c, med: th.med * c, low: th.low * c, coefficient: c}
}

// statusFor maps v to a status with the given thresholds (sdg-build's
// get_progress_status: v ≥ high substantial, med ≤ v < high moderate,
// low ≤ v < med limited, v < low deterioration).
//
// sdg-build derives the indicator-level status from the score instead
// (get_progress_status_from_score); with a target the two disagree only in
// slivers just under v = 0.6 and v = 0.95 (about 1e-5 wide), where the
// rounded score constants already reach 0 and 2.5. The spec asks for the
// v-based keys (the series-level status), so those are used.
func statusFor(v float64, th progressThresholds) Status {
	switch {
	case v >= th.high:
		return StatusSubstantial
	case v >= th.med:
		return StatusModerate
	case v >= th.low:
		return StatusLimited
	default:
		return StatusDeterioration
	}
}

// scoreWithTarget is method 2's score in [−5, 5], with sdg-build's rounded
// constants (7.1429, 4.2857, 4.1667).
func scoreWithTarget(v float64) float64 {
	if v >= targetThresholds.med {
		return math.Min(7.1429*v-4.2857, 5)
	}
	return math.Max(4.1667*v-2.5, -5)
}

// scoreWithoutTarget is method 1's score in [−5, 5]. v is divided by C so
// that the score compares v with the unscaled thresholds; C = 0 (the base
// sits on the limit) with v ≥ 0 means the limit is held: 5.
func scoreWithoutTarget(v float64, th progressThresholds) float64 {
	c := th.coefficient
	switch {
	case v < th.low:
		return math.Max(125*v-2.5, -5)
	case c == 0:
		return 5
	case v >= th.high:
		return math.Min(500*v/c-5, 5)
	case v >= th.med:
		return 250*v/c - 1.25
	default:
		return 500*v/c - 2.5
	}
}

// Behind returns how far behind the required pace an assessment is, for
// ordering a "needs attention" list (sort descending): larger means further
// behind.
//
//	in-progress statuses: 5 − Score            (0 … 10; a missing score counts as 0)
//	target_missed:        10 + (5 − Score)     (10 … 20: a passed deadline outranks any pace)
//	target_achieved:      −1
//	not_available:        −2                   (so achieved and unknown sort last)
//
// Because the score is monotonic in the progress value, this orders
// in-progress items by how far their pace falls short of the required one.
func (a Assessment) Behind() float64 {
	switch a.Status {
	case StatusTargetAchieved:
		return -1
	case StatusTargetMissed:
		return 10 + a.shortfall()
	case StatusSubstantial, StatusModerate, StatusLimited, StatusDeterioration:
		return a.shortfall()
	default:
		return -2
	}
}

// shortfall is 5 − Score, with an unknown score counted as 0.
func (a Assessment) shortfall() float64 {
	if a.Score == nil {
		return 5
	}
	return 5 - *a.Score
}

// progressSpan is the base and current observation of a series.
type progressSpan struct {
	base, current       YearValue
	hasBase, hasCurrent bool
}

// locateSpan picks the current observation (the latest) and the base: the
// requested base year, else — as sdg-build does — the first later year with
// data. Data before the base year does not count. Without data on or after
// the base year there is no base (sdg-build would raise an error there).
func locateSpan(pts []YearValue, baseYear int) progressSpan {
	var sp progressSpan
	if len(pts) == 0 {
		return sp
	}
	sp.current, sp.hasCurrent = pts[len(pts)-1], true
	for _, p := range pts {
		if p.Year >= baseYear {
			sp.base, sp.hasBase = p, true
			break
		}
	}
	return sp
}

// assessment returns a not_available assessment carrying the span's base and
// current observations as found in the data (a zero base is reported as 0,
// not as the 0.001 used inside the growth rate).
func (sp progressSpan) assessment() Assessment {
	a := Assessment{Status: StatusNotAvailable}
	if sp.hasBase {
		a.BaseYear, a.BaseValue = intRef(sp.base.Year), floatRef(sp.base.Value)
	}
	if sp.hasCurrent {
		a.CurrentYear, a.CurrentValue = intRef(sp.current.Year), floatRef(sp.current.Value)
	}
	return a
}

// normalizeSeries returns the finite observations sorted by year. If a year
// occurs more than once the later entry wins (sdg-build would reject the
// data; the caller is expected to have reduced it to one value a year).
func normalizeSeries(in []YearValue) []YearValue {
	pts := make([]YearValue, 0, len(in))
	for _, p := range in {
		if isFinite(p.Value) {
			pts = append(pts, p)
		}
	}
	sortByYear(pts)
	out := pts[:0]
	for _, p := range pts {
		if n := len(out); n > 0 && out[n-1].Year == p.Year {
			out[n-1] = p
			continue
		}
		out = append(out, p)
	}
	return out
}

// sortByYear sorts in place, keeping the input order within a year.
func sortByYear(pts []YearValue) {
	sort.SliceStable(pts, func(i, j int) bool { return pts[i].Year < pts[j].Year })
}

// pointsUpTo keeps the (sorted) observations in or before year.
func pointsUpTo(pts []YearValue, year int) []YearValue {
	n := sort.Search(len(pts), func(i int) bool { return pts[i].Year > year })
	return pts[:n]
}

// pointsFrom keeps the (sorted) observations in or after year.
func pointsFrom(pts []YearValue, year int) []YearValue {
	n := sort.Search(len(pts), func(i int) bool { return pts[i].Year >= year })
	return pts[n:]
}

// directionSign is d: +1 when higher is better, −1 otherwise (sdg-build's
// default is lower is better).
func directionSign(d Direction) float64 {
	if d == DirectionHigher {
		return 1
	}
	return -1
}

// fractionalYear places t within its year: 1 January 00:00 is Year + 0.
func fractionalYear(t time.Time) float64 {
	start := time.Date(t.Year(), time.January, 1, 0, 0, 0, 0, t.Location())
	end := start.AddDate(1, 0, 0)
	return float64(t.Year()) + t.Sub(start).Seconds()/end.Sub(start).Seconds()
}

// nonZero replaces 0 by 0.001, sdg-build's fix for a zero base or target.
func nonZero(x float64) float64 {
	if x == 0 {
		return zeroSubstitute
	}
	return x
}

// oppositeSigns reports whether one value is positive and the other negative.
func oppositeSigns(a, b float64) bool {
	return (a > 0 && b < 0) || (a < 0 && b > 0)
}

// nearlyEqual is equality within 1e-9 relative to the larger magnitude.
func nearlyEqual(a, b float64) bool {
	return a == b || math.Abs(a-b) <= 1e-9*math.Max(math.Abs(a), math.Abs(b))
}

// unitClamp clamps x to [0, 1].
func unitClamp(x float64) float64 {
	return math.Max(0, math.Min(1, x))
}

func isFinite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

func floatRef(x float64) *float64 { return &x }

func intRef(x int) *int { return &x }

// finiteRef is floatRef for values that may be NaN or infinite, which JSON
// cannot carry: those become nil.
func finiteRef(x float64) *float64 {
	if !isFinite(x) {
		return nil
	}
	return &x
}
