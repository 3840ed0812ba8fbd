package models

import (
	"slices"
	"strings"
	"time"

	"tiendo/locale"
)

// ReportingZone is where deadlines fall: a value due on 20 October may be
// saved until midnight in Vietnam, not in UTC.
var ReportingZone = locale.Zone

// DueDate is the last day (in ReportingZone, at midnight) on which the value
// of a period is on time: the period's last day plus the indicator's delay.
func (ind Indicator) DueDate(p Period) time.Time {
	end := p.End() // the first day after the period
	return time.Date(end.Year(), end.Month(), end.Day()-1+ind.DueDays, 0, 0, 0, 0, ReportingZone)
}

// Deadline is the first instant after the due date: a value first saved
// before it is on time, and from it on a missing value is overdue.
func (ind Indicator) Deadline(p Period) time.Time { return ind.DueDate(p).AddDate(0, 0, 1) }

// ReportedAt reports whether the indicator is reported at the unit's level.
func (ind Indicator) ReportedAt(level string) bool {
	return slices.Contains(ind.LevelList(), level)
}

// LevelList is Levels as a list.
func (ind Indicator) LevelList() []string {
	var out []string
	for _, l := range strings.Split(ind.Levels, ",") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// DefaultLevels report a new indicator, DefaultDueDays after each period,
// unless the planner chooses otherwise.
const (
	DefaultLevels  = LevelCity + "," + LevelProvince
	DefaultDueDays = 30
)

// MaxDueDays bounds an indicator's due delay: a year after the period.
const MaxDueDays = 366

// checkReporting checks the due delay and puts the levels in their order,
// one validation for the form, the API and imports.
func checkReporting(p Problems, ind *Indicator) {
	if ind.DueDays < 0 || ind.DueDays > MaxDueDays {
		p.Add("due_days", "error.due_days", 0, MaxDueDays)
	}
	given := ind.LevelList()
	var levels []string
	for _, l := range UnitLevels {
		if slices.Contains(given, l) {
			levels = append(levels, l)
		}
	}
	for _, l := range given {
		if !slices.Contains(UnitLevels, l) {
			p.Add("levels", "error.unknown_level", l)
		}
	}
	ind.Levels = strings.Join(levels, ",")
}

// Completeness counts the values of a reporting cycle. Only expected values
// are counted, so Reported ≤ Expected and OnTime ≤ Reported: a rate can
// never exceed 100 %.
type Completeness struct {
	Expected int `json:"expected"`
	Reported int `json:"reported"`
	OnTime   int `json:"on_time"`
}

// Add sums counts: roll-ups add counts, never average rates.
func (c *Completeness) Add(o Completeness) {
	c.Expected += o.Expected
	c.Reported += o.Reported
	c.OnTime += o.OnTime
}

// Late is how many values came after their due date.
func (c Completeness) Late() int { return c.Reported - c.OnTime }

// Missing is how many expected values have not come.
func (c Completeness) Missing() int { return c.Expected - c.Reported }

// Rate is Reported / Expected, nil when nothing is expected.
func (c Completeness) Rate() *float64 { return ratio(c.Reported, c.Expected) }

// OnTimeRate is OnTime / Expected, nil when nothing is expected.
func (c Completeness) OnTimeRate() *float64 { return ratio(c.OnTime, c.Expected) }

func ratio(n, d int) *float64 {
	if d == 0 {
		return nil
	}
	return floatRef(100 * float64(n) / float64(d))
}

// ReportingCase is one indicator × unit × period of a reporting cycle.
// FirstSaved is when a total value was first saved (nil: none); a later
// correction does not move it.
type ReportingCase struct {
	Indicator  Indicator
	Unit       Unit
	Assigned   bool // the indicator is assigned to the unit explicitly
	Period     Period
	FirstSaved *time.Time
}

// Expected reports whether a value is expected at now: the indicator applies
// to the unit (its level or an assignment), at the period's frequency, the
// unit existed during the period and the due date has passed.
func (rc ReportingCase) Expected(now time.Time) bool {
	return (rc.Assigned || rc.Indicator.ReportedAt(rc.Unit.Level)) &&
		rc.Period.Frequency() == rc.Indicator.Frequency &&
		rc.Unit.ExistedDuring(rc.Period) &&
		!now.Before(rc.Indicator.Deadline(rc.Period))
}

// Overdue reports whether an expected value is still missing at now.
func (rc ReportingCase) Overdue(now time.Time) bool { return rc.Expected(now) && rc.FirstSaved == nil }

// Count is the case's contribution to the counts at now.
func (rc ReportingCase) Count(now time.Time) Completeness {
	if !rc.Expected(now) {
		return Completeness{}
	}
	c := Completeness{Expected: 1}
	if rc.FirstSaved != nil {
		c.Reported = 1
		if rc.FirstSaved.Before(rc.Indicator.Deadline(rc.Period)) {
			c.OnTime = 1
		}
	}
	return c
}

// RecentPeriods returns the n periods of a frequency whose due date (with
// the delay given) has passed at now, oldest first: the columns of the
// completeness page.
func RecentPeriods(freq string, dueDays, n int, now time.Time) []Period {
	ind := Indicator{Frequency: freq, DueDays: dueDays}
	p := PeriodAt(freq, now)
	for !now.Before(p.Start()) && now.Before(ind.Deadline(p)) {
		p = p.Step(-1)
	}
	out := make([]Period, n)
	for i := n - 1; i >= 0; i-- {
		out[i] = p
		p = p.Step(-1)
	}
	return out
}

// PeriodAt is the period of a frequency that contains t.
func PeriodAt(freq string, t time.Time) Period {
	switch freq {
	case FrequencyQuarter:
		return Period{Year: t.Year(), Quarter: (int(t.Month())-1)/3 + 1}
	case FrequencyMonth:
		return Period{Year: t.Year(), Month: int(t.Month())}
	}
	return Period{Year: t.Year()}
}

// Step moves a period by n of its own frequency.
func (p Period) Step(n int) Period {
	switch {
	case p.Quarter > 0:
		q := p.Year*4 + p.Quarter - 1 + n
		return Period{Year: q / 4, Quarter: q%4 + 1}
	case p.Month > 0:
		m := p.Year*12 + p.Month - 1 + n
		return Period{Year: m / 12, Month: m%12 + 1}
	}
	return Period{Year: p.Year + n}
}

// Start is the first instant of the period.
func (p Period) Start() time.Time {
	switch {
	case p.Quarter > 0:
		return time.Date(p.Year, time.Month(3*p.Quarter-2), 1, 0, 0, 0, 0, time.UTC)
	case p.Month > 0:
		return time.Date(p.Year, time.Month(p.Month), 1, 0, 0, 0, 0, time.UTC)
	}
	return time.Date(p.Year, 1, 1, 0, 0, 0, 0, time.UTC)
}
