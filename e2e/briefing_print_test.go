package e2e

import (
	"bytes"
	"context"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"tiendo/apptest"
)

// printPDF prints the open page as Chromium does (A4 from the page's CSS).
func printPDF(t *testing.T, b *apptest.Browser, path string) {
	t.Helper()
	var pdf []byte
	err := chromedp.Run(b.Ctx, chromedp.ActionFunc(func(ctx context.Context) error {
		var err error
		pdf, _, err = page.PrintToPDF().WithPreferCSSPageSize(true).WithPrintBackground(true).Do(ctx)
		return err
	}))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
}

// pdfPages is the text of each page (pdftotext, from poppler-utils).
func pdfPages(t *testing.T, path string) []string {
	t.Helper()
	out, err := exec.Command("pdftotext", "-layout", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext (make test-deps installs poppler-utils): %v", err)
	}
	return strings.Split(strings.TrimRight(string(out), "\f"), "\f")
}

// colouredPixels counts the saturated pixels of page 1 rendered at 100 dpi:
// in print every text and border is black or grey, so they are the chart's.
func colouredPixels(t *testing.T, path string) int {
	t.Helper()
	out, err := exec.Command("pdftoppm", "-r", "100", "-f", "1", "-l", "1", "-png", path).Output()
	if err != nil {
		t.Fatalf("pdftoppm: %v", err)
	}
	img, err := png.Decode(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	r := img.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			cr, cg, cb, _ := img.At(x, y).RGBA()
			hi, lo := max(cr, cg, cb)>>8, min(cr, cg, cb)>>8
			if hi-lo > 60 {
				n++
			}
		}
	}
	return n
}

// The briefing printed at once (no waiting for an animation) has its
// summary on the first A4 page with the pillar chart drawn with its bars,
// then the details; no page ends with a heading.
func TestBriefingPrintsOnePageOfSummary(t *testing.T) {
	s := apptest.Start(t, apptest.Options{Demo: true})
	b := apptest.NewBrowser(t)
	dir := apptest.ArtifactDir(t, "briefing")
	for _, lang := range []string{"vi", "en"} {
		// Printed the moment the chart is drawn, as a leader pressing
		// Print at once would.
		err := chromedp.Run(b.Ctx, chromedp.Navigate(s.URL+"/briefing?unit=VN-SG&year=2030&lang="+lang),
			chromedp.Poll(`document.querySelector("#pillar-status[data-drawn] canvas") !== null`, nil,
				chromedp.WithPollingInterval(5*time.Millisecond), chromedp.WithPollingTimeout(20*time.Second)))
		if err != nil {
			t.Fatal(err)
		}
		pdf := filepath.Join(dir, "briefing-"+lang+".pdf")
		printPDF(t, b, pdf)
		pages := pdfPages(t, pdf)
		summary := map[string][]string{"vi": {"Tình hình thực hiện", "Cần quan tâm", "Trạng thái theo trụ cột"},
			"en": {"Needs attention", "Status by pillar"}}[lang]
		details := map[string]string{"vi": "Các chỉ tiêu", "en": "Indicators"}[lang]
		if len(pages) < 2 {
			t.Fatalf("%s: %d page(s), want the summary then the details", lang, len(pages))
		}
		for _, w := range summary {
			if !strings.Contains(pages[0], w) {
				t.Errorf("%s: page 1 lacks %q:\n%s", lang, w, pages[0])
			}
		}
		if strings.Contains(pages[0], details+"\n") || !strings.Contains(pages[1], details) {
			t.Errorf("%s: the details (%q) do not start on page 2", lang, details)
		}
		for i, p := range pages {
			lines := strings.Split(strings.TrimSpace(p), "\n")
			last := strings.TrimSpace(lines[len(lines)-1])
			for _, h := range append(summary, details, "Đơn vị trực thuộc", "Units below") {
				if last == h {
					t.Errorf("%s: page %d ends with the heading %q", lang, i+1, h)
				}
			}
		}
		withChart := colouredPixels(t, pdf)
		// The same page with the chart's canvas hidden: what is left is
		// not the bars.
		if err := chromedp.Run(b.Ctx, chromedp.Evaluate(`document.querySelectorAll("#pillar-status canvas").forEach(c => c.style.visibility = "hidden")`, nil)); err != nil {
			t.Fatal(err)
		}
		bare := filepath.Join(dir, "briefing-"+lang+"-no-chart.pdf")
		printPDF(t, b, bare)
		if bars := withChart - colouredPixels(t, bare); bars < 5000 {
			t.Errorf("%s: the pillar chart printed with %d coloured pixels: its bars are not drawn", lang, bars)
		}
	}
	noJSErrors(t, b)
}
