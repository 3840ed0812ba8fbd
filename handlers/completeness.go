package handlers

import (
	"fmt"
	"slices"

	"github.com/gofiber/fiber/v2"

	"tiendo/models"
)

// maxCompletenessPeriods bounds ?from=&to=: every period is a column.
const maxCompletenessPeriods = 36

// completenessQuery is what a completeness URL asks for, checked.
type completenessQuery struct {
	Unit       models.Unit
	Frequency  string
	Pillar     string
	Indicator  string
	Indicators []models.Indicator // those counted: of the frequency and filters
	All        []models.Indicator // every indicator still reported, for the filter
	Periods    []models.Period
}

// completenessQuery reads ?unit=&from=&to=&freq=&pillar=&indicator=; without
// from and to, the last four periods due.
func (h *Handler) completenessQuery(c *fiber.Ctx) (*completenessQuery, error) {
	unit, err := h.unitParam(c)
	if err != nil {
		return nil, err
	}
	pillars, err := h.store.Pillars()
	if err != nil {
		return nil, err
	}
	pillar, err := pillarParam(c, pillars)
	if err != nil {
		return nil, err
	}
	q := &completenessQuery{Unit: *unit, Pillar: pillar, Indicator: c.Query("indicator"), Frequency: c.Query("freq")}
	inds, err := h.store.Indicators()
	if err != nil {
		return nil, err
	}
	for _, ind := range inds {
		if !ind.Retired {
			q.All = append(q.All, ind)
		}
	}
	var from, to models.Period
	if s := c.Query("from"); s != "" {
		if from, err = models.ParsePeriod(s); err != nil {
			return nil, failure(fiber.StatusBadRequest, "completeness.bad_period", s)
		}
		q.Frequency = from.Frequency()
	}
	if s := c.Query("to"); s != "" {
		if to, err = models.ParsePeriod(s); err != nil {
			return nil, failure(fiber.StatusBadRequest, "completeness.bad_period", s)
		}
		if q.Frequency != "" && to.Frequency() != q.Frequency {
			return nil, failure(fiber.StatusBadRequest, "completeness.mixed_periods", from.String(), to.String())
		}
		q.Frequency = to.Frequency()
	}
	var chosen []models.Indicator
	for _, ind := range q.All {
		if (q.Pillar == "" || ind.Pillar.Code == q.Pillar) && (q.Indicator == "" || ind.Code == q.Indicator) {
			chosen = append(chosen, ind)
		}
	}
	if q.Indicator != "" && len(chosen) == 0 {
		return nil, failure(fiber.StatusNotFound, "error.unknown_indicator", q.Indicator)
	}
	switch q.Frequency {
	case "":
		q.Frequency = commonFrequency(chosen)
	case models.FrequencyYear, models.FrequencyQuarter, models.FrequencyMonth:
	default:
		return nil, failure(fiber.StatusBadRequest, "completeness.bad_frequency", q.Frequency)
	}
	dueDays := -1
	for _, ind := range chosen {
		if ind.Frequency == q.Frequency {
			q.Indicators = append(q.Indicators, ind)
			if dueDays < 0 || ind.DueDays < dueDays {
				dueDays = ind.DueDays
			}
		}
	}
	now := h.store.Now()
	switch {
	case c.Query("from") == "" && c.Query("to") == "":
		q.Periods = models.RecentPeriods(q.Frequency, max(dueDays, 0), 4, now)
	default:
		if c.Query("to") == "" {
			to = models.RecentPeriods(q.Frequency, max(dueDays, 0), 1, now)[0]
		}
		if c.Query("from") == "" {
			from = to.Step(-3)
		}
		for p := from; periodIndex(p) <= periodIndex(to); p = p.Step(1) {
			if len(q.Periods) == maxCompletenessPeriods {
				return nil, failure(fiber.StatusBadRequest, "completeness.too_many_periods", maxCompletenessPeriods)
			}
			q.Periods = append(q.Periods, p)
		}
		if len(q.Periods) == 0 {
			return nil, failure(fiber.StatusBadRequest, "completeness.empty_range", from.String(), to.String())
		}
	}
	return q, nil
}

func periodIndex(p models.Period) int { return p.Year*100 + p.EndMonth() }

// commonFrequency is the frequency most indicators have (a year on a tie),
// the view a page opens on.
func commonFrequency(inds []models.Indicator) string {
	n := map[string]int{}
	for _, ind := range inds {
		n[ind.Frequency]++
	}
	best := models.FrequencyYear
	for _, f := range []string{models.FrequencyQuarter, models.FrequencyMonth} {
		if n[f] > n[best] {
			best = f
		}
	}
	return best
}

type apiCompletenessCell struct {
	Period string `json:"period"`
	models.Completeness
}

type apiCompletenessRow struct {
	Unit  string                `json:"unit"`
	Own   bool                  `json:"own,omitempty"` // the unit's own values, not its subtree
	Cells []apiCompletenessCell `json:"periods"`
	models.Completeness
}

type apiCompleteness struct {
	Unit      string   `json:"unit"`
	Frequency string   `json:"frequency"`
	Periods   []string `json:"periods"`
	models.Completeness
	Rows []apiCompletenessRow `json:"rows"`
}

// completeness reads the query and counts what it asks for: the page and
// the API show the same grid.
func (h *Handler) completeness(c *fiber.Ctx) (*completenessQuery, *models.CompletenessGrid, error) {
	q, err := h.completenessQuery(c)
	if err != nil {
		return nil, nil, err
	}
	g, err := h.store.Completeness(q.Unit, q.Indicators, q.Periods)
	return q, g, err
}

// apiCompleteness is GET /api/v1/completeness: the counts of the unit's tree,
// in total and per child, under expected, reported and on_time.
func (h *Handler) apiCompleteness(c *fiber.Ctx) error {
	q, g, err := h.completeness(c)
	if err != nil {
		return err
	}
	out := apiCompleteness{Unit: q.Unit.Code, Frequency: q.Frequency, Completeness: g.Total, Rows: []apiCompletenessRow{}}
	for _, p := range g.Periods {
		out.Periods = append(out.Periods, p.String())
	}
	for _, r := range g.Rows {
		row := apiCompletenessRow{Unit: r.Unit.Code, Own: r.Own, Completeness: r.Total}
		for i, cell := range r.Cells {
			row.Cells = append(row.Cells, apiCompletenessCell{Period: out.Periods[i], Completeness: cell})
		}
		out.Rows = append(out.Rows, row)
	}
	return c.JSON(out)
}

type completenessCell struct {
	Class, Rate, Counts, Label string
}

type completenessRow struct {
	Name, URL string
	Own       bool
	Cells     []completenessCell
	Total     completenessCell
}

type completenessData struct {
	Unit           models.Unit
	Name           string
	Frequency      string
	Units          []unitOption
	Pillars        []unitOption
	Indicators     []unitOption
	Frequencies    []unitOption
	Periods        []string
	Rows           []completenessRow
	Total          completenessRow
	Crumbs         []crumb
	API            string
	IndicatorCount int
	Missing        []string
	LastPeriod     string
}

// completenessPage is /completeness: a heatmap of units × periods, each
// cell reported / late / missing with its rate and counts.
func (h *Handler) completenessPage(c *fiber.Ctx) error {
	p := h.page(c, "")
	q, g, err := h.completeness(c)
	if err != nil {
		return err
	}
	d := &completenessData{Unit: q.Unit, Name: name(p.Lang, q.Unit.NameVI, q.Unit.NameEN), Frequency: q.Frequency, IndicatorCount: len(q.Indicators)}
	link := func(unit string) string {
		return p.URL("/completeness", "unit", unit, "pillar", q.Pillar, "indicator", q.Indicator, "freq", q.Frequency)
	}
	units, err := h.store.Units()
	if err != nil {
		return err
	}
	d.Units = unitOptions(p.Lang, units, q.Unit.ID, func(models.Unit) string { return "" })
	ancestors, err := h.store.Ancestors(q.Unit)
	if err != nil {
		return err
	}
	for _, a := range ancestors {
		d.Crumbs = append(d.Crumbs, crumb{name(p.Lang, a.NameVI, a.NameEN), link(a.Code)})
	}
	seen := map[string]bool{}
	d.Pillars = []unitOption{{Code: "", Name: p.T("leaders.all_pillars"), Selected: q.Pillar == ""}}
	d.Indicators = []unitOption{{Code: "", Name: p.T("completeness.all_indicators"), Selected: q.Indicator == ""}}
	for _, ind := range q.All {
		if !seen[ind.Pillar.Code] {
			seen[ind.Pillar.Code] = true
			d.Pillars = append(d.Pillars, unitOption{ind.Pillar.Code, name(p.Lang, ind.Pillar.NameVI, ind.Pillar.NameEN), ind.Pillar.Code == q.Pillar})
		}
		if q.Pillar == "" || ind.Pillar.Code == q.Pillar {
			d.Indicators = append(d.Indicators, unitOption{ind.Code, name(p.Lang, ind.NameVI, ind.NameEN), ind.Code == q.Indicator})
		}
	}
	for _, f := range []string{models.FrequencyYear, models.FrequencyQuarter, models.FrequencyMonth} {
		d.Frequencies = append(d.Frequencies, unitOption{f, p.T("frequency." + f), f == q.Frequency})
	}
	for _, per := range g.Periods {
		d.Periods = append(d.Periods, per.String())
	}
	for _, r := range g.Rows {
		row := completenessRow{Name: name(p.Lang, r.Unit.NameVI, r.Unit.NameEN), URL: link(r.Unit.Code), Own: r.Own, Total: completenessCellOf(p, r.Total)}
		for _, cell := range r.Cells {
			row.Cells = append(row.Cells, completenessCellOf(p, cell))
		}
		d.Rows = append(d.Rows, row)
	}
	d.Total = completenessRow{Name: p.T("completeness.total"), Total: completenessCellOf(p, g.Total)}
	for _, cell := range g.Cells {
		d.Total.Cells = append(d.Total.Cells, completenessCellOf(p, cell))
	}
	if len(d.Periods) > 0 {
		d.LastPeriod = d.Periods[len(d.Periods)-1]
	}
	for _, u := range g.Missing {
		d.Missing = append(d.Missing, name(p.Lang, u.NameVI, u.NameEN))
	}
	d.API = fmt.Sprintf("/api/v1/completeness?unit=%s&from=%s&to=%s", q.Unit.Code, d.Periods[0], d.LastPeriod)
	p.Title = p.T("completeness.title", d.Name)
	p.Data = d
	return h.render(c, fiber.StatusOK, layoutApp, "completeness", p)
}

// completenessCellOf shows counts as a rate with the counts beside it, and a
// class for its colour (the text says the same for who cannot see colour).
func completenessCellOf(p *Page, c models.Completeness) completenessCell {
	if c.Expected == 0 {
		return completenessCell{Class: "none", Rate: "—", Label: p.T("completeness.nothing_expected")}
	}
	rate := *c.Rate()
	cell := completenessCell{Rate: p.Num(rate, 0) + " %",
		Counts: p.T("completeness.counts", c.Reported, c.Expected),
		Label:  p.T("completeness.cell_label", c.OnTime, c.Late(), c.Missing())}
	switch {
	case c.Missing() == 0 && c.Late() == 0:
		cell.Class = "reported"
	case c.Missing() == 0:
		cell.Class = "late"
	case rate >= 50:
		cell.Class = "partial"
	default:
		cell.Class = "missing"
	}
	return cell
}

// notReported is the overview's line "3 wards have not reported 2025-Q3",
// linking to the completeness page; empty when all is in.
func (h *Handler) notReported(p *Page, unit models.Unit) (text, url string, err error) {
	inds, err := h.store.Indicators()
	if err != nil {
		return "", "", err
	}
	var active []models.Indicator
	for _, ind := range inds {
		if !ind.Retired {
			active = append(active, ind)
		}
	}
	freq := commonFrequency(active)
	dueDays := -1
	var counted []models.Indicator
	for _, ind := range active {
		if ind.Frequency == freq {
			counted = append(counted, ind)
			if dueDays < 0 || ind.DueDays < dueDays {
				dueDays = ind.DueDays
			}
		}
	}
	last := models.RecentPeriods(freq, max(dueDays, 0), 1, p.Now)
	missing, err := h.store.Unreported(unit, counted, last[0])
	if err != nil || len(missing) == 0 {
		return "", "", err
	}
	levels := map[string]bool{}
	for _, u := range missing {
		levels[u.Level] = true
	}
	key := "completeness.not_reported"
	if len(levels) == 1 {
		for l := range levels {
			if slices.Contains(models.UnitLevels, l) {
				key += "_" + l
			}
		}
	}
	return p.T(key, len(missing), last[0].String()), p.URL("/completeness", "unit", unit.Code, "freq", freq), nil
}
