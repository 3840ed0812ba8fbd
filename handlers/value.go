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
	Indicator models.Indicator
	Name      string
	Unit      models.Unit
	Units     []unitOption
	Hint      string
	Exists    bool
	History   []historyRow
	Form      *form
	GridURL   string
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
	stored, err := h.store.ObservationsOf(ind.ID)
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
		Hint: h.valueHint(p.Lang, *ind), GridURL: p.URL("/edit/indicators/" + ind.Code + "/grid")}
	p.Title = p.T("value.title", d.Name)
	var err error
	if d.Units, err = h.scopeOptions(c, p.Lang, unit.ID); err != nil {
		return err
	}
	_, d.Exists = stored[unit.ID][f.V("period")]
	hist, err := h.store.ValueHistory(ind.ID, unit.ID)
	if err != nil {
		return err
	}
	for _, o := range hist {
		d.History = append(d.History, historyRow{Period: o.Period, Value: formatValue(p.Lang, o.Value, *ind), Note: o.Note,
			Source: o.Source, Change: p.T("value.change_" + o.Change), By: o.ChangedBy,
			When: p.Time(o.ReplacedAt)})
	}
	f.translate(h.cat)
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
	in := models.ObservationInput{Unit: *unit, Period: f.V("period"), Note: f.V("note"), Source: f.V("source")}
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
			to := addQuery(withLang(c, codePath("/edit/indicators", ind.Code, "value")), "unit", unit.Code, "period", f.V("period"))
			return h.done(c, to, key, name(h.lang(c), unit.NameVI, unit.NameEN), f.V("period"))
		}
		if !f.absorb(err) {
			return err
		}
	}
	stored, err := h.store.ObservationsOf(ind.ID)
	if err != nil {
		return err
	}
	return h.renderValue(c, fiber.StatusUnprocessableEntity, ind, unit, f, stored)
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
