package handlers

import (
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"tiendo/locale"
	"tiendo/models"
	"tiendo/notify"
)

// outboxSize is how many messages the outbox page shows.
const outboxSize = 200

type outboxRow struct {
	models.Mail
	StateLabel, Created string
}

type outboxData struct {
	Rows     []outboxRow
	SMTP     bool
	Attempts int
}

// outboxPage shows admins every message: queued, sent or failed, with the
// last error.
func (h *Handler) outboxPage(c *fiber.Ctx) error {
	p := h.page(c, "")
	p.Title = p.T("outbox.title")
	ms, err := h.store.Outbox(outboxSize)
	if err != nil {
		return err
	}
	d := outboxData{SMTP: h.cfg.SMTP, Attempts: models.MailAttempts}
	for _, m := range ms {
		d.Rows = append(d.Rows, outboxRow{Mail: m, StateLabel: p.T("outbox.state." + m.State),
			Created: p.Time(m.CreatedAt)})
	}
	p.Data = d
	return h.render(c, fiber.StatusOK, layoutApp, "outbox", p)
}

// retryMail puts a failed message back in the queue.
func (h *Handler) retryMail(c *fiber.Ctx) error {
	id, err := strconv.ParseUint(c.Params("id"), 10, 63) // 63 bits: PostgreSQL ids are signed BIGINT
	if err != nil {
		return failure(fiber.StatusNotFound, "error.not_found")
	}
	if err := h.store.RetryMail(uint(id)); err != nil {
		return err
	}
	return c.Redirect(withLang(c, "/admin/outbox"), fiber.StatusSeeOther)
}

// mailer renders mail with links to this app.
func (h *Handler) mailer(c *fiber.Ctx) *notify.Mailer {
	base := h.cfg.PublicURL
	if base == "" {
		base = c.BaseURL()
	}
	return &notify.Mailer{Store: h.store, Cat: h.cat, BaseURL: base, DefaultUnit: h.cfg.DefaultUnit}
}

type unsubscribeData struct {
	Message string
	Done    bool
}

// unsubscribe is the one-click link of every e-mail: the signed token is
// the only credential; the settings page (signed in) turns mail on again.
func (h *Handler) unsubscribe(c *fiber.Ctx) error {
	p := h.page(c, "")
	p.Title = p.T("unsubscribe.title")
	token := c.Query("token")
	u, err := h.store.Unsubscribe(token)
	if errors.Is(err, models.ErrBadToken) {
		return failure(fiber.StatusBadRequest, "unsubscribe.bad")
	}
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	p.Data = unsubscribeData{Message: p.T("unsubscribe.done", u.Username), Done: true}
	return h.render(c, fiber.StatusOK, layoutApp, "unsubscribe", p)
}

type settingsData struct {
	Email, Lang string
	MailOn      bool
	Saved       bool
}

// settingsPage is the signed-in user's mail settings.
func (h *Handler) settingsPage(c *fiber.Ctx) error {
	p := h.page(c, "")
	p.Title = p.T("settings.title")
	u, err := h.store.UserByID(currentUser(c).ID)
	if err != nil {
		return err
	}
	p.Data = settingsData{Email: u.Email, Lang: u.Lang, MailOn: !u.MailOff, Saved: c.Query("saved") == "1"}
	return h.render(c, fiber.StatusOK, layoutApp, "settings", p)
}

// saveSettings stores the mail toggle and the language of mail.
func (h *Handler) saveSettings(c *fiber.Ctx) error {
	u := currentUser(c)
	if err := h.store.SetMailOff(u.ID, c.FormValue("mail") != "1"); err != nil {
		return err
	}
	if err := h.store.SetLanguage(u.ID, locale.Normalize(c.FormValue("lang_mail"))); err != nil {
		return err
	}
	return c.Redirect(withLang(c, "/account/settings?saved=1"), fiber.StatusSeeOther)
}

type previewData struct {
	Mail                   models.Mail
	MailLang               string // the recipient's language, which may differ from the page's
	When, Schedule         string
	NoEmail, Off, Attached bool
}

// digestPreview shows exactly the next digest of the signed-in user.
func (h *Handler) digestPreview(c *fiber.Ctx) error {
	p := h.page(c, "")
	p.Title = p.T("digest.preview_title")
	u, err := h.store.UserByID(currentUser(c).ID)
	if err != nil {
		return err
	}
	sc := h.cfg.DigestSchedule
	if sc.Loc == nil && !sc.Off {
		sc, _ = notify.ParseSchedule(notify.DefaultSchedule) // not configured: the default
	}
	next := p.Now
	d := previewData{NoEmail: u.Email == "", Off: u.MailOff, Schedule: p.T("digest.schedule_off"), MailLang: locale.Normalize(u.Lang)}
	if !sc.Off {
		next = sc.Next(p.Now)
		d.Schedule = sc.String()
	}
	d.When = p.Date(next.In(locale.Zone))
	if d.Mail, err = h.mailer(c).Digest(*u, next); err != nil {
		return err
	}
	p.Data = d
	return h.render(c, fiber.StatusOK, layoutApp, "digest", p)
}
