package e2e

import (
	"testing"

	"github.com/chromedp/chromedp"

	"tiendo/apptest"
	"tiendo/models"
	"tiendo/seed"
)

// TestSyntheticCityOverview opens a synthetic city of 20 indicators in a real
// browser: every sparkline and the pillar chart drawn, the page served
// compressed and stored, no script error.
func TestSyntheticCityOverview(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	spec := seed.Synthetic{Units: 40, Indicators: 20, From: 2015, To: 2026, Period: models.FrequencyQuarter, Seed: 1}
	if _, err := seed.Generate(s.Store.DB(), spec); err != nil {
		t.Fatal(err)
	}
	if err := s.Store.Reassess(); err != nil {
		t.Fatal(err)
	}
	b := apptest.NewBrowser(t)
	for _, p := range []struct{ name, path string }{
		{"synthetic-city-vi", "/?unit=VN-DEMO&year=2030"},
		{"synthetic-ward-en", "/?unit=VN-DEMO-D02-W05&year=2025&lang=en"},
	} {
		// 20 sparklines and the pillar chart; drawn twice, the second time
		// from the stored answer (and the browser's 304).
		for range 2 {
			if n := drawnCharts(t, b, s.URL+p.path); n != spec.Indicators+1 {
				t.Errorf("%s: %d charts drawn, want %d", p.path, n, spec.Indicators+1)
			}
		}
		var encoding string
		if err := chromedp.Run(b.Ctx, chromedp.Evaluate(`performance.getEntriesByType('navigation')[0].encodedBodySize < performance.getEntriesByType('navigation')[0].decodedBodySize ? 'compressed' : 'plain'`, &encoding)); err != nil {
			t.Fatal(err)
		}
		if encoding != "compressed" {
			t.Errorf("%s: the browser got the page %s", p.path, encoding)
		}
		b.Screenshot(t, p.name)
	}
	if errs := b.JSErrors(); len(errs) > 0 {
		t.Errorf("JavaScript errors: %v", errs)
	}
}
