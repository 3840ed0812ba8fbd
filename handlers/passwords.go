package handlers

import (
	"strconv"
	"time"

	"errors"

	"github.com/gofiber/fiber/v2"

	"tiendo/locale"
	"tiendo/models"
)

// passwordData is the page to change one's own password, or to set one
// from a reset link.
type passwordData struct {
	Form     *form
	Provider bool   // the account signs in through the identity provider: no password here
	Done     bool   // the password was just changed
	Token    string // the reset link's token, on the reset page
	Username string
}

// passwordPage lets any signed-in user change their own password.
func (h *Handler) passwordPage(c *fiber.Ctx) error {
	return h.renderPassword(c, fiber.StatusOK, newForm(h.lang(c)), c.Query("done") == "1")
}

func (h *Handler) renderPassword(c *fiber.Ctx, status int, f *form, done bool) error {
	p := h.page(c, "")
	p.Title = p.T("password.title")
	u := currentUser(c)
	f.translate(h.cat)
	p.Data = passwordData{Form: f, Provider: u.OIDCSubject != "", Done: done, Username: u.Username}
	return h.render(c, status, layoutApp, "password", p)
}

// changePassword checks the current password (under the sign-in rate
// limit), sets the new one through the store's one password method, which
// ends every session of the account, and signs this browser in afresh.
func (h *Handler) changePassword(c *fiber.Ctx) error {
	u := currentUser(c)
	f := newForm(h.lang(c))
	if u.OIDCSubject != "" {
		return failure(fiber.StatusForbidden, "error.password_provider")
	}
	if _, err := h.checkPassword(c, u.Username, c.FormValue("current")); err != nil {
		var ue *userError
		if !errors.As(err, &ue) {
			return err
		}
		f.prob.Add("current", ue.key, ue.args...)
		return h.renderPassword(c, fiber.StatusUnprocessableEntity, f, false)
	}
	if c.FormValue("password") != c.FormValue("repeat") {
		f.prob.Add("repeat", "error.password_repeat")
		return h.renderPassword(c, fiber.StatusUnprocessableEntity, f, false)
	}
	if err := h.store.SetPassword(actor(c, models.ViaForm), u.Username, c.FormValue("password")); err != nil {
		if f.absorb(err) {
			return h.renderPassword(c, fiber.StatusUnprocessableEntity, f, false)
		}
		return err
	}
	method := models.SignInPassword
	if s := currentSession(c); s != nil {
		method = s.Method
	}
	return h.startSession(c, u, method, withLang(c, "/account/password")+sep(c)+"done=1")
}

func sep(c *fiber.Ctx) string {
	if c.Query("lang") != "" {
		return "&"
	}
	return "?"
}

// resetPasswordLink makes a one-time reset link for an account and shows
// it once to the admin; an account with an e-mail address gets it by mail too.
func (h *Handler) resetPasswordLink(c *fiber.Ctx) error {
	u, err := h.userParam(c)
	if err != nil {
		return err
	}
	token, err := h.store.CreatePasswordReset(actor(c, models.ViaForm), u.ID)
	if err != nil {
		return err
	}
	link := h.linkBase(c) + "/password/reset/" + token
	// Also by e-mail when the account has an address (the outbox's worker
	// sends it when the server has SMTP settings).
	if u.Email != "" {
		lang := locale.Normalize(u.Lang)
		minutes := int(models.PasswordResetLifetime.Minutes())
		if _, err := h.store.QueueMail(models.Mail{Key: "reset:" + token[:16], UserID: u.ID, To: u.Email,
			Subject: h.cat.T(lang, "password.mail_subject"), Body: h.cat.T(lang, "password.mail_body", u.Username, link, minutes)}); err != nil {
			return err
		}
	}
	// Post-redirect-get, as for API tokens: the link travels to the
	// account's page in a cookie that lives a minute, only there, and is
	// cleared when shown; reloading makes no second link.
	page := "/admin/users/" + strconv.FormatUint(uint64(u.ID), 10)
	c.Cookie(&fiber.Cookie{Name: resetLinkCookie, Value: link, Path: page, MaxAge: 60,
		HTTPOnly: true, SameSite: fiber.CookieSameSiteStrictMode, Secure: c.Protocol() == "https"})
	return c.Redirect(withLang(c, page), fiber.StatusSeeOther)
}

// resetLinkCookie carries a reset link just made to the account's page.
const resetLinkCookie = "tiendo_reset_link"

// takeResetLink reads the link left for the account's page and clears it.
func (h *Handler) takeResetLink(c *fiber.Ctx) string {
	link := c.Cookies(resetLinkCookie)
	if link != "" {
		c.Cookie(&fiber.Cookie{Name: resetLinkCookie, Value: "", Path: c.Path(), Expires: time.Unix(1, 0),
			HTTPOnly: true, SameSite: fiber.CookieSameSiteStrictMode, Secure: c.Protocol() == "https"})
	}
	return link
}

const resetLinkLocal = "reset_link"

// resetPage shows the form of a reset link; a used or expired link says so.
func (h *Handler) resetPage(c *fiber.Ctx) error {
	u, err := h.store.PasswordResetUser(c.Params("token"))
	if errors.Is(err, models.ErrNotFound) {
		return failure(fiber.StatusGone, "password.link_invalid")
	} else if err != nil {
		return err
	}
	return h.renderReset(c, fiber.StatusOK, u, newForm(h.lang(c)))
}

func (h *Handler) renderReset(c *fiber.Ctx, status int, u *models.User, f *form) error {
	p := h.page(c, "")
	p.Title = p.T("password.reset_title")
	f.translate(h.cat)
	p.Data = passwordData{Form: f, Token: c.Params("token"), Username: u.Username}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return h.render(c, status, layoutApp, "password_reset", p)
}

// resetPassword sets the password of a reset link, then asks to sign in.
func (h *Handler) resetPassword(c *fiber.Ctx) error {
	token := c.Params("token")
	u, err := h.store.PasswordResetUser(token)
	if errors.Is(err, models.ErrNotFound) {
		return failure(fiber.StatusGone, "password.link_invalid")
	} else if err != nil {
		return err
	}
	f := newForm(h.lang(c))
	if c.FormValue("password") != c.FormValue("repeat") {
		f.prob.Add("repeat", "error.password_repeat")
		return h.renderReset(c, fiber.StatusUnprocessableEntity, u, f)
	}
	if _, err := h.store.UsePasswordReset(token, c.FormValue("password"), c.IP()); err != nil {
		if f.absorb(err) {
			return h.renderReset(c, fiber.StatusUnprocessableEntity, u, f)
		}
		return err
	}
	return c.Redirect(withLang(c, "/login")+sep(c)+"reset=1", fiber.StatusSeeOther)
}
