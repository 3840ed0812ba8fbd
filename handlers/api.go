package handlers

import (
	"github.com/gofiber/fiber/v2"

	"tiendo/models"
	"tiendo/reports"
)

type apiUnit struct {
	Code   string  `json:"code"`
	NameVI string  `json:"name_vi"`
	NameEN string  `json:"name_en"`
	Level  string  `json:"level"`
	Parent *string `json:"parent"`
	// The unit's life, as the units page and the exports give it.
	StartedOn string `json:"started_on,omitempty"`
	EndedOn   string `json:"ended_on,omitempty"`
}

type apiTarget struct {
	Unit string `json:"unit"`
	models.Target
}

type apiObservation struct {
	Unit string `json:"unit"`
	models.Observation
	// Breakdown is the part of the total the value counts ("": the total).
	Breakdown string `json:"breakdown"`
}

type apiIndicator struct {
	models.Indicator
	Pillar       string           `json:"pillar"`
	Targets      []apiTarget      `json:"targets"`
	Observations []apiObservation `json:"observations,omitempty"`
}

func (h *Handler) apiUnits(c *fiber.Ctx) error {
	units, err := h.store.Units()
	if err != nil {
		return err
	}
	out := make([]apiUnit, len(units))
	for i, u := range units {
		out[i] = apiUnit{Code: u.Code, NameVI: u.NameVI, NameEN: u.NameEN, Level: u.Level, StartedOn: day(u.StartedOn), EndedOn: day(u.EndedOn)}
		if u.Parent != nil {
			out[i].Parent = &u.Parent.Code
		}
	}
	return c.JSON(out)
}

func (h *Handler) apiIndicators(c *fiber.Ctx) error {
	inds, err := h.store.Indicators()
	if err != nil {
		return err
	}
	targets, err := h.store.CurrentTargets(0)
	if err != nil {
		return err
	}
	byIndicator := map[uint][]apiTarget{}
	for _, t := range targets {
		byIndicator[t.IndicatorID] = append(byIndicator[t.IndicatorID], apiTarget{Unit: t.Unit.Code, Target: t})
	}
	out := make([]apiIndicator, len(inds))
	for i, ind := range inds {
		out[i] = apiIndicator{Indicator: ind, Pillar: ind.Pillar.Code, Targets: byIndicator[ind.ID]}
		if out[i].Targets == nil {
			out[i].Targets = []apiTarget{}
		}
	}
	return c.JSON(out)
}

func (h *Handler) apiIndicator(c *fiber.Ctx) error { return h.apiIndicatorByCode(c, c.Params("code")) }

// apiIndicatorByCode answers one indicator with its targets and values.
func (h *Handler) apiIndicatorByCode(c *fiber.Ctx, code string) error {
	ind, err := h.indicatorByCode(code)
	if err != nil {
		return err
	}
	targets, err := h.store.CurrentTargets(ind.ID)
	if err != nil {
		return err
	}
	out := apiIndicator{Indicator: *ind, Pillar: ind.Pillar.Code, Targets: []apiTarget{}, Observations: []apiObservation{}}
	for _, t := range targets {
		out.Targets = append(out.Targets, apiTarget{Unit: t.Unit.Code, Target: t})
	}
	// Every value, the totals first, unless ?breakdown= picks one
	// breakdown (_T: the totals).
	filter, all := "", true
	if raw := c.Request().URI().QueryArgs().Peek("breakdown"); len(raw) > 0 {
		rules, err := h.store.BreakdownRules(ind.ID)
		if err != nil {
			return err
		}
		b, prob := rules.Resolve(string(raw))
		if prob != nil {
			return failure(fiber.StatusBadRequest, prob.Key, prob.Args...)
		}
		filter, all = b, false
	}
	if filter == "" {
		obs, err := h.store.IndicatorObservations(ind.ID)
		if err != nil {
			return err
		}
		for _, o := range obs {
			out.Observations = append(out.Observations, apiObservation{Unit: o.Unit.Code, Observation: o})
		}
	}
	if filter != "" || all {
		parts, err := h.store.BreakdownValues(ind.ID, 0, filter)
		if err != nil {
			return err
		}
		codes, err := h.unitCodes(parts)
		if err != nil {
			return err
		}
		for _, b := range parts {
			out.Observations = append(out.Observations, apiObservation{Unit: codes[b.UnitID], Observation: b.Observation(), Breakdown: b.Breakdown})
		}
	}
	return c.JSON(out)
}

// unitCodes maps the units of breakdown values to their codes.
func (h *Handler) unitCodes(vals []models.BreakdownValue) (map[uint]string, error) {
	codes := map[uint]string{}
	if len(vals) == 0 {
		return codes, nil
	}
	units, err := h.store.Units()
	if err != nil {
		return nil, err
	}
	for _, u := range units {
		codes[u.ID] = u.Code
	}
	return codes, nil
}

// apiAssessments returns one entry per indicator and target of a unit (all
// units without ?unit=), at one milestone year or all (?year=).
func (h *Handler) apiAssessments(c *fiber.Ctx) error {
	year, err := yearParam(c)
	if err != nil {
		return err
	}
	var units []models.Unit
	if code := c.Query("unit"); code != "" {
		u, err := h.unitParam(c)
		if err != nil {
			return err
		}
		units = []models.Unit{*u}
		dependsOn(c, []uint{u.ID})
	} else {
		all, err := h.store.Units()
		if err != nil {
			return err
		}
		units = all
	}
	out := []reports.Assessment{}
	for _, u := range units {
		rows, err := h.store.CachedEffectiveAssessments(u, year)
		if err != nil {
			return err
		}
		bds, err := h.store.BreakdownAssessments(u, rows)
		if err != nil {
			return err
		}
		out = append(out, reports.NewAssessments(rows, bds)...)
	}
	return c.JSON(out)
}
