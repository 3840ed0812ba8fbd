package handlers

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"tiendo/charts"
	"tiendo/models"
	"tiendo/seed"
)

type unitOption struct {
	Code, Name string
	Selected   bool
}

type milestoneTab struct {
	Year            int
	Passed, Current bool
	URL             string
}

type statusCount struct {
	Status      models.Status
	Label, Icon string
	N           int
}

type indicatorRow struct {
	Code, Name, Latest, LatestPeriod, Target string
	Status                                   models.Status
	StatusLabel                              string
	Demo                                     bool
	Spark                                    *charts.Chart
	URL                                      string
}

type pillarGroup struct {
	Name string
	Rows []indicatorRow
}

type overviewData struct {
	Unit        models.Unit
	UnitName    string
	Units       []unitOption
	Milestones  []milestoneTab
	Milestone   int
	Passed      bool
	Counts      []statusCount
	Pillars     []pillarGroup
	PillarChart charts.Chart
	HasDemo     bool
}

// overview is the dashboard of one unit at one milestone.
func (h *Handler) overview(c *fiber.Ctx) error {
	p := h.page(c, "")
	unit, err := h.unitParam(c)
	if err != nil {
		return err
	}
	milestones, err := h.store.Milestones(unit.ID)
	if err != nil {
		return err
	}
	milestone, err := milestoneParam(c, milestones, p)
	if err != nil {
		return err
	}
	rows, err := h.store.CachedUnitProgress(*unit, milestone)
	if err != nil {
		return err
	}
	units, err := h.store.Units()
	if err != nil {
		return err
	}
	d := overviewData{Unit: *unit, UnitName: name(p.Lang, unit.NameVI, unit.NameEN), Milestone: milestone,
		Passed: milestone != 0 && milestone < p.Now.Year()}
	for _, u := range units {
		d.Units = append(d.Units, unitOption{Code: u.Code, Name: name(p.Lang, u.NameVI, u.NameEN), Selected: u.ID == unit.ID})
	}
	for _, y := range milestones {
		d.Milestones = append(d.Milestones, milestoneTab{Year: y, Passed: y < p.Now.Year(), Current: y == milestone,
			URL: p.URL("/", "unit", unit.Code, "year", strconv.Itoa(y))})
	}
	counts := models.StatusCounts(rows)
	for _, s := range models.Statuses {
		if counts[s] > 0 {
			d.Counts = append(d.Counts, statusCount{Status: s, Label: p.T("status." + string(s)), Icon: statusIcon(s), N: counts[s]})
		}
	}
	d.Pillars, d.HasDemo = h.pillarGroups(p, rows)
	d.PillarChart = h.pillarChart(p, d.Pillars)
	p.Title = d.UnitName
	p.Data = d
	return h.render(c, fiber.StatusOK, "overview", p)
}

func (h *Handler) pillarGroups(p *Page, rows []models.Progress) ([]pillarGroup, bool) {
	var groups []pillarGroup
	hasDemo := false
	for i, r := range rows {
		pillar := name(p.Lang, r.Indicator.Pillar.NameVI, r.Indicator.Pillar.NameEN)
		if len(groups) == 0 || groups[len(groups)-1].Name != pillar {
			groups = append(groups, pillarGroup{Name: pillar})
		}
		row := indicatorRow{
			Code: r.Indicator.Code, Name: name(p.Lang, r.Indicator.NameVI, r.Indicator.NameEN),
			Target: formatTarget(h.cat, p.Lang, r.Target, r.Indicator),
			Status: r.Assessment.Status, StatusLabel: p.T("status." + string(r.Assessment.Status)),
			URL: p.URL("/indicators/"+r.Indicator.Code, "unit", r.Unit.Code),
		}
		if row.Target == "" {
			row.Target = p.T("overview.no_target_at_milestone")
		}
		if o := r.Latest(); o != nil {
			row.Latest, row.LatestPeriod, row.Demo = formatValue(p.Lang, o.Value, r.Indicator), o.Period, o.Demo
			hasDemo = hasDemo || o.Demo
		}
		if series := models.AnnualSeries(r.Observations); len(series) > 1 {
			spark := charts.Sparkline(fmt.Sprintf("spark-%d", i), series, p.T("chart.series_of", row.Name))
			row.Spark = &spark
		}
		g := &groups[len(groups)-1]
		g.Rows = append(g.Rows, row)
	}
	return groups, hasDemo
}

func (h *Handler) pillarChart(p *Page, groups []pillarGroup) charts.Chart {
	names := make([]string, len(groups))
	var series []charts.StatusSeries
	var summary []string
	for _, s := range models.Statuses {
		counts := make([]int, len(groups))
		total := 0
		for i, g := range groups {
			names[i] = g.Name
			for _, r := range g.Rows {
				if r.Status == s {
					counts[i]++
					total++
				}
			}
		}
		if total > 0 {
			label := p.T("status." + string(s))
			series = append(series, charts.StatusSeries{Status: s, Label: label, Counts: counts})
			summary = append(summary, fmt.Sprintf("%s %d", label, total))
		}
	}
	return charts.StatusBars("pillar-status", names, series, p.T("overview.pillar_chart_alt", strings.Join(summary, ", ")))
}

// unitParam reads ?unit=, defaulting to the first unit (the city).
func (h *Handler) unitParam(c *fiber.Ctx) (*models.Unit, error) {
	code := c.Query("unit", seed.UnitHCMC)
	u, err := h.store.UnitByCode(code)
	if err != nil {
		return nil, failure(fiber.StatusNotFound, "error.unknown_unit", code)
	}
	return u, nil
}

// milestoneParam reads ?year=, defaulting to the next milestone.
func milestoneParam(c *fiber.Ctx, milestones []int, p *Page) (int, error) {
	q := c.Query("year")
	if q == "" {
		return models.DefaultMilestone(milestones, p.Now), nil
	}
	y, err := strconv.Atoi(q)
	if err != nil || y < 1900 || y > 2200 {
		return 0, failure(fiber.StatusBadRequest, "error.bad_year", q)
	}
	return y, nil
}
