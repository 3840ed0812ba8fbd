package handlers

import (
	"errors"
	"slices"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"tiendo/locale"
	"tiendo/models"
)

// The request parameters every page and the API read (?unit=, :code,
// ?year=, ?pillar=, ?lang=), each read and checked here, once. Only what
// does not exist is a 404; a database that fails while looking is a 500.

// unitParam reads ?unit=, defaulting to the configured unit (-default-unit).
func (h *Handler) unitParam(c *fiber.Ctx) (*models.Unit, error) {
	return h.unitByCode(c.Query("unit", h.cfg.DefaultUnit))
}

// unitByCode is the unit of a code a request names.
func (h *Handler) unitByCode(code string) (*models.Unit, error) {
	u, err := h.store.UnitByCode(code)
	if errors.Is(err, models.ErrNotFound) {
		return nil, failure(fiber.StatusNotFound, "error.unknown_unit", code)
	}
	return u, err
}

// indicatorParam reads the indicator code of the path (:code).
func (h *Handler) indicatorParam(c *fiber.Ctx) (*models.Indicator, error) {
	return h.indicatorByCode(c.Params("code"))
}

// indicatorByCode is the indicator of a code a request names.
func (h *Handler) indicatorByCode(code string) (*models.Indicator, error) {
	ind, err := h.store.IndicatorByCode(code)
	if errors.Is(err, models.ErrNotFound) {
		return nil, failure(fiber.StatusNotFound, "error.unknown_indicator", code)
	}
	return ind, err
}

// yearParam reads ?year=, a year from models.MinYear to models.MaxYear; 0
// when absent.
func yearParam(c *fiber.Ctx) (int, error) {
	q := c.Query("year")
	if q == "" {
		return 0, nil
	}
	y, err := strconv.Atoi(q)
	if err != nil || y < models.MinYear || y > models.MaxYear {
		return 0, failure(fiber.StatusBadRequest, "error.bad_year", q)
	}
	return y, nil
}

// milestoneParam reads ?year=, defaulting to the next of milestones.
func milestoneParam(c *fiber.Ctx, milestones []int, now time.Time) (int, error) {
	y, err := yearParam(c)
	if err != nil || y != 0 {
		return y, err
	}
	return models.DefaultMilestone(milestones, now), nil
}

// pillarParam reads ?pillar=: "" (every pillar) or the code of one of pillars.
func pillarParam(c *fiber.Ctx, pillars []models.Pillar) (string, error) {
	code := c.Query("pillar")
	if code == "" || slices.ContainsFunc(pillars, func(p models.Pillar) bool { return p.Code == code }) {
		return code, nil
	}
	return "", failure(fiber.StatusBadRequest, "error.unknown_pillar", code)
}

const langCookie = "lang"

// lang picks the language: ?lang= (remembered in a cookie), else the cookie,
// else Vietnamese.
func (h *Handler) lang(c *fiber.Ctx) string {
	if q := c.Query("lang"); q != "" {
		lang := locale.Normalize(q)
		if c.Cookies(langCookie) != lang {
			c.Cookie(&fiber.Cookie{Name: langCookie, Value: lang, Path: "/", MaxAge: 365 * 24 * 3600,
				HTTPOnly: true, SameSite: fiber.CookieSameSiteLaxMode, Secure: c.Protocol() == "https"})
		}
		return lang
	}
	if v := c.Cookies(langCookie); v != "" {
		return locale.Normalize(v)
	}
	return locale.Default
}
