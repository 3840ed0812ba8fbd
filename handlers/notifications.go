package handlers

import (
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"tiendo/models"
	"tiendo/notify"
)

// inboxSize is how many notifications the inbox and its API show.
const inboxSize = 100

type inboxItem struct {
	ID      uint      `json:"id"`
	Kind    string    `json:"kind"`
	Title   string    `json:"title"`
	Link    string    `json:"link"`
	Created time.Time `json:"created_at"`
	Read    bool      `json:"read"`
	When    string    `json:"-"`
}

type inboxData struct {
	Items  []inboxItem `json:"notifications"`
	Unread int64       `json:"unread"`
}

// inbox reads the signed-in user's notifications, each as a line in the
// page's language.
func (h *Handler) inbox(c *fiber.Ctx, p *Page) (*inboxData, error) {
	ns, unread, err := h.store.Inbox(currentUser(c).ID, inboxSize)
	if err != nil {
		return nil, err
	}
	names, err := notify.LoadNames(h.store)
	if err != nil {
		return nil, err
	}
	d := &inboxData{Unread: unread, Items: []inboxItem{}}
	for _, n := range ns {
		d.Items = append(d.Items, inboxItem{ID: n.ID, Kind: n.Kind, Title: notify.Title(h.cat, p.Lang, n, names),
			Link: n.Link, Created: n.CreatedAt, Read: n.ReadAt != nil, When: p.Date(n.CreatedAt)})
	}
	return d, nil
}

// notificationsPage is the inbox: newest first, each linking to the page
// that shows the problem.
func (h *Handler) notificationsPage(c *fiber.Ctx) error {
	p := h.page(c, "")
	d, err := h.inbox(c, p)
	if err != nil {
		return err
	}
	p.Title = p.T("inbox.title")
	p.Data = d
	return h.render(c, fiber.StatusOK, layoutApp, "notifications", p)
}

// apiNotifications is GET /api/v1/notifications.
func (h *Handler) apiNotifications(c *fiber.Ctx) error {
	d, err := h.inbox(c, h.page(c, ""))
	if err != nil {
		return err
	}
	return c.JSON(d)
}

// markRead marks one notification (form field id) or all of them read.
func (h *Handler) markRead(c *fiber.Ctx) error {
	var id uint64
	if s := c.FormValue("id"); s != "" {
		var err error
		if id, err = strconv.ParseUint(s, 10, 63); err != nil { // 63 bits: PostgreSQL ids are signed BIGINT
			return failure(fiber.StatusBadRequest, "error.bad_request")
		}
	}
	if err := h.store.MarkRead(currentUser(c).ID, uint(id)); err != nil {
		return err
	}
	return c.Redirect(withLang(c, "/notifications"), fiber.StatusSeeOther)
}

// unread is the number on the bell of a signed-in user's pages.
func (h *Handler) unread(u *models.User) func() int64 {
	return func() int64 {
		n, err := h.store.UnreadCount(u.ID)
		if err != nil {
			h.log.Error("unable to count notifications", "user", u.Username, "error", err)
		}
		return n
	}
}
