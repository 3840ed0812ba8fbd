package e2e

import (
	"testing"

	"github.com/chromedp/chromedp"

	"tiendo/apptest"
)

// Chart axes, tooltips and labels write numbers as the page does:
// Vietnamese 44,5, English 44.5.
func TestChartNumbersInThePagesFormat(t *testing.T) {
	s := apptest.Start(t, apptest.Options{Demo: true})
	b := apptest.NewBrowser(t)
	for _, c := range []struct{ lang, want string }{{"vi", "44,5|1.234,5"}, {"en", "44.5|1,234.5"}} {
		open(t, b, s.URL+"/indicators/5g-coverage?unit=VN-SG&lang="+c.lang)
		var got string
		err := chromedp.Run(b.Ctx, chromedp.Evaluate(`(() => {
			const o = echarts.getInstanceByDom(document.getElementById("trajectory")).getOption();
			return o.yAxis[0].axisLabel.formatter(44.5) + "|" + o.tooltip[0].valueFormatter(1234.5);
		})()`, &got))
		if err != nil {
			t.Fatal(err)
		}
		if got != c.want {
			t.Errorf("%s: chart numbers %q, want %q", c.lang, got, c.want)
		}
		open(t, b, s.URL+"/compare?unit=VN-SG&year=2030&indicator=5g-coverage&lang="+c.lang)
		err = chromedp.Run(b.Ctx, chromedp.Evaluate(`(() => {
			const o = echarts.getInstanceByDom(document.getElementById("ranked")).getOption();
			return o.series[0].label.formatter({value: 44.5}) + "|" + o.xAxis[0].axisLabel.formatter(1234.5);
		})()`, &got))
		if err != nil {
			t.Fatal(err)
		}
		if got != c.want {
			t.Errorf("%s: bar labels %q, want %q", c.lang, got, c.want)
		}
	}
	noJSErrors(t, b)
}
