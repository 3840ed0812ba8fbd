package handlers

import (
	"net/url"
	"sort"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"tiendo/models"
)

// view is everything a leaders' URL reproduces: unit, milestone, pillar,
// indicator (compare) and language. Its links always carry the language, so
// a link sent to a colleague opens exactly as it was seen.
type view struct {
	Unit, Pillar, Indicator, Lang string
	Year                          int
}

// url is the view at path; kv overrides fields ("unit", "year", "pillar", "indicator").
func (v view) url(path string, kv ...string) string {
	vals := map[string]string{"unit": v.Unit, "pillar": v.Pillar, "indicator": v.Indicator}
	if v.Year != 0 {
		vals["year"] = strconv.Itoa(v.Year)
	}
	for i := 0; i+1 < len(kv); i += 2 {
		vals[kv[i]] = kv[i+1]
	}
	q := url.Values{}
	for k, val := range vals {
		if val != "" {
			q.Set(k, val)
		}
	}
	q.Set("lang", v.Lang)
	return path + "?" + q.Encode()
}

type crumb struct{ Name, URL string }

type navLink struct {
	Label, URL string
	Current    bool
}

// place is where a unit sits: its path from the top, its children, the
// units it took over and those that took it over, and the leaders' nav.
type place struct {
	Unit         models.Unit
	Name         string
	Crumbs       []crumb
	Children     []models.Unit
	Predecessors []crumb
	Successors   []crumb
	Ended        string // date the unit ended, formatted, or ""
	Basis        string
	Nav          []navLink
	Share        string // the URL of this very view
	Tabs         []milestoneTab
	PillarTabs   []navLink
	Milestone    int
	Passed       bool
	Targets      []models.Target // effective: own and inherited
}

// place loads the unit of ?unit= and everything around it, and reads the
// milestone and pillar; page is "/", "/compare" or "/briefing".
func (h *Handler) place(c *fiber.Ctx, p *Page, page string) (*place, view, error) {
	unit, err := h.unitParam(c)
	if err != nil {
		return nil, view{}, err
	}
	dependsOn(c, []uint{unit.ID})
	pl := &place{Unit: *unit, Name: name(p.Lang, unit.NameVI, unit.NameEN)}
	if pl.Targets, err = h.store.EffectiveTargets(*unit); err != nil {
		return nil, view{}, err
	}
	milestones := models.TargetMilestones(pl.Targets)
	if pl.Milestone, err = milestoneParam(c, milestones, p.Now); err != nil {
		return nil, view{}, err
	}
	pl.Passed = pl.Milestone != 0 && pl.Milestone < p.Now.Year()
	pillars, err := h.store.Pillars()
	if err != nil {
		return nil, view{}, err
	}
	pillar, err := pillarParam(c, pillars)
	if err != nil {
		return nil, view{}, err
	}
	v := view{Unit: unit.Code, Year: pl.Milestone, Pillar: pillar, Indicator: c.Query("indicator"), Lang: p.Lang}
	ancestors, err := h.store.Ancestors(*unit)
	if err != nil {
		return nil, view{}, err
	}
	for _, a := range ancestors {
		pl.Crumbs = append(pl.Crumbs, crumb{name(p.Lang, a.NameVI, a.NameEN), v.url(page, "unit", a.Code, "indicator", "")})
	}
	if pl.Children, err = h.store.Children(unit.ID); err != nil {
		return nil, view{}, err
	}
	preds, err := h.store.Predecessors(unit.ID)
	if err != nil {
		return nil, view{}, err
	}
	for _, u := range preds {
		pl.Predecessors = append(pl.Predecessors, crumb{name(p.Lang, u.NameVI, u.NameEN), v.url("/", "unit", u.Code, "year", "")})
	}
	succs, err := h.store.Successors(unit.ID)
	if err != nil {
		return nil, view{}, err
	}
	for _, u := range succs {
		pl.Successors = append(pl.Successors, crumb{name(p.Lang, u.NameVI, u.NameEN), v.url("/", "unit", u.Code, "year", "")})
	}
	if unit.EndedOn != nil {
		pl.Ended, pl.Basis = p.Date(*unit.EndedOn), name(p.Lang, unit.EndedBasis, unit.EndedBasisEN)
	}
	for _, n := range leadersViews {
		pl.Nav = append(pl.Nav, navLink{p.T(n.key), v.url(n.path), n.path == page})
	}
	p.Leaders = pl.Nav
	pl.Share = v.url(page)
	for _, y := range milestones {
		pl.Tabs = append(pl.Tabs, milestoneTab{Year: y, Passed: y < p.Now.Year(), Current: y == pl.Milestone,
			URL: v.url(page, "year", strconv.Itoa(y))})
	}
	rows, err := h.store.CachedEffectiveProgress(*unit, pl.Milestone)
	if err != nil {
		return nil, view{}, err
	}
	used := pillarsUsed(rows)
	pl.PillarTabs = append(pl.PillarTabs, navLink{p.T("leaders.all_pillars"), v.url(page, "pillar", ""), v.Pillar == ""})
	for _, pi := range pillars {
		if used[pi.ID] {
			pl.PillarTabs = append(pl.PillarTabs, navLink{name(p.Lang, pi.NameVI, pi.NameEN), v.url(page, "pillar", pi.Code), v.Pillar == pi.Code})
		}
	}
	return pl, v, nil
}

// pillarsUsed returns the pillars with a target or a value in the unit, so
// the pillar tabs offer every pillar with something to show, and only those.
func pillarsUsed(rows []models.Progress) map[uint]bool {
	used := map[uint]bool{}
	for _, r := range rows {
		used[r.Indicator.PillarID] = true
	}
	return used
}

// inPillar keeps the rows of one pillar ("" keeps all).
func inPillar(rows []models.Progress, pillar string) []models.Progress {
	if pillar == "" {
		return rows
	}
	var out []models.Progress
	for _, r := range rows {
		if r.Indicator.Pillar.Code == pillar {
			out = append(out, r)
		}
	}
	return out
}

// withTarget keeps the rows assessed against a target.
func withTarget(rows []models.Progress) []models.Progress {
	var out []models.Progress
	for _, r := range rows {
		if r.Target != nil {
			out = append(out, r)
		}
	}
	return out
}

type attentionRow struct {
	Name, URL, Latest, Target, Required string
	Status                              models.Status
	StatusLabel                         string
}

// attention is the "needs attention" list: furthest behind the required pace first.
func (h *Handler) attention(p *Page, rows []models.Progress, v view) []attentionRow {
	var out []attentionRow
	for _, r := range models.NeedsAttention(rows, 8) {
		a := attentionRow{Name: name(p.Lang, r.Indicator.NameVI, r.Indicator.NameEN),
			URL:    v.url("/indicators/"+r.Indicator.Code, "year", "", "pillar", "", "indicator", ""),
			Target: formatTarget(h.cat, p.Lang, r.Target, r.Indicator), Status: r.Assessment.Status,
			StatusLabel: p.T(r.Words()), Latest: p.T("common.none"), Required: p.T("common.none")}
		if o := r.Latest(); o != nil {
			a.Latest = formatValue(p.Lang, o.Value, r.Indicator) + " (" + o.Period + ")"
		}
		if x := r.Assessment.RequiredAnnualChange; x != nil && r.Assessment.Status != models.StatusTargetMissed {
			a.Required = p.T("leaders.per_year", formatChange(h.cat, p.Lang, *x, r.Indicator))
		}
		out = append(out, a)
	}
	return out
}

type childRow struct {
	Name, URL, Ended string
	Counts           []statusCount
	Demo             bool
}

// childRows summarises each child's statuses at the milestone.
func (h *Handler) childRows(p *Page, pl *place, v view, page string) ([]childRow, error) {
	var out []childRow
	for _, ch := range pl.Children {
		rows, err := h.childProgress(ch, pl.Milestone)
		if err != nil {
			return nil, err
		}
		r := childRow{Name: name(p.Lang, ch.NameVI, ch.NameEN), URL: v.url(page, "unit", ch.Code), Demo: ch.Demo,
			Counts: h.counts(p, inPillar(rows, v.Pillar))}
		if ch.EndedOn != nil {
			r.Ended = p.Date(*ch.EndedOn)
		}
		out = append(out, r)
	}
	return out, nil
}

// childProgress assesses a unit against its effective targets, for counts.
func (h *Handler) childProgress(u models.Unit, milestone int) ([]models.Progress, error) {
	return h.store.CachedEffectiveAssessments(u, milestone)
}

func (h *Handler) counts(p *Page, rows []models.Progress) []statusCount {
	counts := models.StatusCounts(rows)
	var out []statusCount
	for _, s := range models.Classes {
		if counts[s] > 0 {
			out = append(out, statusCount{Status: s, Label: p.T("status." + string(s)), Icon: statusIcon(s), N: counts[s]})
		}
	}
	return out
}

// computedNote says that a value was rolled up, by which rule, from how many children.
func computedNote(p *Page, o *models.Observation) string {
	if o == nil || o.Rollup == nil {
		return ""
	}
	return p.T("leaders.computed", p.T("leaders.rule_"+string(o.Rollup.Rule)), o.Rollup.From, o.Rollup.Of)
}

// targetFrom names the unit a target was inherited from ("" for the unit's own).
func targetFrom(p *Page, r models.Progress) string {
	if r.Target == nil || r.Target.UnitID == r.Unit.ID {
		return ""
	}
	return p.T("leaders.target_of", name(p.Lang, r.Target.Unit.NameVI, r.Target.Unit.NameEN))
}

// unitOptions lists every unit in tree order, indented by depth, for the
// unit selector.
func unitOptions(lang string, units []models.Unit, selected uint, endedLabel func(models.Unit) string) []unitOption {
	children := map[uint][]models.Unit{}
	listed := map[uint]bool{}
	for _, u := range units {
		listed[u.ID] = true
	}
	var roots []models.Unit
	for _, u := range units {
		// A unit whose parent is not listed starts a tree of its own.
		if u.ParentID == nil || !listed[*u.ParentID] {
			roots = append(roots, u)
		} else {
			children[*u.ParentID] = append(children[*u.ParentID], u)
		}
	}
	var out []unitOption
	var walk func(us []models.Unit, depth int)
	walk = func(us []models.Unit, depth int) {
		sort.SliceStable(us, func(i, j int) bool { return us[i].ID < us[j].ID })
		for _, u := range us {
			indent := ""
			for i := 0; i < depth; i++ {
				indent += "\u00a0\u00a0\u00a0"
			}
			out = append(out, unitOption{Code: u.Code, Name: indent + name(lang, u.NameVI, u.NameEN) + endedLabel(u), Selected: u.ID == selected})
			if depth < 8 {
				walk(children[u.ID], depth+1)
			}
		}
	}
	walk(roots, 0)
	return out
}
