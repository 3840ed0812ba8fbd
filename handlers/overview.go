package handlers

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"tiendo/charts"
	"tiendo/models"
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
	Computed, TargetFrom                     string // roll-up and inheritance notes
}

type pillarGroup struct {
	Name string
	Rows []indicatorRow
}

// history is a predecessor's record, shown on its successor's overview.
type history struct {
	Name, URL, Ended string
	Pillars          []pillarGroup
}

type overviewData struct {
	*place
	Units       []unitOption
	Counts      []statusCount
	Pillars     []pillarGroup
	PillarChart charts.Chart
	HasDemo     bool
	Attention   []attentionRow
	ChildRows   []childRow
	History     []history
	Link        string // the absolute URL of the view, printed on the briefing
	// NotReported says how many units below have not reported the last
	// period due, linking to the completeness page.
	NotReported, NotReportedURL string
	rows                        []models.Progress
}

// overview is the dashboard of one unit at one milestone, optionally one pillar.
func (h *Handler) overview(c *fiber.Ctx) error {
	p := h.page(c, "")
	d, v, err := h.overviewData(c, p, "/")
	if err != nil {
		return err
	}
	units, err := h.store.Units()
	if err != nil {
		return err
	}
	d.Units = unitOptions(p.Lang, units, d.Unit.ID, func(u models.Unit) string {
		if u.EndedOn != nil {
			return " (" + p.T("leaders.ended_short", p.Date(*u.EndedOn)) + ")"
		}
		return ""
	})
	preds, err := h.store.Predecessors(d.Unit.ID)
	if err != nil {
		return err
	}
	for _, u := range preds {
		rows, err := h.store.CachedEffectiveProgress(u, 0)
		if err != nil {
			return err
		}
		hist := history{Name: name(p.Lang, u.NameVI, u.NameEN), URL: v.url("/", "unit", u.Code, "year", "")}
		if u.EndedOn != nil {
			hist.Ended = p.Date(*u.EndedOn)
		}
		var demo bool
		hist.Pillars, demo = h.pillarGroups(p, rows, "hist-"+u.Code)
		d.HasDemo = d.HasDemo || demo
		d.History = append(d.History, hist)
	}
	if d.NotReported, d.NotReportedURL, err = h.notReported(p, d.Unit); err != nil {
		return err
	}
	p.Title = d.Name
	p.Data = d
	return h.render(c, fiber.StatusOK, layoutApp, "overview", p)
}

// overviewData is what the overview and the briefing share: the unit's
// rows at the milestone, their counts, the needs-attention list and the children.
func (h *Handler) overviewData(c *fiber.Ctx, p *Page, page string) (*overviewData, view, error) {
	pl, v, err := h.place(c, p, page)
	if err != nil {
		return nil, v, err
	}
	all, err := h.store.CachedEffectiveProgress(pl.Unit, pl.Milestone)
	if err != nil {
		return nil, v, err
	}
	rows := inPillar(all, v.Pillar)
	d := &overviewData{place: pl, rows: rows, Link: h.absURL(pl.Share), Counts: h.counts(p, rows), Attention: h.attention(p, rows, v)}
	d.Pillars, d.HasDemo = h.pillarGroups(p, rows, "spark")
	d.PillarChart = h.pillarChart(p, rows)
	if d.ChildRows, err = h.childRows(p, pl, v, page); err != nil {
		return nil, v, err
	}
	return d, v, nil
}

func (h *Handler) pillarGroups(p *Page, rows []models.Progress, idPrefix string) ([]pillarGroup, bool) {
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
			Status: r.Class(), StatusLabel: p.T(r.Words()),
			URL:        p.URL("/indicators/"+r.Indicator.Code, "unit", r.Unit.Code),
			Computed:   computedNote(p, r.Latest()),
			TargetFrom: targetFrom(p, r),
		}
		if row.Target == "" {
			row.Target = p.T("overview.no_target_at_milestone")
		}
		if o := r.Latest(); o != nil {
			row.Latest, row.LatestPeriod, row.Demo = formatValue(p.Lang, o.Value, r.Indicator), o.Period, o.Demo
			hasDemo = hasDemo || o.Demo
		}
		if series := models.AnnualSeries(r.Observations); len(series) > 1 {
			first, last := series[0], series[len(series)-1]
			spark := charts.Sparkline(fmt.Sprintf("%s-%d", idPrefix, i), series, p.T("leaders.spark_alt", row.Name,
				formatValue(p.Lang, first.Value, r.Indicator), first.Year, formatValue(p.Lang, last.Value, r.Indicator), last.Year))
			row.Spark = &spark
		}
		g := &groups[len(groups)-1]
		g.Rows = append(g.Rows, row)
	}
	return groups, hasDemo
}

// pillarChart stacks, per pillar, the rows shown by class (status, or no
// target), so its bars add up to the rows.
func (h *Handler) pillarChart(p *Page, rows []models.Progress) charts.Chart {
	var names []string
	index := map[string]int{}
	for _, r := range rows {
		n := name(p.Lang, r.Indicator.Pillar.NameVI, r.Indicator.Pillar.NameEN)
		if _, ok := index[n]; !ok {
			index[n] = len(names)
			names = append(names, n)
		}
	}
	var series []charts.StatusSeries
	var summary []string
	table := &charts.Table{Caption: p.T("chart.view_table"), Head: []string{p.T("indicator.pillar")}}
	cells := make([][]string, len(names))
	for i, n := range names {
		cells[i] = []string{n}
	}
	for _, s := range models.Classes {
		counts := make([]int, len(names))
		total := 0
		for _, r := range rows {
			if r.Class() == s {
				counts[index[name(p.Lang, r.Indicator.Pillar.NameVI, r.Indicator.Pillar.NameEN)]]++
				total++
			}
		}
		if total > 0 {
			label := p.T("status." + string(s))
			series = append(series, charts.StatusSeries{Status: s, Label: label, Counts: counts})
			summary = append(summary, fmt.Sprintf("%s %d", label, total))
			table.Head = append(table.Head, statusIcon(s)+" "+label)
			for i := range names {
				cells[i] = append(cells[i], strconv.Itoa(counts[i]))
			}
		}
	}
	table.Rows = cells
	c := charts.StatusBars("pillar-status", names, series, p.T("overview.pillar_chart_alt", strings.Join(summary, ", ")))
	c.Table = table
	return c
}
