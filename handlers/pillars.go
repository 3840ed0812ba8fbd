package handlers

import (
	"github.com/gofiber/fiber/v2"

	"tiendo/models"
)

type pillarRow struct {
	Code, Name, Other string // Other: the name in the other language
	OtherLang         string
	Indicators        int
}

type pillarsData struct {
	Rows []pillarRow
	Form *form
}

// pillarsPage lists the pillars, with the form that adds one.
func (h *Handler) pillarsPage(c *fiber.Ctx) error {
	return h.renderPillars(c, fiber.StatusOK, newForm(h.lang(c)))
}

func (h *Handler) renderPillars(c *fiber.Ctx, status int, f *form) error {
	p := h.page(c, "")
	p.Title = p.T("pillars.title")
	pillars, err := h.store.Pillars()
	if err != nil {
		return err
	}
	inds, err := h.store.AllIndicators()
	if err != nil {
		return err
	}
	count := map[uint]int{}
	for _, ind := range inds {
		count[ind.PillarID]++
	}
	f.translate(h.cat)
	d := pillarsData{Form: f}
	for _, pl := range pillars {
		row := pillarRow{Code: pl.Code, Name: name(p.Lang, pl.NameVI, pl.NameEN), Other: pl.NameEN, OtherLang: "en", Indicators: count[pl.ID]}
		if p.Lang == "en" {
			row.Other, row.OtherLang = pl.NameVI, "vi"
		}
		d.Rows = append(d.Rows, row)
	}
	p.Data = d
	return h.render(c, status, layoutApp, "pillars", p)
}

// createPillar adds a pillar from the form; a refused one comes back with
// its fields and messages.
func (h *Handler) createPillar(c *fiber.Ctx) error {
	f := readForm(c, h.lang(c), "code", "name_vi", "name_en")
	pl, err := h.store.CreatePillar(actor(c, models.ViaForm), models.Pillar{Code: f.V("code"), NameVI: f.V("name_vi"), NameEN: f.V("name_en")})
	if err == nil {
		return h.done(c, withLang(c, "/edit/pillars"), "pillars.created", name(h.lang(c), pl.NameVI, pl.NameEN))
	}
	if !f.absorb(err) {
		return err
	}
	return h.renderPillars(c, fiber.StatusUnprocessableEntity, f)
}
