package handlers

import (
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"tiendo/locale"
	"tiendo/models"
)

type historyRow struct {
	Period, Value, Note, Source, Change, By, When string
}

type valueData struct {
	Indicator   models.Indicator
	Name        string
	Unit        models.Unit
	Units       []unitOption
	Hint        string
	Exists      bool
	History     []historyRow
	Form        *form
	GridURL     string
	Picker      *breakdownPicker // nil when the indicator has no breakdowns
	PartHistory bool             // a breakdown is being entered: the history shown is the total's
}

// valuePage shows the form for one value, filled when the unit and period
// named have one, and the earlier values of the unit.
func (h *Handler) valuePage(c *fiber.Ctx) error {
	ind, unit, err := h.editParams(c, c.Query("unit"))
	if err != nil {
		return err
	}
	f := newForm(h.lang(c))
	f.Vals["unit"], f.Vals["period"] = unit.Code, c.Query("period")
	if f.V("period") == "" {
		f.Vals["period"] = currentPeriod(ind.Frequency, h.store.Now()).String()
	}
	dims, err := h.store.IndicatorDimensions(ind.ID)
	if err != nil {
		return err
	}
	f.Vals["breakdown"] = pickedBreakdown(dims, func(k string) string { return c.Query(k) })
	stored, err := h.storedValues(*ind, f.V("breakdown"))
	if err != nil {
		return err
	}
	if o, ok := stored[unit.ID][f.V("period")]; ok {
		f.Vals["value"] = locale.NumberAuto(f.lang, o.Value, 6)
		if !o.Demo { // a real value replacing demo data must not inherit its "made-up" note
			f.Vals["note"], f.Vals["source"] = o.Note, o.Source
		}
	}
	return h.renderValue(c, fiber.StatusOK, ind, unit, f, stored)
}

// renderValue shows the value form; stored is the indicator's values, to
// tell whether the unit already has one for the period typed.
func (h *Handler) renderValue(c *fiber.Ctx, status int, ind *models.Indicator, unit *models.Unit, f *form,
	stored map[uint]map[string]models.Observation) error {
	p := h.page(c, "")
	d := valueData{Indicator: *ind, Name: name(p.Lang, ind.NameVI, ind.NameEN), Unit: *unit, Form: f,
		Hint: h.valueHint(p.Lang, *ind), GridURL: p.URL("/edit/indicators/"+ind.Code+"/grid", pickerFields(f.V("breakdown"))...)}
	p.Title = p.T("value.title", d.Name)
	var err error
	if d.Units, err = h.scopeOptions(c, p.Lang, unit.ID); err != nil {
		return err
	}
	_, d.Exists = stored[unit.ID][f.V("period")]
	dims, err := h.store.IndicatorDimensions(ind.ID)
	if err != nil {
		return err
	}
	f.translate(h.cat)
	d.Picker = newPicker(p, dims, f.V("breakdown"), f.E("breakdown"))
	// The history kept is the totals'; a breakdown's changes are in the audit log.
	d.PartHistory = f.V("breakdown") != ""
	hist, err := h.store.ValueHistory(ind.ID, unit.ID)
	if err != nil {
		return err
	}
	for _, o := range hist {
		d.History = append(d.History, historyRow{Period: o.Period, Value: formatValue(p.Lang, o.Value, *ind), Note: o.Note,
			Source: o.Source, Change: p.T("value.change_" + o.Change), By: o.ChangedBy,
			When: p.Time(o.ReplacedAt)})
	}
	p.Data = d
	return h.render(c, status, layoutApp, "value", p)
}

// saveValue stores, changes or (with action=delete) deletes one value.
func (h *Handler) saveValue(c *fiber.Ctx) error {
	ind, unit, err := h.editParams(c, c.FormValue("unit"))
	if err != nil {
		return err
	}
	f := readForm(c, h.lang(c), "unit", "period", "value", "note", "source")
	dims, err := h.store.IndicatorDimensions(ind.ID)
	if err != nil {
		return err
	}
	f.Vals["breakdown"] = pickedBreakdown(dims, func(k string) string { return c.FormValue(k) })
	in := models.ObservationInput{Unit: *unit, Period: f.V("period"), Note: f.V("note"), Source: f.V("source"), Breakdown: f.V("breakdown")}
	if c.FormValue("action") == "delete" {
		in.Expect = models.ExpectExisting
	} else {
		in.Value = f.number("value", true)
	}
	h.store.ValidateObservation(*ind, &in, f.prob)
	if !f.Failed() {
		err := h.store.SaveObservations(actor(c, models.ViaForm), *ind, []models.ObservationInput{in})
		if err == nil {
			// Back to the same form, so the next value is typed where the last one was.
			key := "done.value_saved"
			if in.Value == nil {
				key = "done.value_deleted"
			}
			to := addQuery(withLang(c, codePath("/edit/indicators", ind.Code, "value")),
				append([]string{"unit", unit.Code, "period", f.V("period")}, pickerFields(in.Breakdown)...)...)
			return h.done(c, to, key, name(h.lang(c), unit.NameVI, unit.NameEN), f.V("period"))
		}
		if !f.absorb(err) {
			return err
		}
	}
	stored, err := h.storedValues(*ind, f.V("breakdown"))
	if err != nil {
		return err
	}
	return h.renderValue(c, fiber.StatusUnprocessableEntity, ind, unit, f, stored)
}

// storedValues are the indicator's values of one breakdown ("" the total)
// by unit ID and period.
func (h *Handler) storedValues(ind models.Indicator, breakdown string) (map[uint]map[string]models.Observation, error) {
	if breakdown == "" {
		return h.store.ObservationsOf(ind.ID)
	}
	canonical, err := models.CanonicalBreakdown(breakdown)
	if err != nil {
		// An unreadable breakdown has no values; saving it says why.
		return map[uint]map[string]models.Observation{}, nil
	}
	vals, err := h.store.BreakdownValues(ind.ID, 0, canonical)
	if err != nil {
		return nil, err
	}
	out := map[uint]map[string]models.Observation{}
	for _, b := range vals {
		if b.Breakdown != canonical {
			continue // a finer breakdown holding it
		}
		if out[b.UnitID] == nil {
			out[b.UnitID] = map[string]models.Observation{}
		}
		out[b.UnitID][b.Period] = b.Observation()
	}
	return out, nil
}

// addQuery appends the key, value pairs to the query of u, escaped.
func addQuery(u string, kv ...string) string {
	q := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		q.Set(kv[i], kv[i+1])
	}
	if strings.Contains(u, "?") {
		return u + "&" + q.Encode()
	}
	return u + "?" + q.Encode()
}
