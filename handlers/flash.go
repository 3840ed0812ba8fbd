package handlers

import (
	"net/url"
	"time"

	"github.com/gofiber/fiber/v2"
)

// After a change the browser is sent on with a redirect (post-redirect-get:
// reloading never repeats the change), and the confirmation travels in a
// short-lived cookie that the next page shows once and clears.
const flashCookie = "tiendo_flash"

// flash leaves msg (already translated) for the next page the user sees.
func (h *Handler) flash(c *fiber.Ctx, msg string) {
	c.Cookie(&fiber.Cookie{Name: flashCookie, Value: url.QueryEscape(msg), Path: "/", MaxAge: 60,
		HTTPOnly: true, SameSite: fiber.CookieSameSiteLaxMode, Secure: c.Protocol() == "https"})
}

// takeFlash reads the confirmation left for this page and clears it.
func (h *Handler) takeFlash(c *fiber.Ctx) string {
	v := c.Cookies(flashCookie)
	if v == "" {
		return ""
	}
	c.Cookie(&fiber.Cookie{Name: flashCookie, Value: "", Path: "/", Expires: time.Unix(1, 0),
		HTTPOnly: true, SameSite: fiber.CookieSameSiteLaxMode, Secure: c.Protocol() == "https"})
	msg, err := url.QueryUnescape(v)
	if err != nil {
		return ""
	}
	return msg
}

// done confirms a change and sends the browser to where the user was.
func (h *Handler) done(c *fiber.Ctx, to, key string, args ...any) error {
	h.flash(c, h.cat.T(h.lang(c), key, args...))
	return c.Redirect(to, fiber.StatusSeeOther)
}
