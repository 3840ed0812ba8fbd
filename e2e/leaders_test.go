package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"tiendo/apptest"
	"tiendo/seed"
)

// open loads a page and waits until every chart on it is drawn.
func open(t *testing.T, b *apptest.Browser, url string) {
	t.Helper()
	err := chromedp.Run(b.Ctx,
		chromedp.Navigate(url),
		chromedp.WaitReady("body"),
		chromedp.Poll(`document.readyState === 'complete' && document.querySelectorAll('[data-chart]').length === document.querySelectorAll('[data-chart][data-drawn] canvas').length`,
			nil, chromedp.WithPollingTimeout(20*time.Second)),
	)
	if err != nil {
		t.Fatalf("%s: %v", url, err)
	}
}

func awaitPromise(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }

// axeViolation is what axe-core reports of one broken rule.
type axeViolation struct {
	ID, Impact, Help string
	Nodes            []struct {
		Target []any `json:"target"`
	}
}

// checkAxe injects axe-core (from npm, copied by `make assets`) into the
// page and fails on any serious or critical violation.
func checkAxe(t *testing.T, b *apptest.Browser, name string) {
	t.Helper()
	src, err := os.ReadFile("../static/vendor/axe.min.js")
	if err != nil || len(src) < 1000 {
		t.Fatalf("axe-core missing (run `make assets`, which installs it from npm): %v", err)
	}
	var raw string
	err = chromedp.Run(b.Ctx,
		chromedp.Evaluate(string(src), nil),
		chromedp.Evaluate(`axe.run(document, {resultTypes: ["violations"]}).then(r => JSON.stringify(r.violations))`, &raw, awaitPromise),
	)
	if err != nil {
		t.Fatalf("%s: axe: %v", name, err)
	}
	var vs []axeViolation
	if err := json.Unmarshal([]byte(raw), &vs); err != nil {
		t.Fatalf("%s: axe result: %v", name, err)
	}
	if os.Getenv("AXE_VERBOSE") != "" {
		for _, v := range vs {
			t.Logf("%s: axe %s (%s) on %d nodes", name, v.ID, v.Impact, len(v.Nodes))
		}
	}
	for _, v := range vs {
		if v.Impact == "serious" || v.Impact == "critical" {
			var where []string
			for _, n := range v.Nodes {
				where = append(where, fmt.Sprint(n.Target...))
			}
			t.Errorf("%s: axe %s (%s): %s at %s", name, v.ID, v.Impact, v.Help, strings.Join(where, "; "))
		}
	}
}

// noJSErrors fails the test if the page threw a JavaScript error.
func noJSErrors(t *testing.T, b *apptest.Browser) {
	t.Helper()
	if errs := b.JSErrors(); len(errs) > 0 {
		t.Errorf("JavaScript errors: %v", errs)
	}
}

// text reads the text of the first element sel matches.
func text(t *testing.T, b *apptest.Browser, sel string) string {
	t.Helper()
	var s string
	if err := chromedp.Run(b.Ctx, chromedp.Text(sel, &s, chromedp.ByQuery)); err != nil {
		t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

// Every leaders' page, in both languages, passes axe-core with no serious
// or critical violation and throws no JavaScript error.
func TestLeadersPagesAccessibleWithoutErrors(t *testing.T) {
	s := apptest.Start(t, apptest.Options{Demo: true})
	b := apptest.NewBrowser(t)
	q1 := seed.DistrictCode("760")
	pages := []struct{ name, path string }{
		{"leaders-overview-vi", "/?unit=VN-SG&year=2030&lang=vi"},
		{"leaders-overview-en", "/?unit=VN-SG&year=2030&lang=en"},
		{"leaders-overview-2025-vi", "/?unit=VN-SG&year=2025&lang=vi"},
		{"leaders-district-en", "/?unit=" + q1 + "&year=2030&lang=en"},
		{"leaders-ward-vi", "/?unit=" + q1 + "-26740&year=2030&lang=vi"},
		{"leaders-successor-vi", "/?unit=VN-49&lang=vi"},
		{"leaders-ended-en", "/?unit=VN-51&year=2020&lang=en"},
		{"leaders-compare-vi", "/compare?unit=VN-SG&year=2030&lang=vi"},
		{"leaders-compare-en", "/compare?unit=VN-SG&year=2025&indicator=systems-connected&lang=en"},
		{"leaders-compare-district-en", "/compare?unit=" + q1 + "&year=2030&lang=en"},
		{"leaders-briefing-vi", "/briefing?unit=VN-SG&year=2030&lang=vi"},
		{"leaders-briefing-en", "/briefing?unit=VN-SG&year=2025&lang=en"},
		{"leaders-embed-vi", "/embed/indicators/5g-coverage?unit=VN-SG&lang=vi"},
		{"leaders-embed-en", "/embed/indicators/fibre-coverage?unit=" + q1 + "&lang=en"},
		{"leaders-indicator-en", "/indicators/digital-economy-grdp?lang=en"},
	}
	for _, p := range pages {
		open(t, b, s.URL+p.path)
		checkAxe(t, b, p.name)
		b.Screenshot(t, p.name)
	}
	noJSErrors(t, b)
}

func TestMilestoneSwitch(t *testing.T) {
	s := apptest.Start(t, apptest.Options{Demo: true})
	b := apptest.NewBrowser(t)
	open(t, b, s.URL+"/?unit=VN-SG&lang=en")
	if h := text(t, b, ".milestone-explain"); !strings.Contains(h, "2030 milestone is ahead") {
		t.Fatalf("opens on 2030 (the next milestone): %q", h)
	}
	var url string
	err := chromedp.Run(b.Ctx,
		chromedp.Click(`.milestones a[href*="year=2025"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`.milestones a.current[href*="year=2025"]`, chromedp.ByQuery),
		chromedp.Location(&url),
	)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(url, "year=2025") || !strings.Contains(url, "lang=en") {
		t.Errorf("URL after the switch: %s", url)
	}
	if h := text(t, b, ".milestone-explain"); !strings.Contains(h, "2025 milestone has passed") {
		t.Errorf("after the switch: %q", h)
	}
	// A passed milestone has only met or missed targets.
	counts := text(t, b, ".counts")
	if !strings.Contains(counts, "Achieved") && !strings.Contains(counts, "Missed") || strings.Contains(counts, "On track") {
		t.Errorf("2025 counts: %q", counts)
	}
	b.Screenshot(t, "leaders-milestone-2025-en")
}

// From the city to a ward and back, by clicking: links, a bar of the
// ranking chart, a heatmap cell and the breadcrumbs; and by keyboard.
func TestDrillDownByClickToAWard(t *testing.T) {
	s := apptest.Start(t, apptest.Options{Demo: true})
	b := apptest.NewBrowser(t)
	open(t, b, s.URL+"/?unit=VN-SG&year=2030&lang=en")
	err := chromedp.Run(b.Ctx,
		chromedp.Click(`//table[contains(@class,"children")]//a[normalize-space(text())="District 1"]`, chromedp.BySearch),
		chromedp.WaitVisible(`//h1[text()="District 1"]`, chromedp.BySearch),
		chromedp.Click(`//table[contains(@class,"children")]//a[normalize-space(text())="Bến Nghé Ward"]`, chromedp.BySearch),
		chromedp.WaitVisible(`//h1[text()="Bến Nghé Ward"]`, chromedp.BySearch),
	)
	if err != nil {
		t.Fatalf("drill down by links: %v", err)
	}
	if c := text(t, b, ".crumbs"); !strings.Contains(c, "Ho Chi Minh City") || !strings.Contains(c, "District 1") {
		t.Errorf("breadcrumbs: %q", c)
	}
	b.Screenshot(t, "leaders-drill-ward-en")
	// Back up by the breadcrumbs.
	if err := chromedp.Run(b.Ctx,
		chromedp.Click(`//nav[contains(@class,"crumbs")]//a[text()="Ho Chi Minh City"]`, chromedp.BySearch),
		chromedp.WaitVisible(`//h1[text()="Ho Chi Minh City"]`, chromedp.BySearch),
	); err != nil {
		t.Fatalf("back by breadcrumbs: %v", err)
	}

	// The ranking chart: a click on District 1's bar drills into its wards,
	// a click on a ward's bar opens the ward's indicator page.
	open(t, b, s.URL+"/compare?unit=VN-SG&year=2030&indicator=fibre-coverage&lang=en")
	clickBar(t, b, "District 1")
	if err := chromedp.Run(b.Ctx, chromedp.WaitVisible(`//h1[contains(text(),"District 1")]`, chromedp.BySearch)); err != nil {
		t.Fatalf("bar click did not drill into District 1: %v", err)
	}
	open(t, b, s.URL+"/compare?unit="+seed.DistrictCode("760")+"&year=2030&indicator=fibre-coverage&lang=en")
	clickBar(t, b, "Đa Kao Ward")
	var url string
	if err := chromedp.Run(b.Ctx,
		chromedp.WaitVisible(`//h1[text()="Fibre broadband coverage"]`, chromedp.BySearch),
		chromedp.Location(&url),
	); err != nil {
		t.Fatalf("bar click did not open the ward: %v", err)
	}
	if !strings.Contains(url, "unit="+seed.DistrictCode("760")+"-26737") {
		t.Errorf("ward bar led to %s", url)
	}
	b.Screenshot(t, "leaders-drill-ward-indicator-en")

	// The heatmap, by keyboard: focus a cell's link and press Enter.
	open(t, b, s.URL+"/compare?unit=VN-SG&year=2030&lang=en")
	if err := chromedp.Run(b.Ctx,
		chromedp.Focus(`//table[contains(@class,"heatmap")]//tr[th/a[text()="District 1"]]/td[1]/a`, chromedp.BySearch),
		chromedp.KeyEvent("\r"),
		chromedp.WaitVisible(`//h1[contains(text(),"District 1")]`, chromedp.BySearch),
		chromedp.Location(&url),
	); err != nil {
		t.Fatalf("heatmap cell by keyboard: %v", err)
	}
	if !strings.Contains(url, "/compare?") || !strings.Contains(url, "unit="+seed.DistrictCode("760")) {
		t.Errorf("heatmap cell led to %s", url)
	}
	noJSErrors(t, b)
}

// clickBar clicks the middle of a unit's bar in the ranking chart.
func clickBar(t *testing.T, b *apptest.Browser, unit string) {
	t.Helper()
	var xy []float64
	js := fmt.Sprintf(`(function () {
		var el = document.getElementById("ranked");
		el.scrollIntoView({block: "center"});
		var c = echarts.getInstanceByDom(el), o = c.getOption();
		var i = o.yAxis[0].data.indexOf(%q);
		if (i < 0) return [];
		var pt = c.convertToPixel({seriesIndex: 0}, [o.series[0].data[i].value / 2, i]);
		var r = el.getBoundingClientRect();
		return [r.left + pt[0], r.top + pt[1]];
	})()`, unit)
	if err := chromedp.Run(b.Ctx, chromedp.Evaluate(js, &xy)); err != nil || len(xy) != 2 {
		t.Fatalf("no bar for %s: %v %v", unit, xy, err)
	}
	if err := chromedp.Run(b.Ctx, chromedp.MouseClickXY(xy[0], xy[1])); err != nil {
		t.Fatal(err)
	}
}

func TestBriefingAndEmbed(t *testing.T) {
	s := apptest.Start(t, apptest.Options{Demo: true})
	b := apptest.NewBrowser(t)
	open(t, b, s.URL+"/briefing?unit=VN-SG&year=2025&lang=vi")
	var navShown, footShown bool
	err := chromedp.Run(b.Ctx,
		emulation.SetEmulatedMedia().WithMedia("print"),
		chromedp.Evaluate(`getComputedStyle(document.querySelector(".leaders-nav")).display !== "none"`, &navShown),
		chromedp.Evaluate(`getComputedStyle(document.querySelector(".foot")).display !== "none"`, &footShown),
	)
	if err != nil {
		t.Fatal(err)
	}
	if navShown || footShown {
		t.Errorf("print styles: navigation shown %v, footer shown %v", navShown, footShown)
	}
	b.Screenshot(t, "leaders-briefing-print-vi")
	if err := chromedp.Run(b.Ctx, emulation.SetEmulatedMedia().WithMedia("screen")); err != nil {
		t.Fatal(err)
	}
	if h := text(t, b, ".briefing-head"); !strings.Contains(h, "Ngày lập: 26/11/2026") || !strings.Contains(h, "2025") {
		t.Errorf("briefing head: %q", h)
	}

	// The embed loads inside another site's iframe (a page of another
	// origin): a frame-ancestors or X-Frame-Options refusal would leave
	// Chromium's error page in the frame instead.
	host := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `<!DOCTYPE html><html lang="en"><title>portal</title><iframe title="5G" width="640" height="560" src="%s/embed/indicators/5g-coverage?unit=VN-SG&amp;lang=en"></iframe>`, s.URL)
	}))
	defer host.Close()
	var tree *page.FrameTree
	err = chromedp.Run(b.Ctx,
		chromedp.Navigate(host.URL),
		chromedp.Sleep(2*time.Second),
		chromedp.ActionFunc(func(ctx context.Context) error {
			var err error
			tree, err = page.GetFrameTree().Do(ctx)
			return err
		}),
	)
	if err != nil {
		t.Fatal(err)
	}
	if len(tree.ChildFrames) != 1 || !strings.HasPrefix(tree.ChildFrames[0].Frame.URL, s.URL+"/embed/") {
		t.Errorf("the embed did not load in a cross-origin iframe: %+v", tree.ChildFrames)
	}
	b.Screenshot(t, "leaders-embed-iframe-en")
	noJSErrors(t, b)
}

// A keyboard user reaches the milestone switch with Tab alone, in the
// page's order, and switches with Enter; the skip link comes first.
func TestKeyboardOnly(t *testing.T) {
	s := apptest.Start(t, apptest.Options{Demo: true})
	b := apptest.NewBrowser(t)
	open(t, b, s.URL+"/?unit=VN-SG&year=2030&lang=en")
	var first string
	if err := chromedp.Run(b.Ctx, chromedp.KeyEvent("\t"), chromedp.Evaluate(`document.activeElement.className`, &first)); err != nil {
		t.Fatal(err)
	}
	if first != "skip" {
		t.Errorf("first Tab stop is %q, want the skip link", first)
	}
	reached := false
	for i := 0; i < 40 && !reached; i++ {
		var href string
		if err := chromedp.Run(b.Ctx, chromedp.KeyEvent("\t"), chromedp.Evaluate(`document.activeElement.getAttribute("href") || ""`, &href)); err != nil {
			t.Fatal(err)
		}
		reached = strings.Contains(href, "year=2025") && strings.HasPrefix(href, "/?")
	}
	if !reached {
		t.Fatal("the 2025 milestone tab was not reached with Tab")
	}
	if err := chromedp.Run(b.Ctx, chromedp.KeyEvent("\r"),
		chromedp.WaitVisible(`.milestones a.current[href*="year=2025"]`, chromedp.ByQuery)); err != nil {
		t.Fatalf("Enter on the milestone tab: %v", err)
	}
}
