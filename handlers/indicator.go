package handlers

import (
	"fmt"
	"strings"

	"github.com/gofiber/fiber/v2"

	"tiendo/charts"
	"tiendo/models"
)

type valueRow struct {
	Period, Value, Note, Source string
	Breakdown                   string // its label, "" in a table without breakdowns
	Demo                        bool
}

type assessmentView struct {
	Target, StatusLabel, Icon               string
	Status                                  models.Status
	Base, Current, Expected, Projected, Req string
	ExpectedAtLatest, ExpectedAtLatestLabel string // on the path at the latest value's year
	Progress, Score                         string
	Source                                  string
	StraightPath                            bool
	Parts                                   []partStatus // the breakdowns assessed beside this total
}

type indicatorData struct {
	Indicator    models.Indicator
	Name, Pillar string
	Direction    string
	Unit         models.Unit
	UnitName     string
	Crumbs       []crumb // the unit's ancestors, top first
	Units        []unitOption
	Trajectory   charts.Chart
	Gauge        *charts.Chart
	Values       []valueRow
	Assessments  []assessmentView
	HasDemo      bool
	MeasureLabel string
	History      []string // the unit's target revisions in words, when there were any
	EditURLs     map[string]string
	Tab          string // "" the data, "about" the metadata
	Tabs         []navLink
	About        aboutData
	Explorer     *breakdownExplorer // nil when the unit has no breakdown of the indicator
	SumWarnings  []string           // totals whose parts do not add up to them
}

// aboutData is the metadata tab: every label, each with its text in the
// reader's language or "" (shown as not given).
type aboutData struct {
	Page *Page
	Rows []struct{ Label, Value string }
}

// about lists the indicator's metadata in the reader's language.
func about(p *Page, ind models.Indicator) aboutData {
	pick := func(vi, en string) string { return pickLang(p.Lang, vi, en) }
	measure := ind.MeasureName(p.Lang)
	if measure != ind.Measure {
		measure += " (" + ind.Measure + ")"
	}
	a := aboutData{Page: p}
	for _, r := range []struct{ key, value string }{
		{"meta.definition", pick(ind.DefinitionVI, ind.DefinitionEN)},
		{"meta.formula", pick(ind.FormulaVI, ind.FormulaEN)},
		{"meta.measure", measure},
		{"meta.agency", pick(ind.AgencyVI, ind.AgencyEN)},
		{"meta.source", pick(ind.SourceVI, ind.SourceEN)},
		{"meta.frequency", p.T("frequency." + ind.Frequency)},
		{"meta.notes", pick(ind.NotesVI, ind.NotesEN)},
	} {
		a.Rows = append(a.Rows, struct{ Label, Value string }{p.T(r.key), r.value})
	}
	return a
}

// pickLang is the text in the reader's language only: an English reader is
// told a text is not given rather than shown the Vietnamese one.
func pickLang(lang, vi, en string) string {
	if lang == "en" {
		return en
	}
	return vi
}

// indicator shows one indicator in one unit: trajectory, gauge, values and targets.
func (h *Handler) indicator(c *fiber.Ctx) error {
	p := h.page(c, "")
	ind, unit, units, err := h.indicatorSubject(c)
	if err != nil {
		return err
	}
	// A district or ward is assessed against its parent's target where it
	// has none of its own, as on the leaders' pages.
	mine, err := h.indicatorRows(*unit, *ind, 0)
	if err != nil {
		return err
	}
	d := indicatorData{Indicator: *ind, Name: name(p.Lang, ind.NameVI, ind.NameEN),
		Pillar: name(p.Lang, ind.Pillar.NameVI, ind.Pillar.NameEN), Direction: p.T(directionKey(ind.Direction)),
		Unit: *unit, UnitName: name(p.Lang, unit.NameVI, unit.NameEN)}
	if units, err = h.withRolledUp(*ind, units, *unit); err != nil {
		return err
	}
	ancestors, err := h.store.Ancestors(*unit)
	if err != nil {
		return err
	}
	for _, a := range ancestors {
		d.Crumbs = append(d.Crumbs, crumb{name(p.Lang, a.NameVI, a.NameEN), p.URL("/", "unit", a.Code)})
	}
	d.Units = unitOptions(p.Lang, units, unit.ID, func(models.Unit) string { return "" })
	explorer, parts, labels, err := h.explore(c, p, *ind, *unit, "/indicators/"+ind.Code)
	if err != nil {
		return err
	}
	if explorer != nil {
		explorer.keep("unit", unit.Code, "lang", pageLang(p))
		d.Explorer = explorer
	}
	d.Values = valueRows(p, *ind, observationsOf(mine), parts, explorer != nil)
	for _, v := range d.Values {
		d.HasDemo = d.HasDemo || v.Demo
	}
	assessed, err := h.store.BreakdownAssessments(*unit, mine)
	if err != nil {
		return err
	}
	mismatches, err := h.store.BreakdownSumMismatches(*ind, unit.ID)
	if err != nil {
		return err
	}
	d.SumWarnings = sumWarnings(p, labels, *ind, mismatches)
	for i, r := range mine {
		if r.Target == nil {
			continue
		}
		a := h.assessmentView(p, r)
		a.Parts = partStatuses(p, labels, assessed[i])
		d.Assessments = append(d.Assessments, a)
		if d.Gauge == nil {
			if pct, ok := coveredPercent(r.Assessment, r.Target); ok {
				g := charts.Gauge("gauge", pct, statusColor(r.Assessment.Status), p.T("indicator.gauge"),
					p.T("indicator.gauge_alt", p.Num(pct, 0), r.Target.Year))
				g.Table = &charts.Table{Caption: p.T("chart.view_table"), Head: []string{p.T("col.target"), p.T("indicator.gauge")},
					Rows: [][]string{{formatTarget(h.cat, p.Lang, r.Target, r.Indicator), p.Num(pct, 0) + " %"}}}
				d.Gauge = &g
			}
		}
	}
	if len(d.Assessments) == 0 && len(mine) > 0 {
		a := h.assessmentView(p, mine[0])
		a.Parts = partStatuses(p, labels, assessed[0])
		d.Assessments = append(d.Assessments, a)
	}
	var targets []string
	for _, a := range d.Assessments {
		targets = append(targets, a.Target)
	}
	d.Trajectory = trajectory(p, "trajectory", *ind, mine, strings.Join(targets, "; "), parts...)
	revs, err := h.store.TargetHistory(ind.ID, unit.ID)
	if err != nil {
		return err
	}
	if revised(revs) {
		d.History = h.targetHistory(p.Lang, *ind, revs)
	}
	if p.Can(string(models.RolePlanner)) {
		d.EditURLs = map[string]string{"grid": p.URL("/edit/indicators/" + ind.Code + "/grid"),
			"value":   p.URL("/edit/indicators/"+ind.Code+"/value", "unit", unit.Code),
			"targets": p.URL("/edit/indicators/"+ind.Code+"/targets", "unit", unit.Code)}
	}
	d.Tab = c.Query("tab")
	if d.Tab != "" && d.Tab != "about" {
		return failure(fiber.StatusBadRequest, "error.bad_tab", d.Tab)
	}
	for _, t := range []struct{ key, tab string }{{"meta.tab_data", ""}, {"meta.tab_about", "about"}} {
		d.Tabs = append(d.Tabs, navLink{p.T(t.key), explorer.withChosen(p.URL("/indicators/"+ind.Code, "unit", unit.Code, "tab", t.tab)), d.Tab == t.tab})
	}
	d.About = about(p, *ind)
	p.Title = d.Name
	p.Data = d
	return h.render(c, fiber.StatusOK, layoutApp, "indicator", p)
}

func (h *Handler) assessmentView(p *Page, r models.Progress) assessmentView {
	a := r.Assessment
	num := func(v *float64) string {
		if v == nil {
			return p.T("common.none")
		}
		return formatValue(p.Lang, *v, r.Indicator)
	}
	yearVal := func(y *int, v *float64) string {
		if y == nil || v == nil {
			return p.T("common.none")
		}
		return fmt.Sprintf("%s (%d)", formatValue(p.Lang, *v, r.Indicator), *y)
	}
	v := assessmentView{
		Target: formatTarget(h.cat, p.Lang, r.Target, r.Indicator), Status: r.Class(),
		StatusLabel: p.T(r.Words()), Icon: statusIcon(r.Class()),
		Base: yearVal(a.BaseYear, a.BaseValue), Current: yearVal(a.CurrentYear, a.CurrentValue),
		Expected: num(a.ExpectedNow), Req: p.T("common.none"), Projected: p.T("common.none"),
		Progress: p.T("common.none"), Score: p.T("common.none"),
	}
	if a.ExpectedAtCurrent != nil && a.CurrentYear != nil {
		v.ExpectedAtLatest = num(a.ExpectedAtCurrent)
		v.ExpectedAtLatestLabel = p.T("indicator.expected_at_latest", *a.CurrentYear)
	}
	v.StraightPath = a.StraightPath
	if x := a.RequiredAnnualChange; x != nil {
		v.Req = formatChange(h.cat, p.Lang, *x, r.Indicator)
	}
	if v.Target == "" {
		v.Target = p.T("indicator.no_targets")
	} else if from := targetFrom(p, r); from != "" {
		v.Target += " (" + from + ")"
	}
	if a.ProjectedYear != nil {
		v.Projected = fmt.Sprint(*a.ProjectedYear)
	} else if r.Target != nil && a.ProgressValue != nil && a.Status != models.StatusTargetAchieved {
		v.Projected = p.T("indicator.never")
	}
	if a.ProgressValue != nil {
		v.Progress = p.Num(*a.ProgressValue, 3)
	}
	if a.Score != nil {
		v.Score = p.Num(*a.Score, 2)
	}
	if r.Target != nil {
		v.Source = r.Target.Source
	}
	return v
}

func chartGoal(p *Page, r models.Progress) charts.Goal {
	g := charts.Goal{Year: r.Target.Year, Value: r.Target.Value, ValueMax: r.Target.ValueMax,
		Label: fmt.Sprintf("%d: %s", r.Target.Year, formatValue(p.Lang, r.Target.Value, r.Indicator))}
	if r.Target.Yearly {
		g.Label = formatValue(p.Lang, r.Target.Value, r.Indicator)
	}
	if !r.Target.Yearly {
		g.BaseYear, g.BaseValue = r.Assessment.BaseYear, r.Assessment.BaseValue
	}
	return g
}

// coveredPercent is how much of the way from baseline to target the
// current value has come.
func coveredPercent(a models.Assessment, t *models.Target) (float64, bool) {
	if t == nil || t.Yearly || a.BaseValue == nil || a.CurrentValue == nil || t.Value == *a.BaseValue {
		return 0, false
	}
	return 100 * (*a.CurrentValue - *a.BaseValue) / (t.Value - *a.BaseValue), true
}

// indicatorSubject reads what the indicator page and its embed show: the
// indicator of the path and the unit of ?unit=, else the first unit with a
// target or value of it, else the default unit; units are those with a
// target or value of it.
func (h *Handler) indicatorSubject(c *fiber.Ctx) (ind *models.Indicator, unit *models.Unit, units []models.Unit, err error) {
	if ind, err = h.indicatorParam(c); err != nil {
		return nil, nil, nil, err
	}
	if units, err = h.store.IndicatorUnits(ind.ID); err != nil {
		return nil, nil, nil, err
	}
	if c.Query("unit") == "" && len(units) > 0 {
		unit = &units[0]
	} else if unit, err = h.unitParam(c); err != nil {
		return nil, nil, nil, err
	}
	dependsOn(c, []uint{unit.ID}, ind.ID)
	return ind, unit, units, nil
}

// indicatorRows are the unit's rows of the indicator at the milestone (0:
// one per target), as every page computes them.
func (h *Handler) indicatorRows(unit models.Unit, ind models.Indicator, milestone int) ([]models.Progress, error) {
	rows, err := h.store.CachedEffectiveProgress(unit, milestone)
	if err != nil {
		return nil, err
	}
	var mine []models.Progress
	for _, r := range rows {
		if r.Indicator.ID == ind.ID {
			mine = append(mine, r)
		}
	}
	if len(mine) == 0 {
		return nil, nil
	}
	// The stored rows carry the values summaries read; the table and the
	// chart show every value of the series, with notes and sources.
	obs, err := h.store.Series(unit, ind)
	if err != nil {
		return nil, err
	}
	for i := range mine {
		mine[i].Observations = obs
	}
	return mine, nil
}

// observationsOf is the values of the rows of one indicator and unit
// (every row holds them all).
func observationsOf(rows []models.Progress) []models.Observation {
	if len(rows) == 0 {
		return nil
	}
	return rows[0].Observations
}

// trajectory is the chart of an indicator's yearly values in one unit,
// with its targets as goals and a line per breakdown of parts; target says
// the targets in words for the alt text.
func trajectory(p *Page, id string, ind models.Indicator, rows []models.Progress, target string, parts ...breakdownPart) charts.Chart {
	var goals []charts.Goal
	for _, r := range rows {
		if r.Target != nil {
			goals = append(goals, chartGoal(p, r))
		}
	}
	obs := observationsOf(rows)
	if target == "" {
		target = p.T("common.none")
	}
	target = strings.TrimSuffix(target, ".") // "No target yet." inside a sentence that ends with one
	name := name(p.Lang, ind.NameVI, ind.NameEN)
	alt := p.T("indicator.trajectory_alt_nodata", name, target)
	if len(obs) > 0 {
		last := obs[len(obs)-1]
		alt = p.T("indicator.trajectory_alt", name, obs[0].Period, last.Period, formatValue(p.Lang, last.Value, ind), target)
	}
	series := models.AnnualSeries(obs)
	chart := charts.Trajectory(id, series, goals,
		charts.TrajectoryLabels{Actual: p.T("chart.actual"), Path: p.T("chart.path"), Target: p.T("chart.target"), Measure: ind.MeasureName(p.Lang)},
		alt+partsAlt(p, parts), partSeries(parts)...)
	chart.Table = seriesTable(p, series, ind, parts...)
	return chart
}

// withRolledUp adds to the units with a value or target of the indicator
// those whose values are rolled up from them (their ancestors, when the
// indicator has a roll-up rule) and the unit shown, so every unit with data
// is in the unit list.
func (h *Handler) withRolledUp(ind models.Indicator, units []models.Unit, shown models.Unit) ([]models.Unit, error) {
	all, err := h.store.Units()
	if err != nil {
		return nil, err
	}
	byID := map[uint]models.Unit{}
	for _, u := range all {
		byID[u.ID] = u
	}
	keep := map[uint]bool{shown.ID: true}
	for _, u := range units {
		keep[u.ID] = true
		for p := u.ParentID; ind.Rollup != "" && p != nil && !keep[*p]; p = byID[*p].ParentID {
			keep[*p] = true
		}
	}
	var out []models.Unit
	for _, u := range all {
		if keep[u.ID] {
			out = append(out, u)
		}
	}
	return out, nil
}

// revised reports whether any target was revised or withdrawn, which is
// when its history tells more than the current targets do.
func revised(revs []models.Target) bool {
	for _, t := range revs {
		if t.Revision > 1 || t.SupersededAt != nil {
			return true
		}
	}
	return false
}
