// Package e2e drives the running app in real headless Chromium.
package e2e

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"tiendo/apptest"
)

// drawnCharts waits for the charts of a page and returns how many were
// drawn onto a canvas by the locally served ECharts.
func drawnCharts(t *testing.T, b *apptest.Browser, url string) int {
	t.Helper()
	var n int
	err := chromedp.Run(b.Ctx,
		chromedp.Navigate(url),
		chromedp.WaitReady("body"),
		chromedp.Poll(`document.querySelectorAll('[data-chart]').length > 0 &&
			document.querySelectorAll('[data-chart]').length === document.querySelectorAll('[data-chart][data-drawn] canvas').length`,
			nil, chromedp.WithPollingTimeout(20*time.Second)),
		chromedp.Evaluate(`document.querySelectorAll('[data-chart][data-drawn] canvas').length`, &n),
	)
	if err != nil {
		t.Fatalf("%s: charts not drawn: %v", url, err)
	}
	return n
}

func TestOverviewAndIndicatorPagesDrawCharts(t *testing.T) {
	s := apptest.Start(t, apptest.Options{Demo: true})
	b := apptest.NewBrowser(t)
	pages := []struct {
		name, path string
		min        int
	}{
		{"overview-vi", "/", 12},
		{"overview-en", "/?lang=en", 12},
		{"indicator-vi", "/indicators/digital-economy-grdp?lang=vi", 2},
		{"indicator-en", "/indicators/gso-poverty-rate?unit=VN-51&lang=en", 1},
		{"travinh-vi", "/?unit=VN-51&year=2020&lang=vi", 1},
	}
	for _, p := range pages {
		n := drawnCharts(t, b, s.URL+p.path)
		if n < p.min {
			t.Errorf("%s: %d charts drawn, want at least %d", p.path, n, p.min)
		}
		var echartsVersion string
		if err := chromedp.Run(b.Ctx, chromedp.Evaluate(`echarts.version`, &echartsVersion)); err != nil || echartsVersion != "5.4.3" {
			t.Errorf("%s: ECharts %q loaded, want the vendored 5.4.3 (%v)", p.path, echartsVersion, err)
		}
		b.Screenshot(t, p.name)
	}
	noJSErrors(t, b)
}
