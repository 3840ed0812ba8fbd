package handlers

import (
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"tiendo/locale"
	"tiendo/models"
)

// The page where planners and admins add breakdown dimensions and their
// values, and say which dimensions an indicator is broken down by and which
// breakdowns are assessed beside its total.

type breakdownsAdminData struct {
	Dimensions []models.Dimension
	Indicators []models.Indicator
	// Indicator is the one chosen (?indicator=), with its dimensions and
	// assessed breakdowns in IndForm.
	Indicator  *models.Indicator
	Listed     map[string]bool // dimension codes it is broken down by
	DimForm    *form
	ValueForm  *form
	IndForm    *form
	MaxPerInd  string   // the cap, written in the page's language
	Breakdowns []string // the chosen indicator's stored breakdowns, to pick from
}

// breakdownsPage: GET /edit/breakdowns[?indicator=code].
func (h *Handler) breakdownsPage(c *fiber.Ctx) error {
	return h.renderBreakdowns(c, fiber.StatusOK, c.Query("indicator"), nil, nil, nil)
}

func (h *Handler) renderBreakdowns(c *fiber.Ctx, status int, indicator string, dimForm, valueForm, indForm *form) error {
	p := h.page(c, "")
	p.Title = p.T("breakdowns.title")
	lang := h.lang(c)
	for _, f := range []**form{&dimForm, &valueForm, &indForm} {
		if *f == nil {
			*f = newForm(lang)
		}
		(*f).translate(h.cat)
	}
	dims, err := h.store.Dimensions()
	if err != nil {
		return err
	}
	inds, err := h.store.AllIndicators()
	if err != nil {
		return err
	}
	d := breakdownsAdminData{Dimensions: dims, Indicators: inds, DimForm: dimForm, ValueForm: valueForm, IndForm: indForm,
		MaxPerInd: locale.Number(lang, float64(h.store.MaxBreakdowns()), 0), Listed: map[string]bool{}}
	if indicator != "" {
		ind, err := h.indicatorByCode(indicator)
		if err != nil {
			return err
		}
		d.Indicator = ind
		listed, err := h.store.IndicatorDimensions(ind.ID)
		if err != nil {
			return err
		}
		for _, dim := range listed {
			d.Listed[dim.Code] = true
		}
		assessed, err := h.store.AssessedBreakdowns()
		if err != nil {
			return err
		}
		if _, typed := indForm.Vals["assessed"]; !typed {
			indForm.Vals["assessed"] = strings.Join(assessed[ind.ID], "\n")
		} else {
			// A refused form shows the boxes as they were ticked.
			d.Listed = map[string]bool{}
			for _, code := range strings.Split(indForm.V("dimensions"), ",") {
				d.Listed[code] = code != ""
			}
		}
	}
	p.Data = d
	return h.render(c, status, layoutApp, "breakdowns_admin", p)
}

// createDimension: POST /edit/breakdowns/dimensions.
func (h *Handler) createDimension(c *fiber.Ctx) error {
	f := readForm(c, h.lang(c), "code", "name_vi", "name_en")
	dim, err := h.store.CreateDimension(actor(c, models.ViaForm), models.Dimension{Code: f.V("code"), NameVI: f.V("name_vi"), NameEN: f.V("name_en")})
	if f.absorb(err) {
		return h.renderBreakdowns(c, fiber.StatusUnprocessableEntity, c.FormValue("indicator"), f, nil, nil)
	}
	if err != nil {
		return err
	}
	return h.done(c, withLang(c, "/edit/breakdowns"), "breakdowns.dimension_added", dim.Code)
}

// createDimensionValue: POST /edit/breakdowns/values.
func (h *Handler) createDimensionValue(c *fiber.Ctx) error {
	f := readForm(c, h.lang(c), "dimension", "code", "name_vi", "name_en")
	v, err := h.store.CreateDimensionValue(actor(c, models.ViaForm), f.V("dimension"),
		models.DimensionValue{Code: f.V("code"), NameVI: f.V("name_vi"), NameEN: f.V("name_en")})
	if errors.Is(err, models.ErrNotFound) {
		f.prob.Add("dimension", "error.choose")
	} else if !f.absorb(err) && err != nil {
		return err
	}
	if f.Failed() {
		return h.renderBreakdowns(c, fiber.StatusUnprocessableEntity, c.FormValue("indicator"), nil, f, nil)
	}
	return h.done(c, withLang(c, "/edit/breakdowns"), "breakdowns.value_added", f.V("dimension")+"="+v.Code)
}

// saveIndicatorBreakdowns: POST /edit/breakdowns/indicator sets the
// dimensions an indicator is broken down by and the breakdowns assessed
// beside its total (one a line).
func (h *Handler) saveIndicatorBreakdowns(c *fiber.Ctx) error {
	ind, err := h.indicatorByCode(c.FormValue("indicator"))
	if err != nil {
		return err
	}
	f := readForm(c, h.lang(c), "assessed")
	var dims []string
	c.Request().PostArgs().VisitAll(func(k, v []byte) {
		if string(k) == "dimensions" {
			dims = append(dims, string(v))
		}
	})
	f.Vals["dimensions"] = strings.Join(dims, ",")
	a := actor(c, models.ViaForm)
	err = h.store.SetIndicatorDimensions(a, *ind, dims)
	if err == nil {
		err = h.store.SetAssessedBreakdowns(a, *ind, strings.FieldsFunc(f.V("assessed"), func(r rune) bool { return r == '\n' || r == '\r' }))
	}
	if f.absorb(err) {
		return h.renderBreakdowns(c, fiber.StatusUnprocessableEntity, ind.Code, nil, nil, f)
	}
	if err != nil {
		return err
	}
	return h.done(c, withLang(c, "/edit/breakdowns?indicator="+ind.Code), "breakdowns.indicator_saved", ind.Code)
}

// apiDimensions: GET /api/v1/dimensions lists every dimension with its values.
func (h *Handler) apiDimensions(c *fiber.Ctx) error {
	dims, err := h.store.Dimensions()
	if err != nil {
		return err
	}
	for i := range dims {
		if dims[i].Values == nil {
			dims[i].Values = []models.DimensionValue{}
		}
	}
	return c.JSON(dims)
}

type apiDimensionInput struct {
	Code   string `json:"code"`
	NameVI string `json:"name_vi"`
	NameEN string `json:"name_en"`
}

// apiCreateDimension: POST /api/v1/dimensions adds a dimension.
func (h *Handler) apiCreateDimension(c *fiber.Ctx) error {
	var in apiDimensionInput
	if err := decode(c, &in); err != nil {
		return err
	}
	d, err := h.store.CreateDimension(actor(c, models.ViaAPI), models.Dimension{Code: in.Code, NameVI: in.NameVI, NameEN: in.NameEN})
	if err != nil {
		return err
	}
	d.Values = []models.DimensionValue{}
	return c.Status(fiber.StatusCreated).JSON(d)
}

// apiCreateDimensionValue: POST /api/v1/dimensions/:code/values adds a value.
func (h *Handler) apiCreateDimensionValue(c *fiber.Ctx) error {
	var in apiDimensionInput
	if err := decode(c, &in); err != nil {
		return err
	}
	v, err := h.store.CreateDimensionValue(actor(c, models.ViaAPI), c.Params("code"), models.DimensionValue{Code: in.Code, NameVI: in.NameVI, NameEN: in.NameEN})
	if errors.Is(err, models.ErrNotFound) {
		return failure(fiber.StatusNotFound, "error.unknown_dimension", c.Params("code"))
	}
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(v)
}
