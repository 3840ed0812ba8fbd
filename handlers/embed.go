package handlers

import (
	"slices"
	"strconv"

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
	Explorer                                          *breakdownExplorer
}

// embed renders one indicator's chart and status alone, for an iframe on a
// city portal: no header, no navigation, and framing allowed.
func (h *Handler) embed(c *fiber.Ctx) error {
	p := h.page(c, "")
	ind, unit, _, err := h.indicatorSubject(c)
	if err != nil {
		return err
	}
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
	milestone, err := milestoneParam(c, models.TargetMilestones(own), p.Now)
	if err != nil {
		return err
	}
	rows, err := h.indicatorRows(*unit, *ind, milestone)
	if err != nil {
		return err
	}
	v := view{Unit: unit.Code, Lang: p.Lang}
	d := embedData{Name: name(p.Lang, ind.NameVI, ind.NameEN), UnitName: name(p.Lang, unit.NameVI, unit.NameEN),
		Status: models.StatusNotAvailable, Latest: p.T("common.none"), Target: p.T("indicator.no_targets"),
		Open: v.url("/indicators/" + ind.Code)}
	d.StatusLabel = p.T("status." + string(d.Status))
	if len(rows) > 0 {
		row := rows[0]
		rows = rows[:1]
		d.Status, d.StatusLabel = row.Class(), p.T(row.Words())
		if o := row.Latest(); o != nil {
			d.Latest, d.Demo = formatValue(p.Lang, o.Value, *ind)+" ("+o.Period+")", o.Demo
		}
		d.Computed, d.TargetFrom = computedNote(p, row.Latest()), targetFrom(p, row)
		if row.Target != nil {
			d.Target = formatTarget(h.cat, p.Lang, row.Target, *ind)
		}
	}
	explorer, parts, _, err := h.explore(c, p, *ind, *unit, "/embed/indicators/"+ind.Code)
	if err != nil {
		return err
	}
	if explorer != nil {
		explorer.keep("unit", unit.Code, "year", c.Query("year"), "lang", pageLang(p))
		d.Explorer = explorer
		d.Open = explorer.withChosen(d.Open)
	}
	d.Chart = trajectory(p, "embed-chart", *ind, rows, d.Target, parts...)
	d.Chart.Height -= 60 // 260 without breakdowns: an iframe is short
	p.Title = d.Name
	p.Data = d
	// Only this page may be framed, by any site: it shows public figures.
	c.Set("Content-Security-Policy", cspFramable)
	c.Response().Header.Del("X-Frame-Options")
	return h.render(c, fiber.StatusOK, layoutEmbed, "embed", p)
}

// seriesTable is a yearly series as a "view as table", with a column per
// breakdown drawn beside it.
func seriesTable(p *Page, series []models.YearValue, ind models.Indicator, parts ...breakdownPart) *charts.Table {
	t := &charts.Table{Caption: p.T("chart.view_table"), Head: []string{p.T("col.year"), p.T("col.value")}}
	if len(parts) == 0 {
		for _, yv := range series {
			t.Rows = append(t.Rows, []string{strconv.Itoa(yv.Year), formatValue(p.Lang, yv.Value, ind)})
		}
		return t
	}
	t.Head[1] = p.T("explorer.total")
	columns := [][]models.YearValue{series}
	for _, s := range partSeries(parts) {
		t.Head = append(t.Head, s.Name)
		columns = append(columns, s.Values)
	}
	byYear := map[int][]string{}
	var years []int
	for i, col := range columns {
		for _, yv := range col {
			row, ok := byYear[yv.Year]
			if !ok {
				row = make([]string, len(columns))
				for j := range row {
					row[j] = p.T("common.none")
				}
				years = append(years, yv.Year)
			}
			row[i] = formatValue(p.Lang, yv.Value, ind)
			byYear[yv.Year] = row
		}
	}
	slices.Sort(years)
	for _, y := range years {
		t.Rows = append(t.Rows, append([]string{strconv.Itoa(y)}, byYear[y]...))
	}
	return t
}
