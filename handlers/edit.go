package handlers

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"tiendo/locale"
	"tiendo/models"
)

type editRow struct {
	Code, Name, Pillar, Frequency string
	Retired                       bool
}

type editHomeData struct {
	Rows     []editRow
	Unscoped bool
	Scope    string
}

// editHome lists the indicators with the ways to edit each.
func (h *Handler) editHome(c *fiber.Ctx) error {
	p := h.page(c, "")
	p.Title = p.T("edit.title")
	inds, err := h.store.AllIndicators()
	if err != nil {
		return err
	}
	u := currentUser(c)
	d := editHomeData{Unscoped: u.UnitID == nil}
	if u.Unit != nil {
		d.Scope = name(p.Lang, u.Unit.NameVI, u.Unit.NameEN)
	}
	for _, ind := range inds {
		d.Rows = append(d.Rows, editRow{Code: ind.Code, Name: name(p.Lang, ind.NameVI, ind.NameEN),
			Pillar: name(p.Lang, ind.Pillar.NameVI, ind.Pillar.NameEN), Frequency: p.T("frequency." + ind.Frequency), Retired: ind.Retired})
	}
	p.Data = d
	return h.render(c, fiber.StatusOK, layoutApp, "edit", p)
}

var indicatorFields = append([]string{"code", "name_vi", "name_en", "pillar", "measure", "direction", "limit", "decimals", "frequency", "retired", "due_days",
	"rollup", "rollup_weight", "rollup_threshold"},
	models.TextColumns...)

type indicatorFormData struct {
	Code       string // "" for a new indicator
	Pillars    []models.Pillar
	Indicators []models.Indicator // the choices of a roll-up weight
	Form       *form
	Levels     []unitOption // the unit levels that report it, ticked or not
}

func (h *Handler) renderIndicatorForm(c *fiber.Ctx, status int, code string, f *form) error {
	p := h.page(c, "")
	p.Title = p.T("edit.new_indicator")
	if code != "" {
		p.Title = p.T("edit.edit_indicator", code)
	}
	pillars, err := h.store.Pillars()
	if err != nil {
		return err
	}
	inds, err := h.store.Indicators()
	if err != nil {
		return err
	}
	f.translate(h.cat)
	d := indicatorFormData{Code: code, Pillars: pillars, Indicators: inds, Form: f}
	ticked := models.Indicator{Levels: f.V("levels")}
	for _, l := range models.UnitLevels {
		d.Levels = append(d.Levels, unitOption{l, p.T("level." + l), ticked.ReportedAt(l)})
	}
	p.Data = d
	return h.render(c, status, layoutApp, "indicator_form", p)
}

// newIndicator shows an empty indicator form.
func (h *Handler) newIndicator(c *fiber.Ctx) error {
	f := newForm(h.lang(c))
	f.Vals["direction"], f.Vals["frequency"], f.Vals["decimals"] = "higher", "year", "1"
	f.Vals["due_days"], f.Vals["levels"] = strconv.Itoa(models.DefaultDueDays), models.DefaultLevels
	return h.renderIndicatorForm(c, fiber.StatusOK, "", f)
}

// editIndicator shows the form of an existing indicator.
func (h *Handler) editIndicator(c *fiber.Ctx) error {
	ind, err := h.indicatorParam(c)
	if err != nil {
		return err
	}
	f := newForm(h.lang(c))
	f.Vals = map[string]string{"code": ind.Code, "name_vi": ind.NameVI, "name_en": ind.NameEN, "pillar": ind.Pillar.Code,
		"measure": ind.Measure, "direction": string(ind.Direction), "decimals": strconv.Itoa(ind.Decimals), "frequency": ind.Frequency,
		"due_days": strconv.Itoa(ind.DueDays), "levels": ind.Levels, "rollup": string(ind.Rollup), "rollup_weight": ind.RollupWeight}
	for _, t := range ind.Fields() {
		f.Vals[t.Name] = *t.Value
	}
	if ind.Limit != nil {
		f.Vals["limit"] = locale.NumberAuto(f.lang, *ind.Limit, 6)
	}
	if t := ind.RollupThreshold; t != nil {
		f.Vals["rollup_threshold"] = locale.NumberAuto(f.lang, *t*100, 4)
	}
	if ind.Retired {
		f.Vals["retired"] = "1"
	}
	return h.renderIndicatorForm(c, fiber.StatusOK, ind.Code, f)
}

// readIndicator parses the indicator form; problems stay in the form.
func (h *Handler) readIndicator(c *fiber.Ctx, oldCode string) (*form, models.Indicator) {
	f := readForm(c, h.lang(c), indicatorFields...)
	ind := models.Indicator{Code: f.V("code"), NameVI: f.V("name_vi"), NameEN: f.V("name_en"), Measure: f.V("measure"),
		Direction: models.Direction(f.V("direction")), Frequency: f.V("frequency"), Limit: f.number("limit", false),
		Retired: f.Checked("retired"), Rollup: models.RollupRule(f.V("rollup"))}
	if ind.Rollup == models.RollupWeighted {
		ind.RollupWeight = f.V("rollup_weight")
	}
	// The form asks for a percentage of the children; the rule keeps a share.
	if pct := f.number("rollup_threshold", false); pct != nil {
		share := *pct / 100
		ind.RollupThreshold = &share
	}
	for _, t := range ind.Fields() {
		*t.Value = f.V(t.Name)
	}
	if d := f.integer("decimals", true); d != nil {
		ind.Decimals = *d
	}
	ind.DueDays = models.DefaultDueDays // a form of an older page has no such field
	if d := f.integer("due_days", false); d != nil {
		ind.DueDays = *d
	}
	var levels []string
	for _, l := range c.Context().PostArgs().PeekMulti("levels") {
		levels = append(levels, string(l))
	}
	ind.Levels = strings.Join(levels, ",")
	f.Vals["levels"] = ind.Levels
	// Every problem at once: the store's checks run even when a number was unreadable.
	f.merge(h.store.ValidateIndicator(&ind, f.V("pillar"), oldCode))
	return f, ind
}

// createIndicator stores a new indicator from the form.
func (h *Handler) createIndicator(c *fiber.Ctx) error {
	f, ind := h.readIndicator(c, "")
	if !f.Failed() {
		_, err := h.store.CreateIndicator(actor(c, models.ViaForm), ind, f.V("pillar"))
		if err == nil {
			return h.done(c, withLang(c, codePath("/edit/indicators", ind.Code, "targets")), "done.indicator_created", ind.Code)
		}
		if !f.absorb(err) {
			return err
		}
	}
	return h.renderIndicatorForm(c, fiber.StatusUnprocessableEntity, "", f)
}

// updateIndicator stores the changed fields of an indicator.
func (h *Handler) updateIndicator(c *fiber.Ctx) error {
	old, err := h.indicatorParam(c)
	if err != nil {
		return err
	}
	f, ind := h.readIndicator(c, old.Code)
	if !f.Failed() {
		err := h.store.UpdateIndicator(actor(c, models.ViaForm), old.Code, ind, f.V("pillar"))
		if err == nil {
			return h.done(c, withLang(c, codePath("/edit/indicators", ind.Code)), "done.indicator_saved", ind.Code)
		}
		if !f.absorb(err) {
			return err
		}
	}
	return h.renderIndicatorForm(c, fiber.StatusUnprocessableEntity, old.Code, f)
}

// retireIndicator takes an indicator off the dashboards, keeping its data.
func (h *Handler) retireIndicator(c *fiber.Ctx) error {
	ind, err := h.indicatorParam(c)
	if err != nil {
		return err
	}
	if err := h.store.RetireIndicator(actor(c, models.ViaForm), ind.Code); err != nil {
		return err
	}
	return h.done(c, withLang(c, "/edit"), "done.indicator_retired", ind.Code)
}
