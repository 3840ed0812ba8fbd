package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"tiendo/apptest"
	"tiendo/models"
)

// overflow lists the elements wider than the viewport (right edge past it)
// that are not inside a region that scrolls by itself, and whether the
// page scrolls sideways.
const overflowJS = `(() => {
  const w = document.documentElement.clientWidth, bad = [];
  if (document.documentElement.scrollWidth > w) bad.push("the page scrolls sideways: " + document.documentElement.scrollWidth + " > " + w);
  const scrolls = el => { for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
    const o = getComputedStyle(p).overflowX; if (o === "auto" || o === "scroll" || o === "hidden") return true; } return false; };
  for (const el of document.querySelectorAll("body *")) {
    const r = el.getBoundingClientRect();
    const d = el.closest("details");
    if (d && !d.open && !el.closest("summary")) continue; // folded away
    if (r.width === 0 || r.height === 0 || r.right <= w + 1 || scrolls(el)) continue;
    bad.push(el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (el.className && el.className.baseVal === undefined ? "." + String(el.className).split(" ").join(".") : "") + " right edge " + Math.round(r.right));
    if (bad.length > 8) break;
  }
  return bad;
})()`

// Every page at a phone's size (390 × 844) and a laptop's (1366 × 900), in
// both languages: nothing wider than the screen, no JavaScript error,
// axe-core clean, and a screenshot of each to look at. The smallest phones
// still sold (360 px wide) get the width check too, in the longer language
// of each page (both are checked: Vietnamese and English words differ).
func TestEveryPageFitsPhoneAndLaptop(t *testing.T) {
	s := apptest.Start(t, apptest.Options{Demo: true})
	s.AddUser(t, "admin", models.RoleAdmin, "", password)
	s.AddTestBreakdowns(t)
	pages := apptest.Pages(s)
	for _, size := range []struct {
		name          string
		width, height int64
		mobile        bool
		widthOnly     bool // no screenshot and no axe run: the 390 px pass has them
	}{{"phone", 390, 844, true, false}, {"small-phone", 360, 740, true, true}, {"laptop", 1366, 900, false, false}} {
		for _, lang := range []string{"vi", "en"} {
			var b *apptest.Browser
			for i, p := range pages {
				// A fresh browser every few pages: each has its own time
				// budget, which a busy machine would otherwise exhaust.
				if i%6 == 0 {
					if b != nil {
						noJSErrors(t, b)
					}
					b = apptest.NewBrowser(t)
					signIn(t, b, s, "admin")
					if err := chromedp.Run(b.Ctx, emulation.SetDeviceMetricsOverride(size.width, size.height, 1, size.mobile)); err != nil {
						t.Fatal(err)
					}
				}
				sep := "?"
				if strings.Contains(p, "?") {
					sep = "&"
				}
				url := s.URL + p + sep + "lang=" + lang
				err := chromedp.Run(b.Ctx, chromedp.Navigate(url), chromedp.WaitReady("body"),
					chromedp.Poll(`document.readyState === 'complete' && document.querySelectorAll('[data-chart]').length === document.querySelectorAll('[data-chart][data-drawn] canvas').length`,
						nil, chromedp.WithPollingTimeout(20*time.Second)))
				if err != nil {
					t.Fatalf("%s: %v", url, err)
				}
				var bad []string
				if err := chromedp.Run(b.Ctx, chromedp.Evaluate(overflowJS, &bad)); err != nil {
					t.Fatal(err)
				}
				if len(bad) > 0 {
					t.Errorf("%s at %s: wider than the screen: %v", p, size.name, bad)
				}
				if size.widthOnly {
					continue
				}
				name := fmt.Sprintf("fit-%s-%s-%02d-%s", size.name, lang, i, strings.Trim(strings.NewReplacer("/", "-", "?", "-", "&", "-", "=", "-").Replace(p), "-"))
				b.Screenshot(t, name)
				if lang == "vi" {
					checkAxe(t, b, p+" at "+size.name)
				}
			}
			noJSErrors(t, b)
		}
	}
}
