package handlers

import (
	"log/slog"
	"time"

	"github.com/gofiber/fiber/v2"

	"tiendo/models"
)

// NewApp is New and App at once, for callers that need no more of the
// Handler (the benchmarks); the server and apptest call New, then App.
func NewApp(store *models.Store, cfg Config, log *slog.Logger, version string) (*fiber.App, error) {
	h, err := New(store, cfg, log, version)
	if err != nil {
		return nil, err
	}
	return h.App(), nil
}

// App builds the Fiber app serving every route of h.
func (h *Handler) App() *fiber.App {
	app := fiber.New(fiber.Config{
		ErrorHandler:          h.ErrorHandler,
		DisableStartupMessage: true,
		ReadTimeout:           30 * time.Second,
		WriteTimeout:          120 * time.Second,
		// Bodies are read only when a handler asks, after the route's limit
		// (routeBodyLimit) and the caller's rights are checked; fasthttp's own
		// limit stays as a last bound.
		StreamRequestBody:            true,
		DisablePreParseMultipartForm: true,
		BodyLimit:                    int(h.uploadMaxBytes()) + 16<<20,
		// Forwarded headers count only from the configured proxies
		// (forwardedClient picks the client among them).
		EnableTrustedProxyCheck: true,
		TrustedProxies:          proxyRanges(h.trusted),
		ProxyHeader:             fiber.HeaderXForwardedFor,
		EnableIPValidation:      true,
	})
	app.Server().ContinueHandler = h.mayContinue
	h.Register(app)
	return app
}

// MetricsApp serves only /metrics, for a listener Prometheus reaches on a
// private address (-metrics-addr); it reports the requests h's App counts.
func (h *Handler) MetricsApp() *fiber.App {
	app := fiber.New(fiber.Config{DisableStartupMessage: true, ReadTimeout: 10 * time.Second})
	app.Get("/metrics", h.metricsPage)
	return app
}
