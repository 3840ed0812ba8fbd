package handlers

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"runtime/debug"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
)

// requestIDHeader carries a request's id in and out, so one line of a
// proxy's log can be matched with ours.
const requestIDHeader = "X-Request-Id"

// The Content-Security-Policy: scripts only from the app itself (charts are
// drawn by static/js/charts.js from data attributes, never inline). Styles
// allow 'unsafe-inline' because ECharts writes its tooltips as HTML with style
// attributes; our own templates carry no style attribute (a test checks).
const csp = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; " +
	"base-uri 'self'; form-action 'self'; frame-ancestors 'none'"

// cspFramable is the same policy for the pages meant to be embedded in other
// sites (/embed/…): any site may frame them.
var cspFramable = strings.Replace(csp, "frame-ancestors 'none'", "frame-ancestors *", 1)

// observe is the outermost middleware: it gives the request an id, turns a
// returned error into its response (so the status is known here), then
// writes the access log line and counts the request for /metrics.
func (h *Handler) observe(c *fiber.Ctx) error {
	start := time.Now()
	h.forwardedClient(c)
	id := c.Get(requestIDHeader)
	if !validRequestID(id) {
		id = newRequestID()
	}
	c.Locals(requestIDHeader, id)
	c.Set(requestIDHeader, id)
	if err := h.next(c); err != nil {
		if err := c.App().ErrorHandler(c, err); err != nil {
			_ = c.SendStatus(fiber.StatusInternalServerError)
		}
	}
	// A body no handler read is still on the connection: close it rather
	// than read what may be megabytes sent by anyone.
	if cl := c.Request().Header.ContentLength(); cl != 0 && c.Request().IsBodyStream() {
		c.Context().SetConnectionClose()
	}
	elapsed := time.Since(start)
	status := c.Response().StatusCode()
	route := c.Route().Path
	if strings.HasPrefix(c.Path(), "/static/") {
		route = "/static/*" // one series for every asset, not one per file
	} else if status == fiber.StatusNotFound && route == "/" && c.Path() != "/" {
		route = "unmatched" // keep unknown paths out of the metric labels
	}
	h.metrics.observe(c.Method(), route, status, elapsed)
	if !strings.HasPrefix(c.Path(), "/static/") {
		h.log.LogAttrs(c.UserContext(), slog.LevelInfo, "request",
			slog.String("request_id", id),
			slog.String("method", c.Method()),
			slog.String("path", c.Path()),
			slog.String("route", route),
			slog.Int("status", status),
			slog.Int("bytes", len(c.Response().Body())),
			slog.Float64("ms", float64(elapsed.Microseconds())/1000),
			slog.String("ip", c.IP()),
		)
	}
	return nil
}

// next runs the rest of the chain, turning a panic into an error: a logged
// 500 with the request id, and the server keeps serving.
func (h *Handler) next(c *fiber.Ctx) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v\n%s", r, debug.Stack())
		}
	}()
	return c.Next()
}

// securityHeaders sets the headers every response carries.
func securityHeaders(c *fiber.Ctx) error {
	c.Set("X-Content-Type-Options", "nosniff")
	c.Set("Referrer-Policy", "strict-origin-when-cross-origin")
	c.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()")
	c.Set("Cross-Origin-Opener-Policy", "same-origin")
	if strings.HasPrefix(c.Path(), "/embed/") {
		c.Set("Content-Security-Policy", cspFramable)
	} else {
		c.Set("Content-Security-Policy", csp)
		c.Set("X-Frame-Options", "DENY")
	}
	if c.Protocol() == "https" {
		c.Set("Strict-Transport-Security", "max-age=31536000")
	}
	return c.Next()
}

// requestID returns the id observe gave the request.
func requestID(c *fiber.Ctx) string {
	id, _ := c.Locals(requestIDHeader).(string)
	return id
}

// validRequestID accepts a client's id only when it is short and plain, so
// it cannot forge log lines.
func validRequestID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, r := range id {
		plain := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.'
		if !plain {
			return false
		}
	}
	return true
}

func newRequestID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
