package handlers

import "github.com/gofiber/fiber/v2"

// healthz answers 200 once the database answers.
func (h *Handler) healthz(c *fiber.Ctx) error {
	if err := h.store.Ping(); err != nil {
		return c.Status(fiber.StatusServiceUnavailable).JSON(fiber.Map{"status": "unavailable", "error": "database unreachable"})
	}
	return c.JSON(fiber.Map{"status": "ok", "version": h.version})
}
