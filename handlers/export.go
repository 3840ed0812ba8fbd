package handlers

import (
	"bufio"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"tiendo/models"
	"tiendo/reports"
)

// DownloadLink is one entry of a page's download menu.
type DownloadLink struct {
	Format, Label, URL string
}

// DownloadMenu is the menu's button label and its links.
type DownloadMenu struct {
	Label string
	Links []DownloadLink
}

// Downloads is the download menu of a page: the export API with the page's
// unit, milestone, pillar, indicator and language.
func (p *Page) Downloads(unit string, year int, indicator string) DownloadMenu {
	var links []DownloadLink
	for _, f := range exportFormats(p.User) {
		kv := []string{"format", f, "unit", unit, "indicators", indicator, "pillar", p.Query.Get("pillar")}
		if year != 0 {
			kv = append(kv, "year", strconv.Itoa(year))
		}
		url := p.URL("/api/v1/export", kv...)
		if f == reports.CSV {
			// Two CSVs: one that opens in Excel as the page's language writes
			// numbers (semicolons and decimal commas in Vietnamese), one in
			// machine form that imports back.
			links = append(links, DownloadLink{Format: f, Label: p.T("reports.download_csv"), URL: url + "&excel=1"})
			links = append(links, DownloadLink{Format: f, Label: p.T("reports.download_csv_import"), URL: url})
			continue
		}
		links = append(links, DownloadLink{Format: f, Label: p.T("reports.download_" + f), URL: url})
	}
	for i := range links {
		if p.Lang == "vi" {
			links[i].URL += "&lang=vi" // the file's language follows the page, whatever the cookie says
		}
	}
	return DownloadMenu{Label: p.T("reports.download"), Links: links}
}

// viewerFormats are the reports a viewer may download: the briefing and
// the workbook of what the pages show. The long CSV and the JSON are the
// analysts' data formats.
var viewerFormats = []string{reports.PDF, reports.XLSX}

// exportFormats are the formats u may download.
func exportFormats(u *models.User) []string {
	if u != nil && u.Role.Allows(models.RoleAnalyst) {
		return reports.Formats
	}
	return viewerFormats
}

// exportFilter reads the pages' filters from the query string.
func (h *Handler) exportFilter(c *fiber.Ctx) (reports.Filter, error) {
	f := reports.Filter{Unit: c.Query("unit"), Subtree: c.Query("subtree") != "0",
		From: c.Query("from"), To: c.Query("to"), Lang: h.lang(c), Excel: c.Query("excel") == "1"}
	if s := c.Query("indicators"); s != "" {
		f.Indicators = strings.Split(s, ",")
	}
	var err error
	if f.Milestone, err = yearParam(c); err != nil {
		return f, err
	}
	pillars, err := h.store.Pillars()
	if err != nil {
		return f, err
	}
	if f.Pillar, err = pillarParam(c, pillars); err != nil {
		return f, err
	}
	for _, p := range []string{f.From, f.To} {
		if _, err := models.ParsePeriod(p); p != "" && err != nil {
			return f, failure(fiber.StatusBadRequest, "reports.bad_period", p)
		}
	}
	if f.Unit != "" {
		if _, err := h.unitByCode(f.Unit); err != nil {
			return f, err
		}
	}
	for _, code := range f.Indicators {
		if _, err := h.indicatorByCode(code); err != nil {
			return f, err
		}
	}
	return f, nil
}

// apiExport streams a report: GET /api/v1/export?format=csv|xlsx|pdf|json
// with the pages' filters.
func (h *Handler) apiExport(c *fiber.Ctx) error {
	allowed := exportFormats(currentUser(c))
	format := c.Query("format", allowed[0])
	if !slices.Contains(reports.Formats, format) {
		return failure(fiber.StatusBadRequest, "reports.bad_format", format)
	}
	if !slices.Contains(allowed, format) {
		return failure(fiber.StatusForbidden, "reports.viewer_formats", format)
	}
	f, err := h.exportFilter(c)
	if err != nil {
		return err
	}
	d, err := reports.Load(h.store, f)
	if err != nil {
		return err
	}
	if format == reports.XLSX {
		// Refused before the download starts; a period filter leaves the
		// count unknown, and the stream then ends at the limit (logged).
		n, err := d.CountObservations()
		if err != nil {
			return err
		}
		if reports.CheckFits(format, n) != nil {
			key, args := reports.TooManyRows(h.lang(c))
			return failure(fiber.StatusUnprocessableEntity, key, args...)
		}
	}
	c.Set(fiber.HeaderContentType, reports.ContentType(format))
	c.Set(fiber.HeaderContentDisposition, attachment(d.FileName(format)))
	cat := h.cat
	// The body is written as it is made, so a large export starts at once.
	return h.stream(c, func(w *bufio.Writer) error {
		return reports.Write(w, format, d, cat, func(int) { _ = w.Flush() })
	})
}

// attachment is the Content-Disposition of a download named name: in
// filename, the name kept to letters, digits, '.', '-' and '_' (anything
// else becomes '_', so no code can end the quoted string or add a
// parameter); the exact name, when it differs, in filename* (RFC 5987),
// which browsers prefer.
func attachment(name string) string {
	safe := strings.Map(func(r rune) rune {
		if safeFileChar(r) {
			return r
		}
		return '_'
	}, name)
	v := `attachment; filename="` + safe + `"`
	if safe != name {
		var b strings.Builder
		for _, c := range []byte(name) {
			if safeFileChar(rune(c)) {
				b.WriteByte(c)
			} else {
				fmt.Fprintf(&b, "%%%02X", c)
			}
		}
		v += "; filename*=UTF-8''" + b.String()
	}
	return v
}

func safeFileChar(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-' || r == '_'
}
