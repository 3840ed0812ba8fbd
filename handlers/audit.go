package handlers

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"tiendo/locale"
	"tiendo/models"
)

const auditPageSize = 50

// auditChange is one field changed: its label and its values in words, and
// the codes behind values that are names (shown on hover).
type auditChange struct{ Field, Label, Before, After, BeforeCode, AfterCode string }

type auditRow struct {
	models.AuditEntry
	When    string
	What    string // the entity's names; its codes (EntityKey) show on hover
	Changes []auditChange
	Listed  int64  // records listed under the entry (an import's values)
	ListURL string // the page that lists them
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
	words, err := h.auditWords(p)
	if err != nil {
		return err
	}
	ids := make([]uint, len(entries))
	for i, e := range entries {
		ids[i] = e.ID
	}
	listed, err := h.store.AuditChangeCounts(ids)
	if err != nil {
		return err
	}
	for _, e := range entries {
		row := words.row(e)
		if n := listed[e.ID]; n > 0 {
			row.Listed, row.ListURL = n, p.URL("/audit/"+strconv.FormatUint(uint64(e.ID), 10))
		}
		d.Rows = append(d.Rows, row)
	}
	p.Data = d
	return h.render(c, fiber.StatusOK, layoutApp, "audit", p)
}

// row renders one entry for people.
func (w *auditWords) row(e models.AuditEntry) auditRow {
	row := auditRow{AuditEntry: e, When: w.p.Time(e.At), What: w.what(e.Entity, e.EntityKey), Changes: w.changes(e.Before, e.After)}
	return row
}

// changes lists, in words, the fields that differ between before and after.
func (w *auditWords) changes(before, after string) []auditChange {
	out := auditChanges(before, after)
	for i, ch := range out {
		out[i].Label = w.field(ch.Field)
		out[i].Before, out[i].BeforeCode = w.value(ch.Field, ch.Before)
		out[i].After, out[i].AfterCode = w.value(ch.Field, ch.After)
	}
	return out
}

const auditChangesPageSize = 50

type auditEntryData struct {
	Entry            auditRow
	Changes          []auditChangeRow
	Total            int64
	Page, Pages      int
	PrevURL, NextURL string
	BackURL          string
}

// auditChangeRow is one record changed by an entry that changed many.
type auditChangeRow struct {
	Entity, Key, What string
	Changes           []auditChange
}

// auditEntryPage shows one entry of the log and, for an import, every
// value and target it wrote, before and after, a page at a time.
func (h *Handler) auditEntryPage(c *fiber.Ctx) error {
	id, err := strconv.ParseUint(c.Params("id"), 10, 63)
	if err != nil {
		return failure(fiber.StatusNotFound, "error.not_found")
	}
	e, err := h.store.AuditEntryByID(uint(id))
	if err != nil {
		return failure(fiber.StatusNotFound, "error.not_found")
	}
	p := h.page(c, "")
	words, err := h.auditWords(p)
	if err != nil {
		return err
	}
	page, err := strconv.Atoi(c.Query("page", "1"))
	if err != nil || page < 1 {
		page = 1
	}
	page = min(page, 1_000_000_000/auditChangesPageSize)
	changes, total, err := h.store.AuditChanges(e.ID, auditChangesPageSize, (page-1)*auditChangesPageSize)
	if err != nil {
		return err
	}
	d := auditEntryData{Entry: words.row(*e), Total: total, Page: page, Pages: max(1, int((total+auditChangesPageSize-1)/auditChangesPageSize)),
		BackURL: p.URL("/audit")}
	p.Title = p.T("audit.entry_title", p.T("action."+e.Action), d.Entry.What)
	self := "/audit/" + strconv.FormatUint(id, 10)
	if page > 1 {
		d.PrevURL = p.URL(self, "page", strconv.Itoa(page-1))
	}
	if page < d.Pages {
		d.NextURL = p.URL(self, "page", strconv.Itoa(page+1))
	}
	for _, ch := range changes {
		d.Changes = append(d.Changes, auditChangeRow{Entity: ch.Entity, Key: ch.EntityKey, What: words.what(ch.Entity, ch.EntityKey),
			Changes: words.changes(ch.Before, ch.After)})
	}
	p.Data = d
	return h.render(c, fiber.StatusOK, layoutApp, "audit_entry", p)
}

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

// show is a field's value as JSON text, "" when absent; auditWords turns it
// into words for the page.
func show(m map[string]any, k string) string {
	v, ok := m[k]
	if !ok || v == nil || v == "" {
		return ""
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// auditWords renders audit entries for people: names for codes, numbers in
// the page's format, comparators and booleans in words.
type auditWords struct {
	p                          *Page
	indicators, units, pillars map[string]string
}

func (h *Handler) auditWords(p *Page) (*auditWords, error) {
	w := &auditWords{p: p, indicators: map[string]string{}, units: map[string]string{}, pillars: map[string]string{}}
	pillars, err := h.store.Pillars()
	if err != nil {
		return nil, err
	}
	for _, pl := range pillars {
		w.pillars[pl.Code] = name(p.Lang, pl.NameVI, pl.NameEN)
	}
	inds, err := h.store.Indicators()
	if err != nil {
		return nil, err
	}
	for _, ind := range inds {
		w.indicators[ind.Code] = name(p.Lang, ind.NameVI, ind.NameEN)
	}
	units, err := h.store.Units()
	if err != nil {
		return nil, err
	}
	for _, u := range units {
		w.units[u.Code] = name(p.Lang, u.NameVI, u.NameEN)
	}
	return w, nil
}

// what names an entry's entity: an indicator, or an indicator's value or
// target in a unit for a period ("indicator/unit/period" keys).
func (w *auditWords) what(entity, key string) string {
	parts := strings.Split(key, "/")
	switch {
	case (entity == "observation" || entity == "target") && len(parts) == 3:
		return w.or(w.indicators, parts[0]) + " — " + w.or(w.units, parts[1]) + " — " + parts[2]
	case entity == "indicator":
		return w.or(w.indicators, key)
	case entity == "unit":
		return w.or(w.units, key)
	case entity == "pillar":
		return w.or(w.pillars, key)
	}
	return key
}

func (w *auditWords) or(names map[string]string, code string) string {
	if n, ok := names[code]; ok {
		return n
	}
	return code
}

// field is a field's name in words, or the field itself when unknown.
func (w *auditWords) field(f string) string {
	if t := w.p.T("audit.field." + f); t != "audit.field."+f {
		return t
	}
	return f
}

// wordsOf are the fields whose values are words to translate, by prefix.
var wordsOf = map[string]string{"comparator": "targets.cmp_", "direction": "direction.", "frequency": "frequency.", "role": "role."}

// value renders one value of field f (as show wrote it) in words, and the
// code it stands for when the words are a name.
func (w *auditWords) value(f, v string) (string, string) {
	if v == "" {
		return "", ""
	}
	if prefix, ok := wordsOf[f]; ok {
		word := strings.Trim(v, `"`)
		if t := w.p.T(prefix + word); t != prefix+word {
			return t, ""
		}
	}
	var x any
	if json.Unmarshal([]byte(v), &x) != nil {
		return v, ""
	}
	if code, ok := x.(string); ok {
		switch f {
		case "indicator":
			return w.or(w.indicators, code), code
		case "unit", "parent":
			return w.or(w.units, code), code
		case "pillar":
			return w.or(w.pillars, code), code
		}
	}
	return w.any(x), ""
}

// any renders a decoded JSON value: numbers in the page's format, booleans
// as yes or no, an import's counts as words.
func (w *auditWords) any(x any) string {
	switch t := x.(type) {
	case float64:
		return locale.NumberAuto(w.p.Lang, t, 6)
	case bool:
		if t {
			return w.p.T("common.yes")
		}
		return w.p.T("common.no")
	case map[string]any:
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var parts []string
		for _, k := range keys {
			parts = append(parts, w.field(k)+" "+w.any(t[k]))
		}
		return strings.Join(parts, ", ")
	case []any:
		var parts []string
		for _, v := range t {
			parts = append(parts, w.any(v))
		}
		return strings.Join(parts, ", ")
	case nil:
		return ""
	}
	return fmt.Sprint(x)
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
