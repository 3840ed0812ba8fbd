package handlers

import (
	"github.com/gofiber/fiber/v2"
)

// bodyLimit is the most a request body may weigh, except on the upload
// routes (-upload-max-bytes): forms and JSON are far smaller.
const bodyLimit = 1 << 20

// uploads are the routes that take files.
var uploads = map[string]bool{"POST /import": true, "POST /api/v1/import": true}

// routeBodyLimit is the largest body route r accepts.
func (h *Handler) routeBodyLimit(r Route) int {
	if uploads[r.Method+" "+r.Path] {
		// Room to read an upload just over the limit and answer with the
		// import page's own message; beyond it the connection is cut.
		return int(h.uploadMaxBytes()) + 16<<20
	}
	return bodyLimit
}

// limitBody refuses a body larger than max from its Content-Length, before
// any of it is read (the app streams bodies), and a body without a length,
// which could only be bounded by reading it. The connection is closed, so
// the rest is never read.
func (h *Handler) limitBody(max int) fiber.Handler {
	return func(c *fiber.Ctx) error {
		switch cl := c.Request().Header.ContentLength(); {
		case cl == -1:
			c.Context().SetConnectionClose()
			return failure(fiber.StatusLengthRequired, "error.length_required")
		case cl > max:
			c.Context().SetConnectionClose()
			if max > bodyLimit {
				return h.tooLarge()
			}
			return failure(fiber.StatusRequestEntityTooLarge, "error.body_too_large", max>>20)
		}
		return c.Next()
	}
}
