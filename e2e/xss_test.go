package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"tiendo/apptest"
)

// TestHostileNamesAreShownAsText stores names that try to break out of every
// context (HTML, attributes, JSON in data-options, script blocks) and visits
// every page in real Chromium: no injected script runs, no injected element
// exists, the name is shown as text, and every chart still draws, also with
// its tooltips open.
func TestHostileNamesAreShownAsText(t *testing.T) {
	s := apptest.Start(t, apptest.Options{Demo: true})
	apptest.AddHostile(t, s.Store)
	b := apptest.NewBrowser(t)
	pages := []string{
		"/",
		"/?lang=en",
		"/?unit=" + apptest.HostileUnit,
		"/?unit=" + apptest.HostileUnit + "&lang=en&year=2030",
		"/indicators/" + apptest.HostileIndicator,
		"/indicators/" + apptest.HostileIndicator + "?unit=" + apptest.HostileUnit + "&lang=en",
		"/indicators/no-such?unit=%3Cscript%3Ewindow.__xss%3D4%3C%2Fscript%3E",
	}
	for i, p := range pages {
		var xss, injected, scripts int
		var text string
		err := chromedp.Run(b.Ctx,
			chromedp.Navigate(s.URL+p),
			chromedp.WaitReady("body"),
			chromedp.Poll(`document.querySelectorAll('[data-chart]').length === document.querySelectorAll('[data-chart][data-drawn]').length`,
				nil, chromedp.WithPollingTimeout(20*time.Second)),
			// Open every chart's tooltip: ECharts writes it as HTML.
			chromedp.Evaluate(`document.querySelectorAll('[data-chart][data-drawn]').forEach(function (el) {
				var c = echarts.getInstanceByDom(el);
				for (var i = 0; i < 4; i++) { c.dispatchAction({type: 'showTip', seriesIndex: 0, dataIndex: i}); }
			}); 0`, nil),
			chromedp.Sleep(300*time.Millisecond),
			chromedp.Evaluate(`window.__xss || 0`, &xss),
			chromedp.Evaluate(`document.querySelectorAll('img[src="x"], [onerror]').length`, &injected),
			// Only the app's own files may run: any inline script, or one
			// from elsewhere, is an injection.
			chromedp.Evaluate(`Array.from(document.scripts).filter(s => s.text.trim() !== '' || !s.src.startsWith(location.origin + '/static/')).length`, &scripts),
			chromedp.Evaluate(`document.body.innerText`, &text),
		)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if xss != 0 {
			t.Errorf("%s: injected script %d ran", p, xss)
		}
		if injected != 0 {
			t.Errorf("%s: %d injected elements in the page", p, injected)
		}
		if scripts != 0 {
			t.Errorf("%s: %d script elements that are not the app's static files", p, scripts)
		}
		if i == 5 {
			b.Screenshot(t, "xss-indicator")
		}
		if !strings.Contains(p, "no-such") && !strings.Contains(text, `<script>window.__xss=1</script>"'>`) {
			t.Errorf("%s: the hostile name is not shown as text", p)
		}
	}
	if errs := b.JSErrors(); len(errs) > 0 {
		t.Errorf("JavaScript errors: %v", errs)
	}
}
