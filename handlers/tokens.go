package handlers

import (
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"tiendo/models"
)

type tokensData struct {
	Tokens []tokenRow
	New    string // a token just made, shown once
	Form   *form
	Days   int // how long a token lasts
	Max    int // live tokens a user may hold
}

// tokenRow is a token as the page lists it: its state is active, expired
// or revoked.
type tokenRow struct {
	models.APIToken
	State string
}

// newTokenCookie carries a token just made to the page that shows it once:
// the creating POST redirects (reloading never makes a second token), and
// the cookie lives a minute, only on this page, and is cleared when shown.
const newTokenCookie = "tiendo_new_token"

// tokensPage lists the signed-in user's API tokens, and a token just made.
func (h *Handler) tokensPage(c *fiber.Ctx) error {
	created := c.Cookies(newTokenCookie)
	if created != "" {
		c.Cookie(&fiber.Cookie{Name: newTokenCookie, Value: "", Path: "/account/tokens", Expires: time.Unix(1, 0),
			HTTPOnly: true, SameSite: fiber.CookieSameSiteStrictMode, Secure: c.Protocol() == "https"})
	}
	return h.renderTokens(c, fiber.StatusOK, created, newForm(h.lang(c)))
}

func (h *Handler) renderTokens(c *fiber.Ctx, status int, created string, f *form) error {
	p := h.page(c, "")
	p.Title = p.T("tokens.title")
	ts, err := h.store.Tokens(currentUser(c).ID)
	if err != nil {
		return err
	}
	f.translate(h.cat)
	policy := h.store.TokenPolicy()
	d := tokensData{New: created, Form: f, Days: int(policy.TTL.Hours() / 24), Max: policy.Max}
	now := h.store.Now()
	for _, t := range ts {
		state := "active"
		if t.RevokedAt != nil {
			state = "revoked"
		} else if !t.Live(now) {
			state = "expired"
		}
		d.Tokens = append(d.Tokens, tokenRow{APIToken: t, State: state})
	}
	p.Data = d
	return h.render(c, status, layoutApp, "tokens", p)
}

// createToken makes a token and shows it once.
func (h *Handler) createToken(c *fiber.Ctx) error {
	f := readForm(c, h.lang(c), "name", "read_only")
	token, err := h.store.CreateToken(actor(c, models.ViaForm), currentUser(c).ID, f.V("name"), f.Checked("read_only"))
	if err != nil {
		if f.absorb(err) {
			return h.renderTokens(c, fiber.StatusUnprocessableEntity, "", f)
		}
		return err
	}
	c.Cookie(&fiber.Cookie{Name: newTokenCookie, Value: token, Path: "/account/tokens", MaxAge: 60,
		HTTPOnly: true, SameSite: fiber.CookieSameSiteStrictMode, Secure: c.Protocol() == "https"})
	return c.Redirect(withLang(c, "/account/tokens"), fiber.StatusSeeOther)
}

// revokeToken ends one of the user's own tokens.
func (h *Handler) revokeToken(c *fiber.Ctx) error {
	id, err := strconv.ParseUint(c.Params("id"), 10, 63) // 63 bits: PostgreSQL ids are signed BIGINT
	if err != nil {
		return failure(fiber.StatusNotFound, "error.not_found")
	}
	if err := h.store.RevokeToken(actor(c, models.ViaForm), currentUser(c).ID, uint(id)); err != nil {
		return err
	}
	return h.done(c, withLang(c, "/account/tokens"), "done.token_revoked")
}
