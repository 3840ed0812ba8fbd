package handlers

import (
	"runtime"
	"runtime/debug"

	"github.com/gofiber/fiber/v2"

	"tiendo/models"
)

// Info is what a binary knows about its own build.
type Info struct {
	Version   string `json:"version"`
	Revision  string `json:"revision,omitempty"`
	Modified  bool   `json:"modified,omitempty"`
	BuildTime string `json:"build_time,omitempty"`
	GoVersion string `json:"go_version"`
}

// BuildInfo returns the version given at build time with what the Go
// toolchain recorded (commit, time, Go version).
func BuildInfo(version string) Info {
	info := Info{Version: version, GoVersion: runtime.Version()}
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				info.Revision = s.Value
			case "vcs.time":
				info.BuildTime = s.Value
			case "vcs.modified":
				info.Modified = s.Value == "true"
			}
		}
	}
	return info
}

// healthz is the liveness check: 200 while the process and its database
// answer. It says nothing else: anyone may call it, even with -private, and
// the build is for `tiendo version` and /metrics.
func (h *Handler) healthz(c *fiber.Ctx) error {
	if err := h.store.Ping(); err != nil {
		return c.Status(fiber.StatusServiceUnavailable).JSON(fiber.Map{"status": "unavailable"})
	}
	return c.JSON(fiber.Map{"status": "ok"})
}

// readyz is the readiness check: 200 once the database answers and carries
// every migration this binary knows, so a load balancer sends no traffic to
// an instance still migrating or cut off from its database.
func (h *Handler) readyz(c *fiber.Ctx) error {
	if err := h.store.Ping(); err != nil {
		return c.Status(fiber.StatusServiceUnavailable).JSON(fiber.Map{"status": "unavailable", "reason": "database unreachable"})
	}
	v, err := h.store.AppliedSchemaVersion()
	if err != nil || v < models.SchemaVersion() {
		return c.Status(fiber.StatusServiceUnavailable).JSON(fiber.Map{"status": "unavailable", "reason": "schema not migrated", "schema": v, "want": models.SchemaVersion()})
	}
	return c.JSON(fiber.Map{"status": "ready", "schema": v})
}
