package handlers

import (
	"net/url"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"tiendo/locale"
	"tiendo/models"
)

var targetFields = []string{"unit", "year", "comparator", "value", "value_max", "baseline_year", "baseline_value", "yearly", "source", "reason"}

type targetRow struct {
	Year              int
	Text, Source, URL string
	Revision          int
}

type targetsData struct {
	Indicator   models.Indicator
	Name        string
	Unit        models.Unit
	Units       []unitOption
	Current     []targetRow
	History     []string
	Comparators []models.Comparator
	Revising    bool
	Form        *form
	Withdraw    *form
}

// targetsPage shows a unit's targets of an indicator, their history, and the
// form that sets or revises one (?year= fills it with that year's target).
func (h *Handler) targetsPage(c *fiber.Ctx) error {
	ind, unit, err := h.editParams(c, c.Query("unit"))
	if err != nil {
		return err
	}
	f := newForm(h.lang(c))
	f.Vals["unit"], f.Vals["comparator"] = unit.Code, string(models.AtLeast)
	revs, err := h.store.TargetHistory(ind.ID, unit.ID)
	if err != nil {
		return err
	}
	if y, err := strconv.Atoi(c.Query("year")); err == nil {
		for _, t := range revs {
			if t.Year == y && t.SupersededAt == nil {
				fillTargetForm(f, t)
			}
		}
	}
	return h.renderTargets(c, fiber.StatusOK, ind, unit, revs, f, newForm(f.lang))
}

func fillTargetForm(f *form, t models.Target) {
	num := func(v *float64) string {
		if v == nil {
			return ""
		}
		return locale.NumberAuto(f.lang, *v, 6)
	}
	f.Vals["year"], f.Vals["comparator"], f.Vals["value"] = strconv.Itoa(t.Year), string(t.Comparator), num(&t.Value)
	f.Vals["value_max"], f.Vals["baseline_value"], f.Vals["source"] = num(t.ValueMax), num(t.BaselineValue), t.Source
	if t.BaselineYear != nil {
		f.Vals["baseline_year"] = strconv.Itoa(*t.BaselineYear)
	}
	if t.Yearly {
		f.Vals["yearly"] = "1"
	}
}

// editParams finds the indicator of the URL and a unit the user may edit
// (the first of their scope when none is named).
func (h *Handler) editParams(c *fiber.Ctx, unitCode string) (*models.Indicator, *models.Unit, error) {
	ind, err := h.indicatorParam(c)
	if err != nil {
		return nil, nil, err
	}
	if unitCode == "" {
		scope, err := h.store.ScopeUnits(currentUser(c))
		if err != nil {
			return nil, nil, err
		}
		if len(scope) == 0 {
			return nil, nil, failure(fiber.StatusForbidden, "error.forbidden")
		}
		unitCode = scope[0].Code
		// The country is above the units that hold targets and values:
		// the first of those is the default, as before it existed.
		if len(scope) > 1 && scope[0].Level == models.LevelCountry {
			unitCode = scope[1].Code
		}
	}
	unit, err := h.unitByCode(unitCode)
	if err != nil {
		return nil, nil, err
	}
	if err := h.inScope(c, *unit); err != nil {
		return nil, nil, err
	}
	return ind, unit, nil
}

// refuseTargets shows the targets page again with the problems of the set
// form f or the withdraw form w.
func (h *Handler) refuseTargets(c *fiber.Ctx, ind *models.Indicator, unit *models.Unit, f, w *form) error {
	revs, err := h.store.TargetHistory(ind.ID, unit.ID)
	if err != nil {
		return err
	}
	return h.renderTargets(c, fiber.StatusUnprocessableEntity, ind, unit, revs, f, w)
}

// renderTargets shows the targets page; revs are every revision of the
// unit's targets of ind.
func (h *Handler) renderTargets(c *fiber.Ctx, status int, ind *models.Indicator, unit *models.Unit, revs []models.Target, f, w *form) error {
	p := h.page(c, "")
	d := targetsData{Indicator: *ind, Name: name(p.Lang, ind.NameVI, ind.NameEN), Unit: *unit, Form: f, Withdraw: w,
		Comparators: []models.Comparator{models.AtLeast, models.AtMost, models.Exactly, models.Between}}
	p.Title = p.T("targets.title", d.Name)
	var err error
	if d.Units, err = h.scopeOptions(c, p.Lang, unit.ID); err != nil {
		return err
	}
	for i, t := range revs {
		if t.SupersededAt == nil {
			d.Current = append(d.Current, targetRow{Year: t.Year, Text: formatTarget(h.cat, p.Lang, &revs[i], *ind), Source: t.Source,
				Revision: t.Revision, URL: p.URL("/edit/indicators/"+ind.Code+"/targets", "unit", unit.Code, "year", strconv.Itoa(t.Year))})
			d.Revising = d.Revising || strconv.Itoa(t.Year) == f.V("year")
		}
	}
	d.History = h.targetHistory(p.Lang, *ind, revs)
	f.translate(h.cat)
	w.translate(h.cat)
	p.Data = d
	return h.render(c, status, layoutApp, "targets_edit", p)
}

// scopeOptions lists the units the user may edit, indented by depth, with
// the unit of ID selected chosen.
func (h *Handler) scopeOptions(c *fiber.Ctx, lang string, selected uint) ([]unitOption, error) {
	scope, err := h.store.ScopeUnits(currentUser(c))
	if err != nil {
		return nil, err
	}
	var opts []unitOption
	for _, u := range scope {
		opts = append(opts, unitOption{Code: u.Code, Name: indent(u.Depth) + name(lang, u.NameVI, u.NameEN), Selected: u.ID == selected})
	}
	return opts, nil
}

// indent shows a unit's depth in a list of options.
func indent(depth int) string {
	s := ""
	for range depth {
		s += "\u00a0\u00a0\u00a0"
	}
	return s
}

// readTarget parses the target form in the user's notation.
func (h *Handler) readTarget(c *fiber.Ctx, ind models.Indicator) (*form, models.Target) {
	f := readForm(c, h.lang(c), targetFields...)
	t := models.Target{Comparator: models.Comparator(f.V("comparator")), BaselineYear: f.integer("baseline_year", false),
		BaselineValue: f.number("baseline_value", false), ValueMax: f.number("value_max", false),
		Yearly: f.Checked("yearly"), Source: f.V("source"), Reason: f.V("reason")}
	if y := f.integer("year", true); y != nil {
		t.Year = *y
	}
	if v := f.number("value", true); v != nil {
		t.Value = *v
	}
	f.merge(h.store.ValidateTarget(ind, &t))
	return f, t
}

// saveTarget sets a new target or a new revision of one.
func (h *Handler) saveTarget(c *fiber.Ctx) error {
	ind, unit, err := h.editParams(c, c.FormValue("unit"))
	if err != nil {
		return err
	}
	f, t := h.readTarget(c, *ind)
	if !f.Failed() {
		_, err := h.store.SetTarget(actor(c, models.ViaForm), *ind, *unit, t, models.ExpectAny)
		if err == nil {
			return h.done(c, withLang(c, codePath("/edit/indicators", ind.Code, "targets")+"?unit="+url.QueryEscape(unit.Code)), "done.target_saved", t.Year)
		}
		if !f.absorb(err) {
			return err
		}
	}
	return h.refuseTargets(c, ind, unit, f, newForm(f.lang))
}

// withdrawTarget ends a target, keeping its revisions.
func (h *Handler) withdrawTarget(c *fiber.Ctx) error {
	ind, unit, err := h.editParams(c, c.FormValue("unit"))
	if err != nil {
		return err
	}
	w := readForm(c, h.lang(c), "year", "reason")
	year := w.integer("year", true)
	if year != nil {
		err := h.store.WithdrawTarget(actor(c, models.ViaForm), *ind, *unit, *year, w.V("reason"))
		if err == nil {
			return h.done(c, withLang(c, codePath("/edit/indicators", ind.Code, "targets")+"?unit="+url.QueryEscape(unit.Code)), "done.target_withdrawn", *year)
		}
		if !w.absorb(err) {
			return err
		}
	}
	f := newForm(w.lang)
	f.Vals["unit"] = unit.Code
	return h.refuseTargets(c, ind, unit, f, w)
}
