package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"tiendo/apptest"
	"tiendo/seed"
)

// The completeness page in both languages passes axe-core, and the overview's
// "not reported" line leads to it.
func TestCompletenessPageAccessibleAndLinkedFromTheOverview(t *testing.T) {
	s := apptest.Start(t, apptest.Options{Demo: true})
	b := apptest.NewBrowser(t)
	q1 := seed.DistrictCode("760")
	for _, p := range []struct{ name, path string }{
		{"completeness-city-vi", "/completeness?unit=VN-SG&lang=vi"},
		{"completeness-city-en", "/completeness?unit=VN-SG&lang=en"},
		{"completeness-district-vi", "/completeness?unit=" + q1 + "&indicator=dossiers-ward&lang=vi"},
		{"completeness-pillar-en", "/completeness?unit=VN-SG&pillar=digital-government&lang=en"},
	} {
		open(t, b, s.URL+p.path)
		checkAxe(t, b, p.name)
		b.Screenshot(t, p.name)
	}
	open(t, b, s.URL+"/?unit=VN-SG&lang=vi")
	line := text(t, b, `a[href^="/completeness"]`)
	if !strings.Contains(line, "chưa báo cáo") {
		t.Fatalf("overview's completeness line: %q", line)
	}
	if err := chromedp.Run(b.Ctx, chromedp.Click(`a[href^="/completeness"]`, chromedp.ByQuery), chromedp.WaitVisible(`table.fillmap`)); err != nil {
		t.Fatal(err)
	}
	if h := text(t, b, "h1"); h != "Tình hình báo cáo số liệu: TP Hồ Chí Minh" {
		t.Errorf("the overview's line opened %q", h)
	}
	noJSErrors(t, b)
}
