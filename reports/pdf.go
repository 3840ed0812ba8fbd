package reports

import (
	"fmt"
	"io"
	"strconv"

	"codeberg.org/go-fonts/dejavu/dejavusans"
	"codeberg.org/go-fonts/dejavu/dejavusansbold"
	"codeberg.org/go-pdf/fpdf"

	"tiendo/display"
	"tiendo/locale"
	"tiendo/models"
)

// WritePDF writes a briefing for leaders: a first page of summary for the
// unit (title, date, milestone, counts by status, what needs attention, a
// chart of the pillars) and then, per pillar, a table of value, target,
// status and a drawn progress bar, with page numbers. DejaVu Sans is embedded, so every
// Vietnamese diacritic prints as written.
func WritePDF(w io.Writer, d *Dataset, cat locale.Catalog) error {
	lang := d.Filter.Lang
	progress, err := d.Progress()
	if err != nil {
		return err
	}
	pdf := planePDF{fpdf.New("P", "mm", "A4", "")}
	pdf.SetTitle(cat.T(lang, "reports.title"), true)
	pdf.SetCreator("Tiến độ", true)
	pdf.AddUTF8FontFromBytes("DejaVu", "", dejavusans.TTF)
	pdf.AddUTF8FontFromBytes("DejaVu", "B", dejavusansbold.TTF)
	pdf.SetMargins(15, 15, 15)
	pdf.SetAutoPageBreak(true, 18)
	pdf.AliasNbPages("{nb}")
	pdf.SetFooterFunc(func() {
		pdf.SetY(-12)
		pdf.SetFont("DejaVu", "", 8)
		pdf.SetTextColor(100, 100, 100)
		pdf.CellFormat(0, 5, cat.T(lang, "reports.page", strconv.Itoa(pdf.PageNo()), "{nb}"), "", 0, "C", false, 0, "")
	})
	pdf.AddPage()

	pdf.SetFont("DejaVu", "B", 18)
	pdf.SetTextColor(0, 0, 0)
	pdf.MultiCell(0, 9, cat.T(lang, "reports.title"), "", "L", false)
	pdf.SetFont("DejaVu", "", 11)
	unit := d.UnitName()
	if unit == "" {
		unit = cat.T(lang, "reports.all_units")
	}
	lines := []string{cat.T(lang, "reports.unit", unit)}
	if d.Filter.Milestone != 0 {
		lines = append(lines, cat.T(lang, "reports.milestone", d.Filter.Milestone))
	}
	lines = append(lines, cat.T(lang, "reports.generated", locale.Date(lang, d.Generated)))
	for _, l := range lines {
		pdf.MultiCell(0, 6, l, "", "L", false)
	}
	pdf.Ln(3)

	pdfSummary(pdf, d, progress, cat)
	// The detail starts on its own page: the first one is the summary.
	pdf.AddPage()

	widths := []float64{72, 26, 34, 30, 18}
	heads := []string{cat.T(lang, "reports.col_indicator"), cat.T(lang, "reports.col_current_value"), cat.T(lang, "reports.col_target"),
		cat.T(lang, "reports.col_status"), cat.T(lang, "reports.col_progress")}
	for _, p := range d.Pillars {
		var rows []models.Progress
		for _, r := range progress {
			if r.Indicator.PillarID == p.ID {
				rows = append(rows, r)
			}
		}
		if len(rows) == 0 {
			continue
		}
		if pdf.GetY() > 250 {
			pdf.AddPage()
		}
		pdf.Ln(2)
		pdf.SetFont("DejaVu", "B", 13)
		pdf.SetTextColor(0, 0, 0)
		pdf.MultiCell(0, 7, display.Name(lang, p.NameVI, p.NameEN), "", "L", false)
		pdf.SetFont("DejaVu", "B", 8.5)
		pdf.SetFillColor(36, 41, 47)
		pdf.SetTextColor(255, 255, 255)
		for i, h := range heads {
			pdf.CellFormat(widths[i], 7, h, "", 0, "L", true, 0, "")
		}
		pdf.Ln(-1)
		pdf.SetTextColor(0, 0, 0)
		for i, r := range rows {
			pdfRow(pdf, d, cat, r, widths, i%2 == 1)
		}
	}
	return pdf.Output(w)
}

// pdfRow draws one indicator: the name wraps, the other cells sit beside it.
func pdfRow(pdf planePDF, d *Dataset, cat locale.Catalog, r models.Progress, widths []float64, shade bool) {
	lang := d.Filter.Lang
	pdf.SetFont("DejaVu", "", 8.5)
	name := display.Name(lang, r.Indicator.NameVI, r.Indicator.NameEN)
	if len(d.Units) > 1 {
		name += " — " + display.Name(lang, r.Unit.NameVI, r.Unit.NameEN)
	}
	a := r.Assessment
	value := "—"
	if a.CurrentValue != nil {
		value = display.Value(lang, *a.CurrentValue, r.Indicator)
		if a.CurrentYear != nil {
			value += fmt.Sprintf(" (%d)", *a.CurrentYear)
		}
	}
	target := display.Target(cat, lang, r.Target, r.Indicator)
	if target == "" {
		target = "—"
	}
	status := cat.T(lang, r.Words())
	nameLines := pdf.SplitText(name, widths[0]-2)
	// The row is as tall as its tallest cell.
	n := len(nameLines)
	for i, s := range []string{value, target, status} {
		n = max(n, len(pdf.SplitText(s, widths[i+1]-1)))
	}
	h := float64(max(n, 1))*4.2 + 2
	if pdf.GetY()+h > 279 {
		pdf.AddPage()
	}
	x, y := pdf.GetX(), pdf.GetY()
	if shade {
		pdf.SetFillColor(246, 248, 250)
		pdf.Rect(x, y, widths[0]+widths[1]+widths[2]+widths[3]+widths[4], h, "F")
	}
	pdf.SetXY(x+1, y+1)
	for _, l := range nameLines {
		pdf.CellFormat(widths[0]-2, 4.2, l, "", 2, "L", false, 0, "")
	}
	cx := x + widths[0]
	for i, s := range []string{value, target} {
		pdf.SetXY(cx, y+1)
		pdf.MultiCell(widths[i+1], 4.2, s, "", "L", false)
		cx += widths[i+1]
	}
	cr, cg, cb := hexRGB(display.StatusColors[r.Class()])
	pdf.SetXY(cx, y+1)
	pdf.SetTextColor(cr, cg, cb)
	pdf.SetFont("DejaVu", "B", 8.5)
	pdf.MultiCell(widths[3], 4.2, status, "", "L", false)
	pdf.SetTextColor(0, 0, 0)
	cx += widths[3]
	// The bar: the share of the way from nothing to the target.
	bx, by, bw := cx+1, y+1.5, widths[4]-3
	pdf.SetFillColor(220, 224, 228)
	pdf.Rect(bx, by, bw, 3, "F")
	if share, ok := Share(r); ok {
		pdf.SetFillColor(cr, cg, cb)
		pdf.Rect(bx, by, bw*share, 3, "F")
	}
	pdf.SetXY(x, y+h)
}

// Share is how far an indicator is toward its target, from 0 to 1: the
// current value over the target when higher is better, the target over
// the value when lower is better.
func Share(r models.Progress) (float64, bool) {
	a, t := r.Assessment, r.Target
	if a.CurrentValue == nil || t == nil {
		return 0, false
	}
	v, goal := *a.CurrentValue, t.Value
	var s float64
	switch {
	case a.Status == models.StatusTargetAchieved:
		s = 1
	case t.Comparator == models.AtMost && v > 0:
		s = goal / v
	case goal != 0:
		s = v / goal
	}
	return min(max(s, 0), 1), true
}

func hexRGB(hex string) (int, int, int) {
	var r, g, b int
	_, _ = fmt.Sscanf(hex, "#%02x%02x%02x", &r, &g, &b) // our own palette: a bad colour stays black
	return r, g, b
}

// pdfSummary draws the first page: the counts of the unit's rows (the
// overview's tiles), the rows furthest behind, and per pillar a bar of its
// rows by class. Colours always come with a word.
func pdfSummary(pdf planePDF, d *Dataset, progress []models.Progress, cat locale.Catalog) {
	lang := d.Filter.Lang
	rows := d.SummaryRows(progress)
	counts := models.StatusCounts(rows)
	pdf.SetFont("DejaVu", "B", 12)
	pdf.CellFormat(0, 7, cat.T(lang, "reports.counts"), "", 1, "L", false, 0, "")
	pdf.SetFont("DejaVu", "", 10)
	for _, s := range models.Classes {
		if counts[s] == 0 {
			continue
		}
		swatch(pdf, s)
		pdf.CellFormat(0, 6, fmt.Sprintf("%s: %d", cat.T(lang, "status."+string(s)), counts[s]), "", 1, "L", false, 0, "")
	}
	pdf.Ln(3)

	pdf.SetFont("DejaVu", "B", 12)
	pdf.CellFormat(0, 7, cat.T(lang, "reports.attention"), "", 1, "L", false, 0, "")
	pdf.SetFont("DejaVu", "", 9.5)
	attention := models.NeedsAttention(rows, 8)
	if len(attention) == 0 {
		pdf.MultiCell(0, 5.5, cat.T(lang, "reports.attention_none"), "", "L", false)
	}
	for _, r := range attention {
		line := display.Name(lang, r.Indicator.NameVI, r.Indicator.NameEN) + " — " + cat.T(lang, r.Words())
		if a := r.Assessment; a.CurrentValue != nil && a.CurrentYear != nil {
			line += fmt.Sprintf(" — %s (%d)", display.Value(lang, *a.CurrentValue, r.Indicator), *a.CurrentYear)
		}
		line += " — " + display.Target(cat, lang, r.Target, r.Indicator)
		swatch(pdf, r.Class())
		pdf.MultiCell(0, 5.5, line, "", "L", false)
	}
	pdf.Ln(3)

	pillars := d.PillarCounts(rows)
	if len(pillars) == 0 {
		return
	}
	pdf.SetFont("DejaVu", "B", 12)
	pdf.CellFormat(0, 7, cat.T(lang, "reports.chart_title"), "", 1, "L", false, 0, "")
	pdf.SetFont("DejaVu", "", 8.5)
	most := 0
	for _, pc := range pillars {
		most = max(most, pc.Total)
	}
	const labelW, barW, barH = 60.0, 110.0, 6.0
	for _, pc := range pillars {
		x, y := pdf.GetX(), pdf.GetY()
		pdf.SetXY(x, y)
		pdf.CellFormat(labelW, barH, display.Name(lang, pc.Pillar.NameVI, pc.Pillar.NameEN), "", 0, "L", false, 0, "")
		bx := x + labelW
		for _, s := range models.Classes {
			n := pc.Counts[s]
			if n == 0 {
				continue
			}
			w := barW * float64(n) / float64(most)
			r, g, b := hexRGB(display.StatusColors[s])
			pdf.SetFillColor(r, g, b)
			pdf.Rect(bx, y+0.5, w, barH-1, "F")
			pdf.SetTextColor(255, 255, 255)
			pdf.SetXY(bx, y)
			pdf.CellFormat(w, barH, strconv.Itoa(n), "", 0, "C", false, 0, "")
			pdf.SetTextColor(0, 0, 0)
			bx += w
		}
		pdf.SetXY(bx+2, y)
		pdf.CellFormat(0, barH, strconv.Itoa(pc.Total), "", 1, "L", false, 0, "")
	}
	// The legend names every colour drawn.
	pdf.Ln(2)
	for _, s := range models.Classes {
		if counts[s] == 0 {
			continue
		}
		swatch(pdf, s)
		label := cat.T(lang, "status."+string(s))
		pdf.CellFormat(pdf.GetStringWidth(label)+6, 5, label, "", 0, "L", false, 0, "")
	}
	pdf.Ln(6)
}

// swatch draws a small square of a class's colour at the cursor and moves past it.
func swatch(pdf planePDF, s models.Status) {
	r, g, b := hexRGB(display.StatusColors[s])
	pdf.SetFillColor(r, g, b)
	pdf.Rect(pdf.GetX(), pdf.GetY()+1.2, 3.5, 3.5, "F")
	pdf.SetX(pdf.GetX() + 5)
}
