package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"tiendo/apptest"
	"tiendo/models"
	"tiendo/seed"
)

// drawnSeries are the names of the series ECharts draws in the chart.
func drawnSeries(t *testing.T, b *apptest.Browser, chart string) []string {
	t.Helper()
	var names []string
	js := fmt.Sprintf(`echarts.getInstanceByDom(document.getElementById(%q)).getOption().series.map(s => s.name)`, chart)
	if err := chromedp.Run(b.Ctx, chromedp.Evaluate(js, &names)); err != nil {
		t.Fatal(err)
	}
	return names
}

// awaitSeries waits until the chart, redrawn, has n series.
func awaitSeries(t *testing.T, b *apptest.Browser, chart string, n int) {
	t.Helper()
	js := fmt.Sprintf(`(() => { const el = document.getElementById(%q); const c = el && el.hasAttribute("data-drawn") && echarts.getInstanceByDom(el);
	  return !!c && c.getOption().series.length === %d; })()`, chart, n)
	if err := chromedp.Run(b.Ctx, chromedp.Poll(js, nil, chromedp.WithPollingTimeout(15*time.Second))); err != nil {
		t.Fatalf("%s never had %d series (has %q): %v", chart, n, drawnSeries(t, b, chart), err)
	}
}

// settle waits for the charts' animation to end, for a screenshot.
func settle(t *testing.T, b *apptest.Browser) {
	t.Helper()
	if err := chromedp.Run(b.Ctx, chromedp.Sleep(1500*time.Millisecond)); err != nil {
		t.Fatal(err)
	}
}

// press focuses the element and presses the space bar, as a keyboard user
// ticks a box.
func press(t *testing.T, b *apptest.Browser, sel string) {
	t.Helper()
	if err := chromedp.Run(b.Ctx, chromedp.Focus(sel, chromedp.ByQuery), chromedp.KeyEvent(" ")); err != nil {
		t.Fatalf("space on %s: %v", sel, err)
	}
}

func evalString(t *testing.T, b *apptest.Browser, js string) string {
	t.Helper()
	var s string
	if err := chromedp.Run(b.Ctx, chromedp.Evaluate(js, &s)); err != nil {
		t.Fatal(err)
	}
	return s
}

// The breakdown explorer, in both languages, with the keyboard: each box
// ticked redraws the chart with one series per breakdown and lists them in
// the table, the address keeps the choice (a reload shows the same), focus
// stays on the box, no JavaScript error, axe-core clean; and the same in
// the embed.
func TestBreakdownExplorerInTheBrowser(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	s.AddTestBreakdowns(t)
	b := apptest.NewBrowser(t)
	for _, tc := range []struct {
		lang, rural, women, count, total string
	}{
		{"vi", "Nông thôn", "Nữ · Nông thôn", "Giá trị đã chọn: 3 · phân tổ đang hiển thị: 4", "2015 Tổng 12 %"},
		{"en", "Rural", "Female · Rural", "Values chosen: 3 · breakdowns shown: 4", "2015 Total 12 %"},
	} {
		open(t, b, s.URL+"/indicators/gso-poverty-rate?unit=VN-51&lang="+tc.lang)
		if got := drawnSeries(t, b, "trajectory"); len(got) != 1 {
			t.Fatalf("%s: nothing chosen, series %q", tc.lang, got)
		}
		checkAxe(t, b, "explorer "+tc.lang)

		press(t, b, "#bd-URBANISATION-R")
		awaitSeries(t, b, "trajectory", 2)
		if got := drawnSeries(t, b, "trajectory"); got[1] != tc.rural {
			t.Errorf("%s: series %q, want %s beside the total", tc.lang, got, tc.rural)
		}
		if id := evalString(t, b, `document.activeElement.id`); id != "bd-URBANISATION-R" {
			t.Errorf("%s: focus moved to %q", tc.lang, id)
		}
		rows := evalString(t, b, `[...document.querySelectorAll(".breakdown-values tbody tr")].map(r => r.innerText.split("\t").slice(0, 3).join(" ")).join("\n")`)
		if !strings.Contains(rows, tc.total) || !strings.Contains(rows, "2015 "+tc.rural+" ") {
			t.Errorf("%s: table rows\n%s", tc.lang, rows)
		}

		// "Select all" of sex, with the keyboard.
		press(t, b, `fieldset:first-of-type [data-select-all]`)
		awaitSeries(t, b, "trajectory", 5)
		got := drawnSeries(t, b, "trajectory")
		if !strings.Contains(strings.Join(got, "|"), tc.women) {
			t.Errorf("%s: series %q, no %s", tc.lang, got, tc.women)
		}
		if c := evalString(t, b, `document.getElementById("explorer-count").textContent`); c != tc.count {
			t.Errorf("%s: count %q, want %q", tc.lang, c, tc.count)
		}
		checkAxe(t, b, "explorer "+tc.lang+" with breakdowns")
		settle(t, b)
		b.Screenshot(t, "breakdowns-laptop-"+tc.lang)

		// The address reproduces the view.
		here := evalString(t, b, `location.href`)
		if !strings.Contains(here, "bd=SEX%3DF") || !strings.Contains(here, "bd=URBANISATION%3DR") {
			t.Errorf("%s: the address lost the choice: %s", tc.lang, here)
		}
		open(t, b, here)
		if again := drawnSeries(t, b, "trajectory"); strings.Join(again, "|") != strings.Join(got, "|") {
			t.Errorf("%s: reloaded, series %q, want %q", tc.lang, again, got)
		}
		// Untick: the series goes, and the unit picker keeps the choice.
		press(t, b, "#bd-URBANISATION-R")
		awaitSeries(t, b, "trajectory", 3)
		if kept := evalString(t, b, `[...document.querySelectorAll(".unit-form input[name=bd]")].map(i => i.value).join(",")`); kept != "SEX=F,SEX=M" && kept != "" {
			t.Errorf("%s: the unit picker keeps %q", tc.lang, kept)
		}
	}

	// The embed, framed on a portal: the same choice, the same series.
	open(t, b, s.URL+"/embed/indicators/gso-poverty-rate?unit=VN-51&lang=en&bd=URBANISATION%3DU")
	if got := drawnSeries(t, b, "embed-chart"); len(got) < 2 || got[1] != "Urban" {
		t.Errorf("embed: series %q", got)
	}
	press(t, b, "#bd-URBANISATION-R")
	awaitSeries(t, b, "embed-chart", 3)
	checkAxe(t, b, "embed with breakdowns")
	settle(t, b)
	b.Screenshot(t, "breakdowns-embed-en")
	noJSErrors(t, b)
}

// The explorer and its table on a phone (390 px) and a laptop: nothing
// wider than the screen outside a region that scrolls, axe-core clean.
func TestBreakdownExplorerFitsPhoneAndLaptop(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	s.AddTestBreakdowns(t)
	b := apptest.NewBrowser(t)
	for _, size := range screens {
		setScreen(t, b, size)
		for _, lang := range []string{"vi", "en"} {
			open(t, b, s.URL+"/indicators/gso-poverty-rate?unit=VN-51&bd=SEX%3DF&bd=SEX%3DM&bd=URBANISATION%3DR&bd=URBANISATION%3DU&lang="+lang)
			var bad []string
			if err := chromedp.Run(b.Ctx, chromedp.Evaluate(overflowJS, &bad)); err != nil {
				t.Fatal(err)
			}
			if len(bad) > 0 {
				t.Errorf("%s %s: wider than the screen: %v", size.name, lang, bad)
			}
			checkAxe(t, b, "explorer at "+size.name+" "+lang)
			settle(t, b)
			b.Screenshot(t, "breakdowns-"+size.name+"-all-"+lang)
		}
	}
	noJSErrors(t, b)
}

// The statuses of assessed breakdowns under the total's, the warning of
// parts that do not add up, and the ranking of units on a breakdown: axe-
// core clean in both languages, and screenshots to look at.
func TestBreakdownStatusesWarningsAndRankingInTheBrowser(t *testing.T) {
	s := apptest.Start(t, apptest.Options{Demo: true})
	s.AddBreakdowns(t, "fibre-coverage", []string{"URBANISATION"},
		apptest.Part{Unit: "VN-SG", Period: "2021", Breakdown: "URBANISATION=R", Value: 50},
		apptest.Part{Unit: "VN-SG", Period: "2023", Breakdown: "URBANISATION=R", Value: 58.5},
		apptest.Part{Unit: seed.DistrictCode("764"), Period: "2024", Breakdown: "URBANISATION=R", Value: 80.5},
		apptest.Part{Unit: seed.DistrictCode("783"), Period: "2025", Breakdown: "URBANISATION=R", Value: 60.2})
	ind, err := s.Store.IndicatorByCode("fibre-coverage")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Store.SetAssessedBreakdowns(models.Actor{Username: "test"}, *ind, []string{"URBANISATION=R"}); err != nil {
		t.Fatal(err)
	}
	s.AddBreakdowns(t, "poor-households", []string{"URBANISATION"},
		apptest.Part{Unit: "VN-51", Period: "2020", Breakdown: "URBANISATION=U", Value: 2000},
		apptest.Part{Unit: "VN-51", Period: "2020", Breakdown: "URBANISATION=R", Value: 7000})
	b := apptest.NewBrowser(t)
	for _, lang := range []string{"vi", "en"} {
		for name, path := range map[string]string{
			"assessed": "/indicators/fibre-coverage?unit=VN-SG",
			"sums":     "/indicators/poor-households?unit=VN-51",
			"ranked":   "/compare?unit=VN-SG&year=2030&indicator=fibre-coverage&breakdown=URBANISATION%3DR",
		} {
			open(t, b, s.URL+path+"&lang="+lang)
			checkAxe(t, b, name+" "+lang)
			settle(t, b)
			b.Screenshot(t, "breakdowns-"+name+"-"+lang)
		}
	}
	noJSErrors(t, b)
}
