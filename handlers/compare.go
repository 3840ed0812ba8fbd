package handlers

import (
	"math"
	"sort"

	"github.com/gofiber/fiber/v2"

	"tiendo/charts"
	"tiendo/locale"
	"tiendo/models"
)

type indicatorOption struct {
	Code, Name string
	Selected   bool
}

type heatCell struct {
	Status             models.Status
	Label, Icon, Value string
	URL                string
}

type heatRow struct {
	Name, URL string
	Cells     []heatCell
}

type heatColumn struct{ Code, Name, URL string }

type compareData struct {
	*place
	Indicators []indicatorOption
	Indicator  *models.Indicator
	IndName    string
	Target     string
	Bars       *charts.Chart
	NoData     []string // children without a value of the indicator
	Columns    []heatColumn
	Heat       []heatRow
	Legend     []statusCount
	HasDemo    bool
	// Breakdowns are the chosen indicator's, to rank on one of them; the
	// first is the total. Breakdown is the one ranked, in words.
	Breakdowns []indicatorOption
	Breakdown  string
}

// compare ranks a unit's children on one indicator and shows every
// indicator of every child as a heatmap of statuses.
func (h *Handler) compare(c *fiber.Ctx) error {
	p := h.page(c, "")
	pl, v, err := h.place(c, p, "/compare")
	if err != nil {
		return err
	}
	d := &compareData{place: pl}
	parentRows, err := h.store.CachedEffectiveProgress(pl.Unit, pl.Milestone)
	if err != nil {
		return err
	}
	// The indicators compared are those with a target at the milestone.
	targeted := inPillar(withTarget(parentRows), v.Pillar)
	for _, r := range targeted {
		d.Indicators = append(d.Indicators, indicatorOption{Code: r.Indicator.Code, Name: name(p.Lang, r.Indicator.NameVI, r.Indicator.NameEN)})
	}
	children, err := h.compareChildren(pl)
	if err != nil {
		return err
	}
	chosen := chooseIndicator(targeted, children, v.Indicator)
	for i := range targeted {
		d.Indicators[i].Selected = chosen == &targeted[i]
	}
	if v.Indicator != "" && chosen == nil {
		if _, err := h.indicatorByCode(v.Indicator); err != nil {
			return err
		}
	}
	var part string // the breakdown ranked, "" the total
	if chosen != nil {
		v.Indicator = chosen.Indicator.Code
		d.Indicator = &chosen.Indicator
		d.IndName = name(p.Lang, chosen.Indicator.NameVI, chosen.Indicator.NameEN)
		d.Target = formatTarget(h.cat, p.Lang, chosen.Target, chosen.Indicator)
		if d.Breakdowns, d.Breakdown, part, err = h.breakdownOptions(p, chosen.Indicator, c.Query("breakdown")); err != nil {
			return err
		}
	}
	for _, r := range targeted {
		d.Columns = append(d.Columns, heatColumn{Code: r.Indicator.Code, Name: name(p.Lang, r.Indicator.NameVI, r.Indicator.NameEN),
			URL: v.url("/compare", "indicator", r.Indicator.Code)})
	}
	for _, s := range models.Classes {
		d.Legend = append(d.Legend, statusCount{Status: s, Label: p.T("status." + string(s)), Icon: statusIcon(s)})
	}
	var bars []charts.Bar
	var table [][]string
	var links []string
	for _, ch := range children {
		// Drill down: into the child's own children when it has some, else
		// a bar opens the child's page for the indicator and a heatmap cell
		// the child's overview, at the same milestone.
		drill := func(code string) string {
			if !ch.leaf {
				return v.url("/compare", "unit", ch.unit.Code, "indicator", code)
			}
			return v.url("/indicators/"+code, "year", "", "pillar", "", "indicator", "", "unit", ch.unit.Code)
		}
		// A bar of a breakdown opens the same breakdown below.
		drillPart := func(code string) string {
			if !ch.leaf {
				return addQuery(drill(code), "breakdown", part)
			}
			return explorerURL(drill(code), part)
		}
		childName := name(p.Lang, ch.unit.NameVI, ch.unit.NameEN)
		overview := v.url("/", "unit", ch.unit.Code, "indicator", "")
		row := heatRow{Name: childName, URL: overview}
		for _, col := range d.Columns {
			r, ok := ch.byCode[col.Code]
			cell := heatCell{Status: models.StatusNotAvailable, URL: drill(col.Code), Value: p.T("common.none")}
			cell.Label = p.T("status." + string(cell.Status))
			if ch.leaf {
				cell.URL = overview
			}
			if ok {
				cell.Status, cell.Label = r.Class(), p.T(r.Words())
				if o := r.Latest(); o != nil {
					cell.Value = formatValue(p.Lang, o.Value, r.Indicator)
					d.HasDemo = d.HasDemo || o.Demo
				}
			}
			cell.Icon = statusIcon(cell.Status)
			row.Cells = append(row.Cells, cell)
		}
		d.Heat = append(d.Heat, row)
		if chosen == nil {
			continue
		}
		if part != "" {
			o, err := h.latestPart(chosen.Indicator, ch.unit, part)
			if err != nil {
				return err
			}
			if o == nil {
				d.NoData = append(d.NoData, childName)
				continue
			}
			d.HasDemo = d.HasDemo || o.Demo
			bars = append(bars, charts.Bar{Name: childName, Value: shownValue(o.Value, chosen.Indicator), Color: statusColor(models.StatusNotAvailable), Link: drillPart(chosen.Indicator.Code)})
			table = append(table, []string{childName, formatValue(p.Lang, o.Value, chosen.Indicator) + " (" + o.Period + ")"})
			links = append(links, drillPart(chosen.Indicator.Code))
			continue
		}
		r := ch.byCode[chosen.Indicator.Code]
		o := r.Latest()
		if o == nil {
			d.NoData = append(d.NoData, childName)
			continue
		}
		bars = append(bars, charts.Bar{Name: childName, Value: shownValue(o.Value, r.Indicator), Color: statusColor(r.Class()), Link: drill(chosen.Indicator.Code)})
		table = append(table, []string{childName, formatValue(p.Lang, o.Value, r.Indicator) + " (" + o.Period + ")",
			statusIcon(r.Class()) + " " + p.T(r.Words())})
		links = append(links, drill(chosen.Indicator.Code))
	}
	if chosen != nil && len(bars) > 0 {
		d.Bars = h.rankedChart(p, chosen, d.Breakdown, bars, table, links)
	}
	pl.Share = v.url("/compare")
	if part != "" {
		pl.Share = addQuery(pl.Share, "breakdown", part)
	}
	p.Title = p.T("leaders.compare_title", pl.Name)
	p.Data = d
	return h.render(c, fiber.StatusOK, layoutApp, "compare", p)
}

// compareChild is one unit below, assessed at the milestone.
type compareChild struct {
	unit   models.Unit
	byCode map[string]models.Progress // rows by indicator code
	leaf   bool                       // no units below it
}

func (h *Handler) compareChildren(pl *place) ([]compareChild, error) {
	var out []compareChild
	for _, ch := range pl.Children {
		rows, err := h.childProgress(ch, pl.Milestone)
		if err != nil {
			return nil, err
		}
		byCode := map[string]models.Progress{}
		for _, r := range rows {
			byCode[r.Indicator.Code] = r
		}
		grand, err := h.store.Children(ch.ID)
		if err != nil {
			return nil, err
		}
		out = append(out, compareChild{ch, byCode, len(grand) == 0})
	}
	return out, nil
}

// chooseIndicator picks the indicator asked for; without one, the first
// that some child has a value of, else the first.
func chooseIndicator(targeted []models.Progress, children []compareChild, code string) *models.Progress {
	for i, r := range targeted {
		if code != "" && r.Indicator.Code == code {
			return &targeted[i]
		}
		if code == "" {
			for _, ch := range children {
				if ch.byCode[r.Indicator.Code].Latest() != nil {
					return &targeted[i]
				}
			}
		}
	}
	if code == "" && len(targeted) > 0 {
		return &targeted[0]
	}
	return nil
}

// shownValue is a value as the page shows it, for a bar (a computed mean
// has many decimals).
func shownValue(v float64, ind models.Indicator) float64 {
	shown := math.Pow(10, float64(min(max(ind.Decimals, 0), locale.MaxDecimals)))
	return math.Round(v*shown) / shown
}

// rankedChart ranks the children best first (by the indicator's direction)
// with the target as a line, and the same numbers as a table. Ranked on a
// breakdown (part, in words), the bars have no status and no target line:
// targets and statuses are the total's.
func (h *Handler) rankedChart(p *Page, chosen *models.Progress, part string, bars []charts.Bar, table [][]string, links []string) *charts.Chart {
	order := make([]int, len(bars))
	for i := range order {
		order[i] = i
	}
	lower := chosen.Indicator.Direction != models.DirectionHigher
	sort.SliceStable(order, func(a, b int) bool {
		if lower {
			return bars[order[a]].Value < bars[order[b]].Value
		}
		return bars[order[a]].Value > bars[order[b]].Value
	})
	sortedBars := make([]charts.Bar, len(bars))
	sortedRows := make([][]string, len(bars))
	sortedLinks := make([]string, len(bars))
	for i, j := range order {
		sortedBars[i], sortedRows[i], sortedLinks[i] = bars[j], table[j], links[j]
	}
	ind := chosen.Indicator
	indName := name(p.Lang, ind.NameVI, ind.NameEN)
	var target *float64
	if t := chosen.Target; t != nil {
		target = &t.Value
	}
	high, low := sortedBars[0], sortedBars[len(sortedBars)-1]
	if lower {
		high, low = low, high
	}
	head := []string{p.T("col.unit"), p.T("col.latest"), p.T("col.status")}
	alt := p.T("leaders.ranked_alt", indName, len(sortedBars), high.Name, formatValue(p.Lang, high.Value, ind),
		low.Name, formatValue(p.Lang, low.Value, ind), formatTarget(h.cat, p.Lang, chosen.Target, ind))
	if part != "" {
		target, head = nil, head[:2]
		alt = p.T("compare_part.ranked_alt", indName, part, len(sortedBars), high.Name, formatValue(p.Lang, high.Value, ind),
			low.Name, formatValue(p.Lang, low.Value, ind))
	}
	c := charts.RankedBars("ranked", sortedBars, target, p.T("chart.target")+" "+formatValue(p.Lang, chosen.Target.Value, ind), ind.MeasureName(p.Lang), alt)
	c.Table = &charts.Table{Caption: p.T("chart.view_table"), Head: head, Rows: sortedRows, Links: sortedLinks}
	return &c
}
