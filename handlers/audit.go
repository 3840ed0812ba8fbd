package handlers

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"tiendo/models"
)

const auditPageSize = 50

type auditChange struct{ Field, Before, After string }

type auditRow struct {
	models.AuditEntry
	When    string
	Changes []auditChange
}

type auditData struct {
	Rows                     []auditRow
	Users, Entities, Actions []string
	Filter                   map[string]string
	Total                    int64
	Page, Pages              int
	PrevURL, NextURL         string
}

// maxAuditPage is beyond any audit log (a billion entries).
const maxAuditPage = 1_000_000_000 / auditPageSize

// auditFilter reads the filters shared by the page and the API: user,
// entity, action, from and to (dates, to inclusive) and page.
func auditFilter(c *fiber.Ctx) (models.AuditFilter, int, error) {
	f := models.AuditFilter{Username: c.Query("user"), Entity: c.Query("entity"), Action: c.Query("action"), Limit: auditPageSize}
	for _, d := range []struct {
		name string
		dst  *time.Time
		add  int
	}{{"from", &f.From, 0}, {"to", &f.To, 1}} {
		if q := c.Query(d.name); q != "" {
			t, err := time.Parse("2006-01-02", q)
			if err != nil {
				return f, 0, failure(fiber.StatusBadRequest, "error.bad_date", q)
			}
			*d.dst = t.AddDate(0, 0, d.add)
		}
	}
	// Bounded, so the offset cannot overflow into a negative number.
	page, err := strconv.Atoi(c.Query("page", "1"))
	if err != nil || page < 1 {
		page = 1
	}
	page = min(page, maxAuditPage)
	f.Offset = (page - 1) * auditPageSize
	return f, page, nil
}

// auditEntries reads the request's filters and fetches that page of the
// log; the page and the API show the same entries.
func (h *Handler) auditEntries(c *fiber.Ctx) ([]models.AuditEntry, int64, int, error) {
	filter, page, err := auditFilter(c)
	if err != nil {
		return nil, 0, 0, err
	}
	entries, total, err := h.store.AuditLog(filter)
	return entries, total, page, err
}

// auditPage lets admins and analysts browse and filter the audit log. It
// has no way to change an entry: the log is only ever appended to.
func (h *Handler) auditPage(c *fiber.Ctx) error {
	p := h.page(c, "")
	p.Title = p.T("audit.title")
	entries, total, page, err := h.auditEntries(c)
	if err != nil {
		return err
	}
	d := auditData{Total: total, Page: page, Pages: int((total + auditPageSize - 1) / auditPageSize),
		Filter: map[string]string{}}
	if d.Users, d.Entities, d.Actions, err = h.store.AuditNames(); err != nil {
		return err
	}
	kv := []string{}
	for _, k := range []string{"user", "entity", "action", "from", "to"} {
		d.Filter[k] = c.Query(k)
		kv = append(kv, k, c.Query(k))
	}
	if page > 1 {
		d.PrevURL = p.URL("/audit", append(kv, "page", strconv.Itoa(page-1))...)
	}
	if page < d.Pages {
		d.NextURL = p.URL("/audit", append(kv, "page", strconv.Itoa(page+1))...)
	}
	for _, e := range entries {
		d.Rows = append(d.Rows, auditRow{AuditEntry: e, When: p.Date(e.At.In(vnTime)) + " " + e.At.In(vnTime).Format("15:04:05"),
			Changes: auditChanges(e.Before, e.After)})
	}
	p.Data = d
	return h.render(c, fiber.StatusOK, "audit", p)
}

// vnTime is Vietnam's time (UTC+7, no daylight saving), for the times shown.
var vnTime = time.FixedZone("ICT", 7*3600)

// auditChanges lists the fields that differ between before and after.
func auditChanges(before, after string) []auditChange {
	var b, a map[string]any
	_ = json.Unmarshal([]byte(before), &b)
	_ = json.Unmarshal([]byte(after), &a)
	keys := map[string]bool{}
	for k := range b {
		keys[k] = true
	}
	for k := range a {
		keys[k] = true
	}
	var out []auditChange
	for k := range keys {
		bv, av := show(b, k), show(a, k)
		if bv != av {
			out = append(out, auditChange{Field: k, Before: bv, After: av})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Field < out[j].Field })
	return out
}

func show(m map[string]any, k string) string {
	v, ok := m[k]
	if !ok || v == nil {
		return ""
	}
	return fmt.Sprint(v)
}

// apiAudit returns the audit log as JSON, with the page's filters.
func (h *Handler) apiAudit(c *fiber.Ctx) error {
	entries, total, page, err := h.auditEntries(c)
	if err != nil {
		return err
	}
	if entries == nil {
		entries = []models.AuditEntry{}
	}
	return c.JSON(fiber.Map{"entries": entries, "total": total, "page": page, "page_size": auditPageSize})
}
