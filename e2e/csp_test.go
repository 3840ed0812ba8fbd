package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"tiendo/apptest"
	"tiendo/models"
)

// recordViolations makes every page of the tab collect the Content-Security-
// Policy violations it meets into window.__csp (DevTools injects the
// listener, so the policy does not apply to it).
func recordViolations(t *testing.T, b *apptest.Browser) {
	t.Helper()
	err := chromedp.Run(b.Ctx, chromedp.ActionFunc(func(ctx context.Context) error {
		_, err := page.AddScriptToEvaluateOnNewDocument(`window.__csp = [];
			document.addEventListener("securitypolicyviolation", function (e) {
				window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + (e.sample || ""));
			});`).Do(ctx)
		return err
	}))
	if err != nil {
		t.Fatal(err)
	}
}

// TestNoPageBreaksTheCSP walks every kind of page, signed out and signed in
// as an administrator, with the real Content-Security-Policy: nothing on
// them is blocked, and every chart draws.
func TestNoPageBreaksTheCSP(t *testing.T) {
	s := apptest.Start(t, apptest.Options{Demo: true})
	s.AddUser(t, "csp-admin", models.RoleAdmin, "", "a long enough password 1")
	b := apptest.NewBrowser(t)
	recordViolations(t, b)
	public := []string{"/", "/?lang=en", "/indicators/digital-economy-grdp", "/compare", "/briefing", "/embed/indicators/digital-economy-grdp", "/login", "/no-such-page"}
	signedIn := []string{"/edit", "/edit/indicators/new", "/edit/indicators/digital-economy-grdp", "/edit/indicators/digital-economy-grdp/targets",
		"/edit/indicators/digital-economy-grdp/grid", "/edit/indicators/digital-economy-grdp/value", "/audit", "/account/tokens", "/admin/users"}
	visit := func(p string) {
		var violations []string
		err := chromedp.Run(b.Ctx,
			chromedp.Navigate(s.URL+p),
			chromedp.WaitReady("body"),
			chromedp.Poll(`document.querySelectorAll('[data-chart]').length === document.querySelectorAll('[data-chart][data-drawn]').length`,
				nil, chromedp.WithPollingTimeout(20*time.Second)),
			chromedp.Sleep(200*time.Millisecond),
			chromedp.Evaluate(`window.__csp || []`, &violations),
		)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if len(violations) > 0 {
			t.Errorf("%s: the CSP blocked %s", p, strings.Join(violations, "; "))
		}
	}
	for _, p := range public {
		visit(p)
	}
	err := chromedp.Run(b.Ctx,
		chromedp.Navigate(s.URL+"/login"),
		chromedp.SendKeys(`#f-username`, "csp-admin"),
		chromedp.SendKeys(`#f-password`, "a long enough password 1"),
		chromedp.Submit(`#f-password`),
		chromedp.WaitNotPresent(`#f-password`),
	)
	if err != nil {
		t.Fatalf("signing in: %v", err)
	}
	for _, p := range signedIn {
		visit(p)
	}
	// The detector itself works: an inline handler slipped into the page is
	// blocked and recorded.
	var blocked int
	err = chromedp.Run(b.Ctx,
		chromedp.Evaluate(`document.body.insertAdjacentHTML("beforeend", '<img src="data:," onload="window.__ran=1">'); 0`, nil),
		chromedp.Poll(`window.__csp.length > 0`, nil, chromedp.WithPollingTimeout(5*time.Second)),
		chromedp.Evaluate(`window.__ran ? -1 : window.__csp.length`, &blocked),
	)
	if err != nil || blocked < 1 {
		t.Errorf("an injected inline handler was not blocked and recorded (%d, %v)", blocked, err)
	}
	if errs := b.JSErrors(); len(errs) > 0 {
		t.Errorf("JavaScript errors: %v", errs)
	}
}
