package handlers

import (
	"io/fs"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/filesystem"

	"tiendo/models"
	"tiendo/static"
)

// Route is one entry of the route table: who may use it is part of it.
type Route struct {
	Method string
	Path   string
	Role   models.Role // the least role needed; RoleAnonymous: public (unless private mode)
	Handle fiber.Handler
}

// Routes is the whole surface of the app, on one screen.
func (h *Handler) Routes() []Route {
	return []Route{
		{"GET", "/healthz", models.RoleAnonymous, h.healthz},
		{"GET", "/readyz", models.RoleAnonymous, h.readyz},
		// Metrics reveal traffic and sizes: admins only here; Prometheus
		// scrapes the separate -metrics-addr listener (see MetricsApp).
		{"GET", "/metrics", models.RoleAdmin, h.metricsPage},
		{"GET", "/", models.RoleAnonymous, h.overview},
		{"GET", "/indicators/:code", models.RoleAnonymous, h.indicator},

		{"GET", "/api/v1/units", models.RoleAnonymous, h.apiUnits},
		{"GET", "/api/v1/indicators", models.RoleAnonymous, h.apiIndicators},
		{"GET", "/api/v1/indicators/:code", models.RoleAnonymous, h.apiIndicator},
		{"GET", "/api/v1/assessments", models.RoleAnonymous, h.apiAssessments},
	}
}

// Register mounts the static files and every route on app.
func (h *Handler) Register(app *fiber.App) {
	app.Use(h.observe, securityHeaders)
	sub, _ := fs.Sub(static.FS, ".")
	app.Use("/static", func(c *fiber.Ctx) error {
		// Asset URLs carry their checksum, so they can be cached for a year.
		if c.Query("v") != "" {
			c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
		} else {
			c.Set(fiber.HeaderCacheControl, "public, max-age=300")
		}
		return c.Next()
	}, filesystem.New(filesystem.Config{Root: httpFS(sub)}))
	for _, r := range h.Routes() {
		app.Add(r.Method, r.Path, h.require(r.Role), r.Handle)
	}
}

// require lets a request through when its user has the role the route needs.
// Accounts come with the planners' work; until then everything is public.
func (h *Handler) require(role models.Role) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if role != models.RoleAnonymous {
			return fiber.ErrForbidden
		}
		return c.Next()
	}
}
