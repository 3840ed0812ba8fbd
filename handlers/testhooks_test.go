package handlers

import (
	"bufio"
	"io"

	"github.com/gofiber/fiber/v2"
)

// AddPanicRoutes adds routes that panic, in the handler and in a streamed
// body, so the tests can check that nothing a request does kills the server.
func AddPanicRoutes(h *Handler, app *fiber.App) {
	app.Get("/test/panic", func(*fiber.Ctx) error { panic("boom in a handler") })
	app.Get("/api/test/panic", func(*fiber.Ctx) error { panic("boom in an API handler") })
	app.Get("/api/test/panic-stream", func(c *fiber.Ctx) error {
		c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
		return h.stream(c, func(w *bufio.Writer) error {
			_, _ = io.WriteString(w, "the first rows,")
			_ = w.Flush()
			panic("boom in a stream writer")
		})
	})
}

// PublicParams are the query parameters the response cache keeps.
func PublicParams() map[string]bool {
	out := map[string]bool{}
	for k := range publicParams {
		out[k] = true
	}
	return out
}

// PendingImportBytes is what the previewed uploads waiting for their
// commit weigh.
func (h *Handler) PendingImportBytes() int { return h.imports.Bytes() }
