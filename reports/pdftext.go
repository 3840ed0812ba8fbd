package reports

import (
	"fmt"
	"strings"

	"codeberg.org/go-pdf/fpdf"
)

// planePDF draws text only from the Basic Multilingual Plane: fpdf's
// subsetting of a UTF-8 font indexes a 65 536-entry table by rune, so one
// character beyond U+FFFF (an emoji in a name) panics at Output. Every
// method that takes text is wrapped here, so whatever the briefing draws
// passes through bmp; the embedded font has no glyphs beyond the plane
// anyway.
type planePDF struct{ *fpdf.Fpdf }

// bmp replaces each character beyond U+FFFF with U+FFFD, the replacement
// character the font does have.
func bmp(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return r > 0xFFFF }) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if r > 0xFFFF {
			return '\uFFFD'
		}
		return r
	}, s)
}

func (p planePDF) Text(x, y float64, s string) { p.Fpdf.Text(x, y, bmp(s)) }

func (p planePDF) CellFormat(w, h float64, s, border string, ln int, align string, fill bool, link int, linkStr string) {
	p.Fpdf.CellFormat(w, h, bmp(s), border, ln, align, fill, link, linkStr)
}

func (p planePDF) Cell(w, h float64, s string) { p.Fpdf.Cell(w, h, bmp(s)) }

func (p planePDF) Cellf(w, h float64, format string, args ...any) {
	p.Fpdf.Cell(w, h, bmp(fmt.Sprintf(format, args...)))
}

func (p planePDF) MultiCell(w, h float64, s, border, align string, fill bool) {
	p.Fpdf.MultiCell(w, h, bmp(s), border, align, fill)
}

func (p planePDF) Write(h float64, s string) { p.Fpdf.Write(h, bmp(s)) }

func (p planePDF) Writef(h float64, format string, args ...any) {
	p.Fpdf.Write(h, bmp(fmt.Sprintf(format, args...)))
}

func (p planePDF) WriteAligned(w, h float64, s, align string) {
	p.Fpdf.WriteAligned(w, h, bmp(s), align)
}

func (p planePDF) SplitText(s string, w float64) []string { return p.Fpdf.SplitText(bmp(s), w) }

func (p planePDF) GetStringWidth(s string) float64 { return p.Fpdf.GetStringWidth(bmp(s)) }
