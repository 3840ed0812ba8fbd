package e2e

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"

	"tiendo/apptest"
	"tiendo/locale"
	"tiendo/models"
	"tiendo/static"
)

// TestNoStatusWordWithoutATarget opens HCMC with the demo data at both
// milestones in both languages, in Chromium: a row without a target shows
// no status word (a trend at 2030, "no target" at 2025), and the tiles add
// up to the rows the page lists.
func TestNoStatusWordWithoutATarget(t *testing.T) {
	s := apptest.Start(t, apptest.Options{Demo: true})
	cat, err := locale.Load(static.FS)
	if err != nil {
		t.Fatal(err)
	}
	b := apptest.NewBrowser(t)
	for _, lang := range []string{"vi", "en"} {
		words := map[string]bool{}
		for _, st := range models.Statuses {
			if st != models.StatusNotAvailable {
				words[cat.T(lang, "status."+string(st))] = true
			}
		}
		for _, year := range []int{2025, 2030} {
			open(t, b, fmt.Sprintf("%s/?unit=VN-SG&year=%d&lang=%s", s.URL, year, lang))
			var raw string
			err := chromedp.Run(b.Ctx, chromedp.Evaluate(`JSON.stringify({
				rows: [...document.querySelectorAll('table.indicators tbody tr')].filter(tr => !tr.closest('.history')).map(tr => {
					const s = tr.querySelector('.status');
					return {cls: s.className, word: s.textContent.replace(s.querySelector('.status-icon').textContent, '').trim()};
				}),
				tiles: [...document.querySelectorAll('.counts .count-n')].map(n => +n.textContent)})`, &raw))
			if err != nil {
				t.Fatal(err)
			}
			var page struct {
				Rows  []struct{ Cls, Word string }
				Tiles []int
			}
			if err := json.Unmarshal([]byte(raw), &page); err != nil {
				t.Fatal(err)
			}
			where := fmt.Sprintf("%d %s", year, lang)
			noTarget, sum := 0, 0
			for _, r := range page.Rows {
				if r.Cls == "status status-no_target" {
					noTarget++
					if words[r.Word] {
						t.Errorf("%s: a row without a target says %q", where, r.Word)
					}
					if year == 2025 && r.Word != cat.T(lang, "status.no_target") {
						t.Errorf("%s: a passed milestone without a target says %q, want only %q", where, r.Word, cat.T(lang, "status.no_target"))
					}
				}
			}
			for _, n := range page.Tiles {
				sum += n
			}
			if len(page.Rows) < 10 || noTarget == 0 || sum != len(page.Rows) {
				t.Errorf("%s: %d rows (%d without a target), tiles add up to %d", where, len(page.Rows), noTarget, sum)
			}
			b.Screenshot(t, fmt.Sprintf("truth-hcmc-%d-%s", year, lang))
		}
	}
}
