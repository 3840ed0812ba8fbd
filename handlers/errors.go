package handlers

import (
	"errors"
	"sort"
	"strings"

	"github.com/gofiber/fiber/v2"

	"tiendo/models"
)

// userError is an error a user caused and can read: a status and a
// translation key with its arguments.
type userError struct {
	status int
	key    string
	args   []any
}

func (e *userError) Error() string { return e.key }

func failure(status int, key string, args ...any) error {
	return &userError{status: status, key: key, args: args}
}

// ErrorHandler is the one door every error leaves by: users get a translated
// message (JSON under /api, a page elsewhere); logs get the detail.
func (h *Handler) ErrorHandler(c *fiber.Ctx, err error) error {
	// An error of the HTTP layer, before any middleware ran (the request
	// could not even be read, so its path is unknown): answered in JSON,
	// which any client can read.
	layer := requestID(c) == ""
	if layer {
		id := newRequestID()
		c.Locals(requestIDHeader, id)
		c.Set(requestIDHeader, id)
	}
	status, key, args := fiber.StatusInternalServerError, "error.internal", []any(nil)
	var ue *userError
	var fe *fiber.Error
	var probs models.Problems
	if errors.As(err, &probs) {
		return h.problemsResponse(c, probs)
	}
	switch {
	case errors.As(err, &ue):
		status, key, args = ue.status, ue.key, ue.args
	case errors.Is(err, models.ErrNotFound):
		status, key = fiber.StatusNotFound, "error.not_found"
	case errors.As(err, &fe):
		status = fe.Code
		if status == fiber.StatusNotFound {
			key = "error.not_found"
		} else if status == fiber.StatusRequestEntityTooLarge {
			key, args = "error.body_too_large", []any{bodyLimit >> 20}
		} else if status < 500 {
			key = "error.bad_request"
		}
	}
	if status >= 500 {
		h.log.Error("request failed", "request_id", requestID(c), "method", c.Method(), "uri", c.OriginalURL(), "status", status, "error", err)
	}
	lang := h.lang(c)
	msg := h.cat.T(lang, key, args...)
	if isAPI(c) || layer {
		return c.Status(status).JSON(fiber.Map{"error": msg, "status": status, "request_id": requestID(c)})
	}
	p := h.page(c, h.cat.T(lang, "error.title"))
	p.Data = errorData{Message: msg, RequestID: requestID(c)}
	return h.render(c, status, layoutApp, "error", p)
}

// errorData is what the error page shows: the message, and the request id
// to quote when reporting it (the same id is in the log).
type errorData struct{ Message, RequestID string }

func isAPI(c *fiber.Ctx) bool { return strings.HasPrefix(c.Path(), "/api/") }

// problemsResponse answers refused input: 422 with a message per field.
func (h *Handler) problemsResponse(c *fiber.Ctx, probs models.Problems) error {
	lang := h.lang(c)
	fields := problemMessages(h.cat, lang, probs)
	msg := h.cat.T(lang, "error.invalid")
	if isAPI(c) {
		return c.Status(fiber.StatusUnprocessableEntity).JSON(fiber.Map{"error": msg, "status": fiber.StatusUnprocessableEntity, "fields": fields, "request_id": requestID(c)})
	}
	var lines []string
	for k, v := range fields {
		lines = append(lines, k+": "+v)
	}
	sort.Strings(lines)
	p := h.page(c, h.cat.T(lang, "error.title"))
	p.Data = errorData{Message: msg + " " + strings.Join(lines, "; "), RequestID: requestID(c)}
	return h.render(c, fiber.StatusUnprocessableEntity, layoutApp, "error", p)
}
