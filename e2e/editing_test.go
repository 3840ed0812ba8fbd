package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"tiendo/apptest"
	"tiendo/models"
)

const password = "mật-khẩu-đủ-dài"

// signIn fills the sign-in form like a person would.
func signIn(t *testing.T, b *apptest.Browser, s *apptest.Server, username string) {
	t.Helper()
	err := chromedp.Run(b.Ctx,
		chromedp.Navigate(s.URL+"/login"),
		chromedp.WaitVisible(`#f-username`),
		chromedp.SendKeys(`#f-username`, username),
		chromedp.SendKeys(`#f-password`, password),
		chromedp.Click(`button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(`.account-nav .who`),
	)
	if err != nil {
		t.Fatalf("sign in as %s: %v", username, err)
	}
}

// indicatorState reads the status shown and the trajectory's options.
func indicatorState(t *testing.T, b *apptest.Browser, url string) (status, options string) {
	t.Helper()
	err := chromedp.Run(b.Ctx,
		chromedp.Navigate(url),
		chromedp.Poll(`document.querySelector('#trajectory[data-drawn] canvas') !== null`, nil, chromedp.WithPollingTimeout(20*time.Second)),
		chromedp.Text(`#assess-h + figure + dl .status, #assess-h ~ dl .status`, &status, chromedp.ByQuery),
		chromedp.AttributeValue(`#trajectory`, "data-options", &options, nil),
	)
	if err != nil {
		t.Fatalf("%s: %v", url, err)
	}
	return strings.Join(strings.Fields(status), " "), options
}

func TestPlannerEntersAValueInTheGridAndTheIndicatorChanges(t *testing.T) {
	s := apptest.Start(t, apptest.Options{Demo: true})
	s.AddUser(t, "planner", models.RolePlanner, "", password)
	b := apptest.NewBrowser(t)
	page := s.URL + "/indicators/digital-economy-grdp?unit=VN-SG"
	before, optsBefore := indicatorState(t, b, page)
	signIn(t, b, s, "planner")
	var saved string
	err := chromedp.Run(b.Ctx,
		chromedp.Navigate(s.URL+"/edit/indicators/digital-economy-grdp/grid"),
		chromedp.WaitVisible(`input[name="v|VN-SG|2026"]`),
		chromedp.SendKeys(`input[name="v|VN-SG|2026"]`, "41,5"),
		chromedp.SendKeys(`#f-source`, "Báo cáo nhanh của Sở TTTT"),
		chromedp.Click(`form.form-wide button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(`.alert-ok`),
		chromedp.Text(`.alert-ok`, &saved),
	)
	if err != nil {
		t.Fatalf("grid: %v", err)
	}
	if !strings.Contains(saved, "Đã lưu 1 thay đổi") {
		t.Errorf("after saving: %q", saved)
	}
	b.Screenshot(t, "grid-saved-vi")
	after, optsAfter := indicatorState(t, b, page)
	if after == before || after != "✔ Đã đạt" {
		t.Errorf("status %q → %q, want it to change to achieved", before, after)
	}
	if strings.Contains(optsBefore, "41.5") || !strings.Contains(optsAfter, "41.5") || !strings.Contains(optsAfter, "2026") {
		t.Error("the trajectory chart does not show the new value")
	}
	b.Screenshot(t, "indicator-after-grid-vi")
	noJSErrors(t, b)
}

// TestScreenshotsOfEditingPages saves every page of accounts and editing in
// both languages, for people to look at, and checks each renders.
func TestScreenshotsOfEditingPages(t *testing.T) {
	s := apptest.Start(t, apptest.Options{Demo: true})
	s.AddUser(t, "admin", models.RoleAdmin, "", password)
	s.AddUser(t, "planner.q1", models.RolePlanner, "VN-SG", password)
	// Some history to show: a revised target, a changed value, a token.
	shots := []struct{ name, path, action string }{
		{"edit", "/edit", ""},
		{"indicator-new", "/edit/indicators/new", ""},
		{"indicator-new-errors", "/edit/indicators/new", "submit"},
		{"indicator-edit", "/edit/indicators/digital-economy-grdp", ""},
		{"targets", "/edit/indicators/digital-economy-grdp/targets?unit=VN-SG&year=2030", "revise"},
		{"targets-history", "/edit/indicators/digital-economy-grdp/targets?unit=VN-SG", ""},
		{"indicator-history", "/indicators/digital-economy-grdp?unit=VN-SG", ""},
		{"grid", "/edit/indicators/vbsp-loans/grid", ""},
		{"grid-errors", "/edit/indicators/digital-economy-grdp/grid", "grid-error"},
		{"value", "/edit/indicators/digital-economy-grdp/value?unit=VN-SG&period=2025", "value-change"},
		{"value-history", "/edit/indicators/digital-economy-grdp/value?unit=VN-SG&period=2025", ""},
		{"audit", "/audit", ""},
		{"users", "/admin/users", ""},
		{"user-edit", "/admin/users/2", ""},
		{"tokens", "/account/tokens", "token"},
	}
	for _, lang := range []string{"vi", "en"} {
		// A browser per language: each has its own time budget.
		b := apptest.NewBrowser(t)
		if err := chromedp.Run(b.Ctx, chromedp.Navigate(s.URL+"/login?lang="+lang), chromedp.WaitVisible(`#f-username`)); err != nil {
			t.Fatal(err)
		}
		b.Screenshot(t, "login-"+lang)
		signIn(t, b, s, "admin")
		for _, sh := range shots {
			t.Logf("%s %s", lang, sh.name)
			url := s.URL + sh.path
			if strings.Contains(url, "?") {
				url += "&lang=" + lang
			} else {
				url += "?lang=" + lang
			}
			actions := []chromedp.Action{chromedp.Navigate(url), chromedp.WaitVisible(`main h1`)}
			switch sh.action {
			case "submit":
				actions = append(actions, chromedp.SendKeys(`#f-code`, "Mã Sai"), chromedp.SendKeys(`#f-limit`, "1,2,3"),
					chromedp.Click(`main form button[type=submit]`, chromedp.ByQuery), chromedp.WaitVisible(`.alert-error`))
			case "revise":
				if lang == "vi" {
					actions = append(actions, chromedp.SetValue(`#f-value`, "35"), chromedp.SendKeys(`#f-reason`, "Điều chỉnh theo Nghị quyết giữa kỳ"),
						chromedp.Click(`section[aria-labelledby=set-h] button[type=submit]`, chromedp.ByQuery),
						// The redirect lands on the same page: wait out the navigation, then for the new history line.
						chromedp.Sleep(500*time.Millisecond), chromedp.WaitReady(`body`),
						chromedp.Poll(`document.readyState === "complete" && document.body.innerText.includes("Hạ từ 40 % xuống 35 %")`, nil, chromedp.WithPollingTimeout(10*time.Second)))
				}
			case "grid-error":
				actions = append(actions, chromedp.SetValue(`input[name="v|VN-SG|2025"]`, "abc"), chromedp.SetValue(`input[name="v|VN-SG|2024"]`, "150"),
					chromedp.Click(`form.form-wide button[type=submit]`, chromedp.ByQuery), chromedp.WaitVisible(`.alert-error`))
			case "value-change":
				if lang == "vi" {
					actions = append(actions, chromedp.SetValue(`#f-value`, "21,5"), chromedp.SendKeys(`#f-note`, "số liệu chính thức"),
						chromedp.Click(`button[value=save]`, chromedp.ByQuery), chromedp.WaitVisible(`.flash`),
						chromedp.Navigate(url), chromedp.WaitVisible(`main h1`))
				}
			case "token":
				actions = append(actions, chromedp.SendKeys(`#f-name`, "máy chủ báo cáo "+lang),
					chromedp.Click(`main form button[type=submit]`, chromedp.ByQuery), chromedp.WaitVisible(`#new-token`))
			}
			if err := chromedp.Run(b.Ctx, actions...); err != nil {
				t.Fatalf("%s (%s): %v", sh.name, lang, err)
			}
			b.Screenshot(t, "edit-"+sh.name+"-"+lang)
			if v := axeViolations(t, b); len(v) > 0 {
				t.Errorf("%s (%s): accessibility violations: %v", sh.name, lang, v)
			}
		}
		noJSErrors(t, b)
	}
}

// axeViolations runs axe-core (served by the app from static/vendor) on the
// page and lists the WCAG 2 A and AA rules it breaks.
func axeViolations(t *testing.T, b *apptest.Browser) []string {
	t.Helper()
	const script = `(async () => {
		if (!window.axe) {
			await new Promise((ok, ko) => { const s = document.createElement('script'); s.src = '/static/vendor/axe.min.js'; s.onload = ok; s.onerror = ko; document.head.appendChild(s); });
		}
		const r = await axe.run(document, { runOnly: ['wcag2a', 'wcag2aa'] });
		if (r.passes.length === 0) return ['axe checked nothing'];
		return r.violations.map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '));
	})()`
	var out []string
	err := chromedp.Run(b.Ctx, chromedp.Evaluate(script, &out, awaitPromise))
	if err != nil {
		t.Fatalf("axe: %v", err)
	}
	return out
}
