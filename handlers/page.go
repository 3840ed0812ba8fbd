package handlers

import (
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"tiendo/locale"
	"tiendo/models"
)

// Page is what every template receives: the language, the current URL for
// the language switch, and the page's own data.
type Page struct {
	Lang    string
	Title   string
	Path    string
	Query   url.Values
	Now     time.Time
	Version string
	Data    any
	Flash   string       // the confirmation of the change just made, shown once
	User    *models.User // nil when nobody is signed in
	Leaders []navLink    // the leaders' views for this unit and milestone; nil: their plain addresses
	cat     locale.Catalog
	zone    *time.Location
	csrf    func() string
	unread  func() int64
}

// Unread is the number of the user's unread notifications, for the bell.
func (p *Page) Unread() int64 {
	if p.unread == nil {
		return 0
	}
	return p.unread()
}

// CSRF is the token every state-changing form sends back.
func (p *Page) CSRF() string { return p.csrf() }

// Can reports whether the signed-in user has at least role r, for the menu.
func (p *Page) Can(r string) bool { return p.User != nil && p.User.Role.Allows(models.Role(r)) }

// T translates a key into the page's language.
func (p *Page) T(key string, args ...any) string { return p.cat.T(p.Lang, key, args...) }

// Num formats a number in the page's language.
func (p *Page) Num(v float64, decimals int) string { return locale.Number(p.Lang, v, decimals) }

// Date formats a date in the page's language.
func (p *Page) Date(t time.Time) string { return locale.Date(p.Lang, t) }

// Time is an instant in the configured zone (see locale.Time).
func (p *Page) Time(t time.Time) string { return locale.Time(p.Lang, t, p.zone) }

// ZoneName is the configured zone's name (Asia/Ho_Chi_Minh).
func (p *Page) ZoneName() string { return p.zone.String() }

// LeadersNav is the leaders' views shown in the header on every page, signed
// in or not: on a leaders' page they keep its unit, milestone and pillar.
func (p *Page) LeadersNav() []navLink {
	if p.Leaders != nil {
		return p.Leaders
	}
	var out []navLink
	for _, n := range leadersViews {
		out = append(out, navLink{p.T(n.key), p.URL(n.path), false})
	}
	return out
}

// leadersViews are the leaders' pages, in the header's order.
var leadersViews = []struct{ key, path string }{{"leaders.nav_overview", "/"}, {"leaders.nav_compare", "/compare"}, {"leaders.nav_briefing", "/briefing"}}

// InDataEntry reports whether the page is part of data entry (the grid,
// one value, targets, definitions, imports): one menu item covers them.
func (p *Page) InDataEntry() bool {
	return p.Path == "/edit" || strings.HasPrefix(p.Path, "/edit/") || p.Path == "/import"
}

// LangURL is the current page in another language.
func (p *Page) LangURL(lang string) string {
	q := url.Values{}
	for k, v := range p.Query {
		q[k] = v
	}
	q.Set("lang", lang)
	return p.Path + "?" + q.Encode()
}

// URL builds a link that keeps the page's language.
func (p *Page) URL(path string, kv ...string) string {
	q := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] != "" {
			q.Set(kv[i], kv[i+1])
		}
	}
	if p.Lang != locale.Default {
		q.Set("lang", p.Lang)
	}
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}

// page starts the data of a page for this request.
func (h *Handler) page(c *fiber.Ctx, title string) *Page {
	q := url.Values{}
	c.Context().QueryArgs().VisitAll(func(k, v []byte) { q.Add(string(k), string(v)) })
	pg := &Page{Lang: h.lang(c), Title: title, Path: c.Path(), Query: q, Now: h.store.Now(), Version: h.version, cat: h.cat,
		User: currentUser(c), csrf: func() string { return h.csrfToken(c) }, Flash: h.takeFlash(c), zone: h.cfg.TimeZone}
	if pg.User != nil {
		pg.unread = h.unread(pg.User)
	}
	return pg
}
