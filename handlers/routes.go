package handlers

import (
	"io/fs"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/compress"
	"github.com/gofiber/fiber/v2/middleware/filesystem"

	"tiendo/models"
	"tiendo/static"
)

// Route is one entry of the route table: who may use it is part of it.
type Route struct {
	Method string
	Path   string
	Role   models.Role // the least role needed; RoleAnonymous: public (unless private mode); Public: always open
	Handle fiber.Handler
}

// Shorter names for the table below.
const (
	anyone  = models.RoleAnonymous
	viewer  = models.RoleViewer
	analyst = models.RoleAnalyst
	planner = models.RolePlanner
	admin   = models.RoleAdmin
)

// Routes is the whole surface of the app, on one screen. h.unscoped marks
// what a planner scoped to one unit may not do; h.inScope is checked inside
// handlers that change a unit's data.
func (h *Handler) Routes() []Route {
	return []Route{
		{"GET", "/healthz", Public, h.healthz},
		{"GET", "/readyz", Public, h.readyz},
		// Metrics reveal traffic and sizes: admins only here; Prometheus
		// scrapes the separate -metrics-addr listener (see MetricsApp).
		{"GET", "/metrics", admin, h.metricsPage},
		{"GET", "/login", Public, h.loginPage},
		{"POST", "/login", Public, h.login},
		{"POST", "/api/v1/auth/token", Public, h.apiToken},
		{"GET", "/auth/oidc", Public, h.oidcStart},
		{"GET", "/auth/oidc/callback", Public, h.oidcCallback},
		{"GET", "/api/v1/me", viewer, h.apiMe},
		{"GET", "/api/v1/openapi.json", anyone, h.apiOpenAPI},
		{"GET", "/api", anyone, h.apiPage},
		{"GET", "/password/reset/:token", Public, h.resetPage},
		{"POST", "/password/reset/:token", Public, h.resetPassword},
		{"GET", "/account/password", viewer, h.passwordPage},
		{"POST", "/account/password", viewer, h.changePassword},
		{"POST", "/logout", viewer, h.logout},
		{"POST", "/logout/everywhere", viewer, h.logoutEverywhere},

		{"GET", "/", anyone, h.overview},
		{"GET", "/indicators/:code", anyone, h.indicator},
		{"GET", "/compare", anyone, h.compare},
		{"GET", "/briefing", anyone, h.briefing},
		{"GET", "/embed/indicators/:code", anyone, h.embed},
		{"GET", "/api/v1/units", anyone, h.apiUnits},
		{"GET", "/api/v1/indicators", anyone, h.apiIndicators},
		{"GET", "/api/v1/indicators/:code", anyone, h.apiIndicator},
		{"GET", "/api/v1/assessments", anyone, h.apiAssessments},
		{"GET", "/api/v1/dimensions", anyone, h.apiDimensions},
		{"GET", "/completeness", anyone, h.completenessPage},
		{"GET", "/api/v1/completeness", anyone, h.apiCompleteness},

		{"GET", "/account/tokens", viewer, h.tokensPage},
		{"POST", "/account/tokens", viewer, h.createToken},
		{"POST", "/account/tokens/:id/revoke", viewer, h.revokeToken},

		{"GET", "/notifications", viewer, h.notificationsPage},
		{"POST", "/notifications/read", viewer, h.markRead},
		{"GET", "/api/v1/notifications", viewer, h.apiNotifications},
		{"GET", "/alerts", viewer, h.alertsPage},
		{"POST", "/alerts/:id/subscribe", viewer, h.subscribeRule},
		{"POST", "/alerts", planner, h.saveRule},
		{"GET", "/alerts/:id", planner, h.alertRulePage},
		{"POST", "/alerts/:id", planner, h.saveRule},
		{"POST", "/alerts/:id/delete", planner, h.deleteRule},

		{"GET", "/account/settings", viewer, h.settingsPage},
		{"POST", "/account/settings", viewer, h.saveSettings},
		{"GET", "/digest", viewer, h.digestPreview},
		{"GET", "/unsubscribe", Public, h.unsubscribe},

		{"GET", "/api/v1/export", viewer, h.apiExport}, // viewers: PDF and XLSX only
		{"GET", "/audit", analyst, h.auditPage},
		{"GET", "/audit/:id", analyst, h.auditEntryPage},
		{"GET", "/api/v1/audit", analyst, h.apiAudit},

		{"GET", "/edit", planner, h.editHome},
		{"GET", "/edit/pillars", planner, h.unscoped(h.pillarsPage)},
		{"POST", "/edit/pillars", planner, h.unscoped(h.createPillar)},
		{"GET", "/edit/indicators/new", planner, h.unscoped(h.newIndicator)},
		{"POST", "/edit/indicators", planner, h.unscoped(h.createIndicator)},
		{"GET", "/edit/indicators/:code", planner, h.unscoped(h.editIndicator)},
		{"POST", "/edit/indicators/:code", planner, h.unscoped(h.updateIndicator)},
		{"POST", "/edit/indicators/:code/retire", planner, h.unscoped(h.retireIndicator)},
		{"GET", "/edit/indicators/:code/targets", planner, h.targetsPage},
		{"POST", "/edit/indicators/:code/targets", planner, h.saveTarget},
		{"POST", "/edit/indicators/:code/targets/withdraw", planner, h.withdrawTarget},
		{"GET", "/edit/indicators/:code/grid", planner, h.gridPage},
		{"POST", "/edit/indicators/:code/grid", planner, h.saveGrid},
		{"GET", "/edit/indicators/:code/value", planner, h.valuePage},
		{"POST", "/edit/indicators/:code/value", planner, h.saveValue},
		{"GET", "/edit/breakdowns", planner, h.unscoped(h.breakdownsPage)},
		{"POST", "/edit/breakdowns/dimensions", planner, h.unscoped(h.createDimension)},
		{"POST", "/edit/breakdowns/values", planner, h.unscoped(h.createDimensionValue)},
		{"POST", "/edit/breakdowns/indicator", planner, h.unscoped(h.saveIndicatorBreakdowns)},

		{"POST", "/api/v1/indicators", planner, h.unscoped(h.apiCreateIndicator)},
		{"PUT", "/api/v1/indicators/:code", planner, h.unscoped(h.apiUpdateIndicator)},
		{"DELETE", "/api/v1/indicators/:code", planner, h.unscoped(h.apiRetireIndicator)},
		{"POST", "/api/v1/targets", planner, h.apiTargetWrite(models.ExpectNew)},
		{"PUT", "/api/v1/targets", planner, h.apiTargetWrite(models.ExpectExisting)},
		{"DELETE", "/api/v1/targets", planner, h.apiWithdrawTarget},
		{"POST", "/api/v1/observations", planner, h.apiObservationWrite(models.ExpectNew)},
		{"PUT", "/api/v1/observations", planner, h.apiObservationWrite(models.ExpectExisting)},
		{"DELETE", "/api/v1/observations", planner, h.apiObservationWrite(models.ExpectExisting)},
		{"POST", "/api/v1/dimensions", planner, h.unscoped(h.apiCreateDimension)},
		{"POST", "/api/v1/dimensions/:code/values", planner, h.unscoped(h.apiCreateDimensionValue)},

		{"GET", "/import", planner, h.importShow},
		{"POST", "/import", planner, h.importPost},
		{"GET", "/import/template.csv", planner, h.importTemplate},
		{"POST", "/api/v1/import", planner, h.apiImport},

		{"GET", "/admin/outbox", admin, h.outboxPage},
		{"POST", "/admin/outbox/:id/retry", admin, h.retryMail},
		{"GET", "/admin/units", admin, h.unitsPage},
		{"GET", "/admin/units/:code", admin, h.unitPage},
		{"POST", "/admin/units/:code", admin, h.updateUnit},
		{"GET", "/admin/users", admin, h.usersPage},
		{"POST", "/admin/users", admin, h.createUser},
		{"GET", "/admin/users/:id", admin, h.userPage},
		{"POST", "/admin/users/:id", admin, h.updateUser},
		{"POST", "/admin/users/:id/reset", admin, h.resetPasswordLink},
	}
}

// Register mounts the static files and every route on app.
func (h *Handler) Register(app *fiber.App) {
	// observe is outermost: it sees the final status and size of every
	// response; then the security headers; then compression.
	app.Use(h.observe, securityHeaders)
	// Compression outside, so a 304 is decided on the plain body and then
	// sent as is; BestSpeed because pages are compressed per request.
	app.Use(compress.New(compress.Config{Level: compress.LevelBestSpeed}), conditional)
	sub, _ := fs.Sub(static.FS, ".")
	app.Use("/static", func(c *fiber.Ctx) error {
		// Files are embedded in the binary: their checksum is their ETag.
		if sum, ok := h.assets[strings.TrimPrefix(c.Path(), "/static/")]; ok {
			c.Set(fiber.HeaderETag, `"`+sum+`"`)
			lastModified(c, started)
		}
		// Asset URLs carry their checksum, in the query or the name, so they
		// can be cached for a year.
		if c.Query("v") != "" || hashedName.MatchString(strings.TrimPrefix(c.Path(), "/static/")) {
			c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
		} else {
			c.Set(fiber.HeaderCacheControl, "public, max-age=300")
		}
		return c.Next()
	}, filesystem.New(filesystem.Config{Root: httpFS(sub)}))
	app.Use(h.identify)
	for _, r := range h.Routes() {
		chain := []fiber.Handler{h.limitBody(h.routeBodyLimit(r)), h.require(r.Role)}
		// Only what anyone may read is stored and shared (see cache.go); probes
		// and metrics are always fresh.
		if r.Method == fiber.MethodGet && r.Role == models.RoleAnonymous && !uncached[r.Path] {
			chain = append(chain, h.cacheResponse)
		}
		app.Add(r.Method, r.Path, append(chain, r.Handle)...)
	}
}

// uncached are the GET routes that must answer live, never from the cache:
// probes and metrics.
var uncached = map[string]bool{"/healthz": true, "/readyz": true, "/metrics": true}
