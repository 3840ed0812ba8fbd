package handlers

import (
	"bytes"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"
)

// bodyLimit is the most a request body may weigh, except on the upload
// routes (-upload-max-bytes): forms and JSON are far smaller.
const bodyLimit = 1 << 20

// uploads are the routes that take files.
var uploads = map[string]bool{"POST /import": true, "POST /api/v1/import": true}

// routeBodyLimit is the largest body route r accepts.
func (h *Handler) routeBodyLimit(r Route) int {
	return h.bodyLimitFor(r.Method, r.Path)
}

// mayContinue answers a client that asks before sending its body
// ("Expect: 100-continue", as curl does for large files): a body over the
// route's limit is refused (417) and the connection closed, without inviting
// the client to send it. A client that then retries without asking gets the
// route's own 413 with its message.
func (h *Handler) mayContinue(header *fasthttp.RequestHeader) bool {
	path, _, _ := bytes.Cut(header.RequestURI(), []byte("?"))
	if header.ContentLength() > h.bodyLimitFor(string(header.Method()), string(path)) {
		header.SetConnectionClose()
		return false
	}
	return true
}

// bodyLimitFor is the largest body a request of method to path may carry.
func (h *Handler) bodyLimitFor(method, path string) int {
	if uploads[method+" "+path] {
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
