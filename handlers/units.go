package handlers

import (
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"tiendo/display"
	"tiendo/models"
)

// The units page: admins keep each unit's names and life (when it began,
// when and by which decision it ended) and the indicators it reports
// beyond its level's (a pilot ward). The tree itself changes by import.

type unitsData struct {
	Units []models.TreeUnit
	Unit  *models.Unit // the unit edited, nil on the list
	Form  *form
	// Indicators the unit may be assigned, its level's ticked and fixed.
	Indicators []assignOption
}

type assignOption struct {
	ID         uint
	Code, Name string
	ByLevel    bool // reported at the unit's level anyway
	Assigned   bool
}

var unitFields = []string{"name_vi", "name_en", "started_on", "ended_on", "ended_basis", "ended_basis_en"}

// unitsPage lists the units in tree order.
func (h *Handler) unitsPage(c *fiber.Ctx) error {
	units, err := h.store.UnitTree(0)
	if err != nil {
		return err
	}
	p := h.page(c, "")
	p.Title = p.T("units.title")
	p.Data = unitsData{Units: units}
	return h.render(c, fiber.StatusOK, layoutApp, "units", p)
}

// unitPage shows the form of one unit.
func (h *Handler) unitPage(c *fiber.Ctx) error {
	u, err := h.unitByCode(c.Params("code"))
	if err != nil {
		return err
	}
	f := newForm(h.lang(c))
	f.Vals = map[string]string{"name_vi": u.NameVI, "name_en": u.NameEN, "ended_basis": u.EndedBasis, "ended_basis_en": u.EndedBasisEN,
		"started_on": day(u.StartedOn), "ended_on": day(u.EndedOn)}
	assigned, err := h.store.AssignedIndicators(u.ID)
	if err != nil {
		return err
	}
	return h.renderUnit(c, fiber.StatusOK, u, f, assigned)
}

func (h *Handler) renderUnit(c *fiber.Ctx, status int, u *models.Unit, f *form, assigned map[uint]bool) error {
	inds, err := h.store.Indicators()
	if err != nil {
		return err
	}
	p := h.page(c, "")
	p.Title = p.T("units.edit", display.Name(p.Lang, u.NameVI, u.NameEN))
	d := unitsData{Unit: u, Form: f}
	for _, ind := range inds {
		if ind.Retired {
			continue
		}
		d.Indicators = append(d.Indicators, assignOption{ID: ind.ID, Code: ind.Code, Name: display.Name(p.Lang, ind.NameVI, ind.NameEN),
			ByLevel: ind.ReportedAt(u.Level), Assigned: assigned[ind.ID]})
	}
	f.translate(h.cat)
	p.Data = d
	return h.render(c, status, layoutApp, "unit_edit", p)
}

// updateUnit stores a unit's names, life and assignments.
func (h *Handler) updateUnit(c *fiber.Ctx) error {
	u, err := h.unitByCode(c.Params("code"))
	if err != nil {
		return err
	}
	f := readForm(c, h.lang(c), unitFields...)
	ch := models.UnitChange{NameVI: f.V("name_vi"), NameEN: f.V("name_en"), EndedBasis: f.V("ended_basis"), EndedBasisEN: f.V("ended_basis_en"),
		StartedOn: f.date("started_on"), EndedOn: f.date("ended_on")}
	assigned := map[uint]bool{}
	for _, raw := range c.Context().PostArgs().PeekMulti("assigned") {
		if id, err := strconv.ParseUint(string(raw), 10, 32); err == nil {
			assigned[uint(id)] = true
		}
	}
	if !f.Failed() {
		err := h.store.UpdateUnit(actor(c, models.ViaForm), u.Code, ch)
		if err == nil {
			err = h.store.SetAssignments(actor(c, models.ViaForm), *u, assigned)
		}
		if err == nil {
			return h.done(c, withLang(c, codePath("/admin/units", u.Code)), "units.saved", u.Code)
		}
		if !f.absorb(err) {
			return err
		}
	}
	return h.renderUnit(c, fiber.StatusUnprocessableEntity, u, f, assigned)
}

// day writes a date for a date field (yyyy-mm-dd); nil is empty.
func day(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.Format(time.DateOnly)
}
