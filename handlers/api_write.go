package handlers

import (
	"encoding/json"
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"tiendo/models"
)

// decode reads a JSON body; a value of the wrong type is refused next to
// its field (422), a body that is not JSON at all with 400.
func decode(c *fiber.Ctx, into any) error {
	err := json.Unmarshal(c.Body(), into)
	var te *json.UnmarshalTypeError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &te):
		return models.Problems{te.Field: {Key: "error.json_type", Args: []any{te.Value}}}
	}
	return failure(fiber.StatusBadRequest, "error.bad_json")
}

type apiIndicatorInput struct {
	Code      string   `json:"code"`
	NameVI    string   `json:"name_vi"`
	NameEN    string   `json:"name_en"`
	Pillar    string   `json:"pillar"`
	Measure   string   `json:"measure"`
	Direction string   `json:"direction"`
	Limit     *float64 `json:"limit"`
	Decimals  *int     `json:"decimals"`
	Frequency string   `json:"frequency"`
	Retired   bool     `json:"retired"`
	DueDays   *int     `json:"due_days"` // absent: 30 days, or unchanged on PUT
	Levels    *string  `json:"levels"`   // "city,ward"; absent: city and province, or unchanged on PUT
	// How a parent's value comes from its children's; absent: none, or
	// unchanged on PUT. rollup_threshold: null clears it.
	Rollup          *string         `json:"rollup"`
	RollupWeight    *string         `json:"rollup_weight"`
	RollupThreshold json.RawMessage `json:"rollup_threshold"`
	// The names of the measure and the metadata: measure_vi, definition_en, …
	models.IndicatorTexts
}

func (in apiIndicatorInput) model() models.Indicator {
	ind := models.Indicator{Code: in.Code, NameVI: in.NameVI, NameEN: in.NameEN, Measure: in.Measure,
		Direction: models.Direction(in.Direction), Limit: in.Limit, Decimals: 1, Frequency: in.Frequency, Retired: in.Retired,
		IndicatorTexts: in.IndicatorTexts}
	if in.Decimals != nil {
		ind.Decimals = *in.Decimals
	}
	if ind.Frequency == "" {
		ind.Frequency = models.FrequencyYear
	}
	ind.DueDays, ind.Levels = models.DefaultDueDays, models.DefaultLevels
	if in.DueDays != nil {
		ind.DueDays = *in.DueDays
	}
	if in.Levels != nil {
		ind.Levels = *in.Levels
	}
	return ind
}

// rollup sets ind's roll-up rule, weight and threshold from the fields
// given, the others from old (a PUT keeps what it leaves out; a new
// indicator's old is empty). A threshold of null clears it.
func (in *apiIndicatorInput) rollup(old, ind *models.Indicator) error {
	ind.Rollup, ind.RollupWeight, ind.RollupThreshold = old.Rollup, old.RollupWeight, old.RollupThreshold
	if in.Rollup != nil {
		ind.Rollup = models.RollupRule(*in.Rollup)
	}
	if in.RollupWeight != nil {
		ind.RollupWeight = *in.RollupWeight
	}
	if ind.Rollup != models.RollupWeighted {
		ind.RollupWeight = ""
	}
	if len(in.RollupThreshold) > 0 {
		var t *float64
		if err := json.Unmarshal(in.RollupThreshold, &t); err != nil {
			return models.Problems{"rollup_threshold": {Key: "error.number"}}
		}
		ind.RollupThreshold = t
	}
	return nil
}

// apiCreateIndicator: POST /api/v1/indicators.
func (h *Handler) apiCreateIndicator(c *fiber.Ctx) error {
	var in apiIndicatorInput
	if err := decode(c, &in); err != nil {
		return err
	}
	ind := in.model()
	if err := in.rollup(&models.Indicator{}, &ind); err != nil {
		return err
	}
	if _, err := h.store.CreateIndicator(actor(c, models.ViaAPI), ind, in.Pillar); err != nil {
		return err
	}
	c.Status(fiber.StatusCreated)
	return h.apiIndicatorByCode(c, in.Code)
}

// apiUpdateIndicator: PUT /api/v1/indicators/:code, every field given.
func (h *Handler) apiUpdateIndicator(c *fiber.Ctx) error {
	old, err := h.indicatorParam(c)
	if err != nil {
		return err
	}
	var in apiIndicatorInput
	if err := decode(c, &in); err != nil {
		return err
	}
	if in.Code == "" {
		in.Code = old.Code
	}
	if in.DueDays == nil {
		in.DueDays = &old.DueDays
	}
	if in.Levels == nil {
		in.Levels = &old.Levels
	}
	ind := in.model()
	if err := in.rollup(old, &ind); err != nil {
		return err
	}
	if err := h.store.UpdateIndicator(actor(c, models.ViaAPI), old.Code, ind, in.Pillar); err != nil {
		return err
	}
	return h.apiIndicatorByCode(c, in.Code)
}

// apiRetireIndicator: DELETE /api/v1/indicators/:code retires it; an
// indicator is never deleted.
func (h *Handler) apiRetireIndicator(c *fiber.Ctx) error {
	ind, err := h.indicatorParam(c)
	if err != nil {
		return err
	}
	if err := h.store.RetireIndicator(actor(c, models.ViaAPI), ind.Code); err != nil {
		return err
	}
	return h.apiIndicatorByCode(c, ind.Code)
}

type apiTargetInput struct {
	Indicator     string   `json:"indicator"`
	Unit          string   `json:"unit"`
	Year          *int     `json:"year"`
	Comparator    string   `json:"comparator"`
	Value         *float64 `json:"value"`
	ValueMax      *float64 `json:"value_max"`
	BaselineYear  *int     `json:"baseline_year"`
	BaselineValue *float64 `json:"baseline_value"`
	Yearly        bool     `json:"yearly"`
	Source        string   `json:"source"`
	Reason        string   `json:"reason"`
}

// apiSubjectInput is a JSON write naming an indicator and a unit.
type apiSubjectInput interface {
	subject() (indicator, unit string)
}

func (in *apiTargetInput) subject() (string, string)      { return in.Indicator, in.Unit }
func (in *apiObservationInput) subject() (string, string) { return in.Indicator, in.Unit }

// decodeSubject reads a JSON write into in, finds the indicator and unit it
// names, and checks the user may edit that unit.
func (h *Handler) decodeSubject(c *fiber.Ctx, in apiSubjectInput) (*models.Indicator, *models.Unit, error) {
	if err := decode(c, in); err != nil {
		return nil, nil, err
	}
	indicator, unit := in.subject()
	p := models.Problems{}
	ind, err := h.store.IndicatorByCode(indicator)
	if errors.Is(err, models.ErrNotFound) {
		p.Add("indicator", "error.unknown_indicator", indicator)
	} else if err != nil {
		return nil, nil, err
	}
	u, err := h.store.UnitByCode(unit)
	if errors.Is(err, models.ErrNotFound) {
		p.Add("unit", "error.unknown_unit", unit)
	} else if err != nil {
		return nil, nil, err
	}
	if err := p.Err(); err != nil {
		return nil, nil, err
	}
	if err := h.inScope(c, *u); err != nil {
		return nil, nil, err
	}
	return ind, u, nil
}

// apiTargetWrite: POST /api/v1/targets sets a new target, PUT revises the
// current one of the indicator, unit and year (a reason is required).
func (h *Handler) apiTargetWrite(expect int) fiber.Handler {
	return func(c *fiber.Ctx) error {
		var in apiTargetInput
		ind, unit, err := h.decodeSubject(c, &in)
		if err != nil {
			return err
		}
		p := models.Problems{}
		t := models.Target{Comparator: models.Comparator(in.Comparator), ValueMax: in.ValueMax, BaselineYear: in.BaselineYear,
			BaselineValue: in.BaselineValue, Yearly: in.Yearly, Source: in.Source, Reason: in.Reason}
		if in.Year == nil {
			p.Add("year", "error.required")
		} else {
			t.Year = *in.Year
		}
		if in.Value == nil {
			p.Add("value", "error.required")
		} else {
			t.Value = *in.Value
		}
		if err := p.Err(); err != nil {
			return err
		}
		saved, err := h.store.SetTarget(actor(c, models.ViaAPI), *ind, *unit, t, expect)
		if err != nil {
			return err
		}
		if expect == models.ExpectNew {
			c.Status(fiber.StatusCreated)
		}
		return c.JSON(apiTarget{Unit: unit.Code, Target: *saved})
	}
}

// apiWithdrawTarget: DELETE /api/v1/targets ends the target of the
// indicator, unit and year, with a reason; its revisions stay.
func (h *Handler) apiWithdrawTarget(c *fiber.Ctx) error {
	var in apiTargetInput
	ind, unit, err := h.decodeSubject(c, &in)
	if err != nil {
		return err
	}
	if in.Year == nil {
		return models.Problems{"year": {Key: "error.required"}}
	}
	if err := h.store.WithdrawTarget(actor(c, models.ViaAPI), *ind, *unit, *in.Year, in.Reason); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

type apiObservationInput struct {
	Indicator string   `json:"indicator"`
	Unit      string   `json:"unit"`
	Period    string   `json:"period"`
	Value     *float64 `json:"value"`
	Note      string   `json:"note"`
	Source    string   `json:"source"`
	// Breakdown is the part of the total, e.g. SEX=F;AGE=Y15T24 (""/omitted: the total).
	Breakdown string `json:"breakdown,omitempty"`
}

// apiObservationWrite: POST /api/v1/observations adds a value, PUT changes
// one, DELETE removes one (its old value goes to the history).
func (h *Handler) apiObservationWrite(expect int) fiber.Handler {
	return func(c *fiber.Ctx) error {
		var in apiObservationInput
		ind, unit, err := h.decodeSubject(c, &in)
		if err != nil {
			return err
		}
		inputs := []models.ObservationInput{{Unit: *unit, Period: strings.TrimSpace(in.Period), Value: in.Value,
			Note: in.Note, Source: in.Source, Expect: expect, Breakdown: in.Breakdown}}
		obs := &inputs[0]
		if c.Method() == fiber.MethodDelete {
			obs.Value = nil
		} else if in.Value == nil {
			return models.Problems{"value": {Key: "error.required"}}
		}
		if err := h.store.SaveObservations(actor(c, models.ViaAPI), *ind, inputs); err != nil {
			return err
		}
		if c.Method() == fiber.MethodDelete {
			return c.SendStatus(fiber.StatusNoContent)
		}
		if expect == models.ExpectNew {
			c.Status(fiber.StatusCreated)
		}
		return c.JSON(fiber.Map{"indicator": ind.Code, "unit": unit.Code, "period": obs.Period, "value": *in.Value,
			"note": strings.TrimSpace(in.Note), "source": strings.TrimSpace(in.Source), "breakdown": obs.Breakdown})
	}
}
