package handlers

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"tiendo/locale"
	"tiendo/models"
)

var ruleFields = []string{"kind", "indicator", "pillar", "unit", "subtree", "margin"}

type ruleRow struct {
	ID                        uint
	Kind, What, Unit, Margin  string
	Subtree, Subscribed, Edit bool
	CreatedBy                 string
}

type alertsData struct {
	Rules      []ruleRow
	Form       *form
	EditID     uint // the rule the form changes; 0: a new one
	CanEdit    bool
	Kinds      []unitOption
	Indicators []unitOption
	Pillars    []unitOption
	Units      []unitOption
}

// alertsPage lists the rules the user may see, with a subscribe switch on
// each, and the form of a new rule for planners and admins.
func (h *Handler) alertsPage(c *fiber.Ctx) error {
	return h.renderAlerts(c, fiber.StatusOK, 0, nil)
}

// alertRulePage is the form of one rule, filled in.
func (h *Handler) alertRulePage(c *fiber.Ctx) error {
	r, err := h.ruleParam(c)
	if err != nil {
		return err
	}
	f := newForm(h.lang(c))
	f.Vals["kind"], f.Vals["unit"] = string(r.Kind), r.Unit.Code
	if r.Indicator != nil {
		f.Vals["indicator"] = r.Indicator.Code
	}
	if r.Pillar != nil {
		f.Vals["pillar"] = r.Pillar.Code
	}
	if r.Subtree {
		f.Vals["subtree"] = "1"
	}
	if r.Margin != 0 {
		f.Vals["margin"] = locale.NumberAuto(f.lang, r.Margin, 6)
	}
	return h.renderAlerts(c, fiber.StatusOK, r.ID, f)
}

func (h *Handler) ruleParam(c *fiber.Ctx) (*models.AlertRule, error) {
	id, err := strconv.ParseUint(c.Params("id"), 10, 63) // 63 bits: PostgreSQL ids are signed BIGINT
	if err != nil {
		return nil, failure(fiber.StatusNotFound, "error.not_found")
	}
	rules, err := h.store.AlertRules()
	if err != nil {
		return nil, err
	}
	for _, r := range rules {
		if r.ID == uint(id) {
			if ok, err := h.store.MayEditRule(currentUser(c), r.UnitID); err != nil || !ok {
				return nil, failure(fiber.StatusForbidden, "error.forbidden")
			}
			return &r, nil
		}
	}
	return nil, failure(fiber.StatusNotFound, "error.not_found")
}

func (h *Handler) renderAlerts(c *fiber.Ctx, status int, editID uint, f *form) error {
	p := h.page(c, "")
	p.Title = p.T("alerts.title")
	u := currentUser(c)
	if f == nil {
		f = newForm(p.Lang)
		f.Vals["kind"] = string(models.AlertStatusWorse)
	}
	f.translate(h.cat)
	d := &alertsData{Form: f, EditID: editID, CanEdit: u.Role.Allows(models.RolePlanner)}
	rules, err := h.store.AlertRules()
	if err != nil {
		return err
	}
	subs, err := h.store.Subscriptions(u.ID)
	if err != nil {
		return err
	}
	for _, r := range rules {
		if ok, err := h.store.MaySeeRule(u, r); err != nil {
			return err
		} else if !ok {
			continue
		}
		edit, err := h.store.MayEditRule(u, r.UnitID)
		if err != nil {
			return err
		}
		row := ruleRow{ID: r.ID, Kind: p.T("alerts.kind." + string(r.Kind)), Unit: name(p.Lang, r.Unit.NameVI, r.Unit.NameEN),
			Subtree: r.Subtree, Subscribed: subs[r.ID], Edit: edit, CreatedBy: r.CreatedBy, What: p.T("alerts.every_indicator")}
		switch {
		case r.Indicator != nil:
			row.What = name(p.Lang, r.Indicator.NameVI, r.Indicator.NameEN)
		case r.Pillar != nil:
			row.What = p.T("alerts.pillar", name(p.Lang, r.Pillar.NameVI, r.Pillar.NameEN))
		}
		if r.Kind == models.AlertBelowPath {
			row.Margin = p.T("alerts.margin_is", locale.NumberAuto(p.Lang, r.Margin, 6))
		}
		d.Rules = append(d.Rules, row)
	}
	if d.CanEdit {
		for _, k := range models.AlertKinds {
			d.Kinds = append(d.Kinds, unitOption{string(k), p.T("alerts.kind." + string(k)), string(k) == f.V("kind")})
		}
		inds, err := h.store.Indicators()
		if err != nil {
			return err
		}
		d.Indicators = []unitOption{{"", p.T("alerts.every_indicator_of_pillar"), f.V("indicator") == ""}}
		d.Pillars = []unitOption{{"", p.T("leaders.all_pillars"), f.V("pillar") == ""}}
		seen := map[string]bool{}
		for _, ind := range inds {
			d.Indicators = append(d.Indicators, unitOption{ind.Code, name(p.Lang, ind.NameVI, ind.NameEN), ind.Code == f.V("indicator")})
			if !seen[ind.Pillar.Code] {
				seen[ind.Pillar.Code] = true
				d.Pillars = append(d.Pillars, unitOption{ind.Pillar.Code, name(p.Lang, ind.Pillar.NameVI, ind.Pillar.NameEN), ind.Pillar.Code == f.V("pillar")})
			}
		}
		if d.Units, err = h.scopeOptions(c, p.Lang, 0); err != nil {
			return err
		}
		for i := range d.Units {
			d.Units[i].Selected = d.Units[i].Code == f.V("unit")
		}
	}
	p.Data = d
	return h.render(c, status, layoutApp, "alerts", p)
}

// saveRule creates (no :id) or changes a rule from the form.
func (h *Handler) saveRule(c *fiber.Ctx) error {
	var id uint
	if c.Params("id") != "" {
		r, err := h.ruleParam(c)
		if err != nil {
			return err
		}
		id = r.ID
	}
	f := readForm(c, h.lang(c), ruleFields...)
	in := models.AlertRuleInput{Kind: f.V("kind"), Indicator: f.V("indicator"), Pillar: f.V("pillar"), Unit: f.V("unit"),
		Subtree: f.Checked("subtree"), Margin: f.number("margin", false)}
	if !f.Failed() {
		_, err := h.store.SaveAlertRule(actor(c, models.ViaForm), currentUser(c), id, in)
		if err == nil {
			return c.Redirect(withLang(c, "/alerts"), fiber.StatusSeeOther)
		}
		if !f.absorb(err) {
			return err
		}
	}
	return h.renderAlerts(c, fiber.StatusUnprocessableEntity, id, f)
}

// deleteRule removes a rule the user may edit.
func (h *Handler) deleteRule(c *fiber.Ctx) error {
	r, err := h.ruleParam(c)
	if err != nil {
		return err
	}
	if err := h.store.DeleteAlertRule(actor(c, models.ViaForm), currentUser(c), r.ID); err != nil {
		return err
	}
	return c.Redirect(withLang(c, "/alerts"), fiber.StatusSeeOther)
}

// subscribeRule turns the user's subscription to a rule on (on=1) or off.
func (h *Handler) subscribeRule(c *fiber.Ctx) error {
	id, err := strconv.ParseUint(c.Params("id"), 10, 63) // 63 bits: PostgreSQL ids are signed BIGINT
	if err != nil {
		return failure(fiber.StatusNotFound, "error.not_found")
	}
	if err := h.store.Subscribe(currentUser(c), uint(id), c.FormValue("on") == "1"); err != nil {
		return err
	}
	return c.Redirect(withLang(c, "/alerts"), fiber.StatusSeeOther)
}
