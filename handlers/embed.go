package handlers

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"tiendo/charts"
	"tiendo/models"
)

type embedData struct {
	Name, UnitName, Latest, Target, StatusLabel, Open string
	Status                                            models.Status
	Computed, TargetFrom                              string
	Chart                                             charts.Chart
	Demo                                              bool
}

// embed renders one indicator's chart and status alone, for an iframe on a
// city portal: no header, no navigation, and framing allowed.
func (h *Handler) embed(c *fiber.Ctx) error {
	p := h.page(c, "")
	ind, err := h.store.IndicatorByCode(c.Params("code"))
	if err != nil {
		return failure(fiber.StatusNotFound, "error.unknown_indicator", c.Params("code"))
	}
	unit, err := h.unitParam(c)
	if err != nil {
		return err
	}
	if c.Query("unit") == "" {
		if units, err := h.store.IndicatorUnits(ind.ID); err == nil && len(units) > 0 {
			unit = &units[0]
		}
	}
	dependsOn(c, []uint{unit.ID}, ind.ID)
	targets, err := h.store.EffectiveTargets(*unit)
	if err != nil {
		return err
	}
	// Without ?year=, the indicator's own next milestone (not the unit's):
	// an indicator whose only target is for 2025 is shown against it.
	var own []models.Target
	for _, t := range targets {
		if t.IndicatorID == ind.ID {
			own = append(own, t)
		}
	}
	milestone, err := milestoneParam(c, models.TargetMilestones(own), p)
	if err != nil {
		return err
	}
	rows, err := h.store.CachedEffectiveProgress(*unit, milestone)
	if err != nil {
		return err
	}
	v := view{Unit: unit.Code, Lang: p.Lang}
	d := embedData{Name: name(p.Lang, ind.NameVI, ind.NameEN), UnitName: name(p.Lang, unit.NameVI, unit.NameEN),
		Status: models.StatusNotAvailable, Latest: p.T("common.none"), Target: p.T("indicator.no_targets"),
		Open: v.url("/indicators/" + ind.Code)}
	var row *models.Progress
	for i := range rows {
		if rows[i].Indicator.ID == ind.ID {
			row = &rows[i]
			break
		}
	}
	var obs []models.Observation
	var goals []charts.Goal
	if row != nil {
		obs = row.Observations
		d.Status, d.StatusLabel = row.Class(), p.T(row.Words())
		if o := row.Latest(); o != nil {
			d.Latest, d.Demo = formatValue(p.Lang, o.Value, *ind)+" ("+o.Period+")", o.Demo
		}
		d.Computed, d.TargetFrom = computedNote(p, row.Latest()), targetFrom(p, *row)
		if row.Target != nil {
			d.Target = formatTarget(h.cat, p.Lang, row.Target, *ind)
			goals = append(goals, chartGoal(p, *row))
		}
	}
	if d.StatusLabel == "" {
		d.StatusLabel = p.T("status." + string(d.Status))
	}
	alt := p.T("indicator.trajectory_alt_nodata", d.Name, d.Target)
	if len(obs) > 0 {
		last := obs[len(obs)-1]
		alt = p.T("indicator.trajectory_alt", d.Name, obs[0].Period, last.Period, formatValue(p.Lang, last.Value, *ind), d.Target)
	}
	series := models.AnnualSeries(obs)
	d.Chart = charts.Trajectory("embed-chart", series, goals,
		charts.TrajectoryLabels{Actual: p.T("chart.actual"), Path: p.T("chart.path"), Target: p.T("chart.target"), Measure: ind.MeasureName(p.Lang)}, alt)
	d.Chart.Height = 260
	d.Chart.Table = seriesTable(p, series, *ind)
	p.Title = d.Name
	p.Data = d
	// Only this page may be framed, by any site: it shows public figures.
	c.Set("Content-Security-Policy", cspFramable)
	c.Response().Header.Del("X-Frame-Options")
	t, ok := h.pages["embed"]
	if !ok {
		return fmt.Errorf("handlers: no template embed")
	}
	var b strings.Builder
	if err := t.ExecuteTemplate(&b, "embed", p); err != nil {
		return fmt.Errorf("handlers: render embed: %w", err)
	}
	c.Type("html", "utf-8")
	return c.SendString(b.String())
}

// seriesTable is a yearly series as a "view as table".
func seriesTable(p *Page, series []models.YearValue, ind models.Indicator) *charts.Table {
	t := &charts.Table{Caption: p.T("chart.view_table"), Head: []string{p.T("col.year"), p.T("col.value")}}
	for _, yv := range series {
		t.Rows = append(t.Rows, []string{strconv.Itoa(yv.Year), formatValue(p.Lang, yv.Value, ind)})
	}
	return t
}
