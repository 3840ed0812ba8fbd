package handlers

import (
	"github.com/gofiber/fiber/v2"

	"tiendo/charts"
)

// briefing is the overview of one unit at one milestone as a dated A4 page
// that prints well in black and white.
func (h *Handler) briefing(c *fiber.Ctx) error {
	p := h.page(c, "")
	d, _, err := h.overviewData(c, p, "/briefing")
	if err != nil {
		return err
	}
	// The briefing lists the rows the overview lists, so its counts are the
	// overview's and add up to its rows.
	d.PillarChart = charts.ForPrint(d.PillarChart)
	p.Title = p.T("leaders.briefing_title", d.Name)
	p.Data = d
	return h.render(c, fiber.StatusOK, layoutApp, "briefing", p)
}
