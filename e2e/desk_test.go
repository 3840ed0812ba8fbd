package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"tiendo/apptest"
	"tiendo/importer"
	"tiendo/models"
)

// submitAndWait clicks a form's button and waits for the page the redirect
// lands on to hold sel.
func submitAndWait(button, sel string) chromedp.Action {
	return chromedp.Tasks{chromedp.Click(button, chromedp.ByQuery), chromedp.Sleep(300 * time.Millisecond), chromedp.WaitVisible(sel, chromedp.ByQuery)}
}

// reloaded reloads the page and reports whether sel is still on it and the
// address it shows.
func reloaded(t *testing.T, b *apptest.Browser, sel string) (bool, string) {
	t.Helper()
	var still bool
	var loc string
	err := chromedp.Run(b.Ctx, chromedp.Reload(), chromedp.WaitVisible(`main h1`),
		chromedp.Evaluate(fmt.Sprintf(`document.querySelector(%q) !== null`, sel), &still),
		chromedp.Location(&loc))
	if err != nil {
		t.Fatalf("reload: %v", err)
	}
	return still, loc
}

// TestConfirmationsAfterActionsAndReload: after each action the user stays
// where they were and reads a confirmation in their language; reloading the
// page repeats nothing and shows the confirmation no more. The leaders'
// tabs stay in the header of a signed-in user's pages.
func TestConfirmationsAfterActionsAndReload(t *testing.T) {
	s := apptest.Start(t, apptest.Options{Demo: true})
	s.AddUser(t, "admin", models.RoleAdmin, "", password)
	planner := s.AddUser(t, "planner", models.RolePlanner, "", password)
	count := func(table, where string, args ...any) int64 {
		var n int64
		if err := s.Store.DB().Table(table).Where(where, args...).Count(&n).Error; err != nil {
			t.Fatal(err)
		}
		return n
	}
	words := map[string]map[string]string{
		"vi": {"pillar": "Đã thêm trụ cột Xã hội số", "value": "Đã lưu giá trị", "leaders": "Tổng quan"},
		"en": {"pillar": "Pillar Digital society", "value": "saved", "leaders": "Overview"},
	}
	for _, lang := range []string{"vi", "en"} {
		b := apptest.NewBrowser(t)
		signIn(t, b, s, "admin")
		w := words[lang]
		// A pillar.
		code := "xa-hoi-so-" + lang
		var flash string
		err := chromedp.Run(b.Ctx, chromedp.Navigate(s.URL+"/edit/pillars?lang="+lang), chromedp.WaitVisible(`#f-code`),
			chromedp.SendKeys(`#f-code`, code), chromedp.SendKeys(`#f-name_vi`, "Xã hội số"), chromedp.SendKeys(`#f-name_en`, "Digital society"),
			submitAndWait(`main form button[type=submit]`, `.flash`), chromedp.Text(`.flash`, &flash, chromedp.ByQuery))
		if err != nil {
			t.Fatalf("pillar (%s): %v", lang, err)
		}
		if !strings.Contains(flash, w["pillar"]) {
			t.Errorf("pillar (%s): confirmation %q", lang, flash)
		}
		b.Screenshot(t, "desk-pillar-added-"+lang)
		var tabs []string
		if err := chromedp.Run(b.Ctx, chromedp.Evaluate(`[...document.querySelectorAll('.leaders-nav a')].filter(a => a.offsetParent !== null).map(a => a.textContent.trim())`, &tabs)); err != nil {
			t.Fatal(err)
		}
		if len(tabs) < 3 || !strings.Contains(strings.Join(tabs, " "), w["leaders"]) {
			t.Errorf("signed in (%s): leaders' tabs in the header %v", lang, tabs)
		}
		if still, loc := reloaded(t, b, ".flash"); still || !strings.Contains(loc, "/edit/pillars") {
			t.Errorf("pillar (%s): after reload the confirmation shows %v at %s", lang, still, loc)
		}
		if n := count("audit_log", "entity = ? AND entity_key = ?", "pillar", code); n != 1 {
			t.Errorf("pillar (%s): %d audit entries, want 1", lang, n)
		}
		// A value.
		before := count("audit_log", "entity = ?", "observation")
		err = chromedp.Run(b.Ctx, chromedp.Navigate(s.URL+"/edit/indicators/5g-coverage/value?unit=VN-SG&period=2019&lang="+lang), chromedp.WaitVisible(`#f-value`),
			chromedp.SetValue(`#f-value`, map[string]string{"vi": "41,5", "en": "42.5"}[lang]),
			submitAndWait(`button[value=save]`, `.flash`), chromedp.Text(`.flash`, &flash, chromedp.ByQuery))
		if err != nil {
			t.Fatalf("value (%s): %v", lang, err)
		}
		if !strings.Contains(flash, w["value"]) {
			t.Errorf("value (%s): confirmation %q", lang, flash)
		}
		b.Screenshot(t, "desk-value-saved-"+lang)
		if still, loc := reloaded(t, b, ".flash"); still || !strings.Contains(loc, "/edit/indicators/5g-coverage/value") {
			t.Errorf("value (%s): after reload the confirmation shows %v at %s", lang, still, loc)
		}
		if n := count("audit_log", "entity = ?", "observation") - before; n != 1 {
			t.Errorf("value (%s): %d audit entries, want 1", lang, n)
		}
		// An API token, shown once.
		err = chromedp.Run(b.Ctx, chromedp.Navigate(s.URL+"/account/tokens?lang="+lang), chromedp.WaitVisible(`#f-name`),
			chromedp.SendKeys(`#f-name`, "báo cáo "+lang), submitAndWait(`main form button[type=submit]`, `#new-token`))
		if err != nil {
			t.Fatalf("token (%s): %v", lang, err)
		}
		if still, _ := reloaded(t, b, "#new-token"); still {
			t.Errorf("token (%s): shown again after reload", lang)
		}
		if n := count("api_tokens", "name = ?", "báo cáo "+lang); n != 1 {
			t.Errorf("token (%s): %d made, want 1", lang, n)
		}
		// A password reset link, shown once.
		resets := count("audit_log", "action = ? AND entity_key = ?", "reset_link", "planner")
		err = chromedp.Run(b.Ctx, chromedp.Navigate(fmt.Sprintf("%s/admin/users/%d?lang=%s", s.URL, planner.ID, lang)), chromedp.WaitVisible(`form[action$="/reset"] button`),
			submitAndWait(`form[action$="/reset"] button`, `#reset-link`))
		if err != nil {
			t.Fatalf("reset link (%s): %v", lang, err)
		}
		if still, _ := reloaded(t, b, "#reset-link"); still {
			t.Errorf("reset link (%s): shown again after reload", lang)
		}
		if n := count("audit_log", "action = ? AND entity_key = ?", "reset_link", "planner") - resets; n != 1 {
			t.Errorf("reset link (%s): %d made, want 1", lang, n)
		}
		noJSErrors(t, b)
	}
}

// TestAuditPagesReadable: the audit log and an import's changes, in both
// languages, at a laptop's and a phone's width: names, the page's number
// format, times with their zone; axe-core clean.
func TestAuditPagesReadable(t *testing.T) {
	s := apptest.Start(t, apptest.Options{Demo: true})
	s.AddUser(t, "analyst", models.RoleAnalyst, "", password)
	actor := models.Actor{Username: "planner", Address: "127.0.0.1", Via: models.ViaImport}
	for _, csv := range []string{
		"record,indicator,unit,period,value\nobservation,5g-coverage,VN-SG,2019,36\n",
		"record,indicator,unit,period,value\nobservation,5g-coverage,VN-SG,2019,41.5\nobservation,poor-households,VN-51,2019,9214\ntarget,5g-coverage,VN-SG,2030,95\n",
	} {
		plan, err := importer.Preview(s.Store, importer.Parse([]importer.File{{Name: "so-lieu-2019.csv", Data: []byte(csv)}}, importer.ParseOptions{}), importer.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if err := importer.Commit(s.Store, plan, actor); err != nil {
			t.Fatalf("import: %v %+v", err, plan.Problems)
		}
	}
	want := map[string][]string{
		"vi": {"36", "41,5", "9.214", "Phổ cập dịch vụ mạng di động 5G — TP Hồ Chí Minh — 2019", "Mục tiêu", "Lần sửa", "95", "GMT+7", "3 thay đổi"},
		"en": {"36", "41.5", "9,214", "5G mobile coverage — Ho Chi Minh City — 2019", "Target", "Revision", "95", "GMT+7", "3 changes"},
	}
	for _, lang := range []string{"vi", "en"} {
		b := apptest.NewBrowser(t)
		signIn(t, b, s, "analyst")
		for _, size := range screens {
			setScreen(t, b, size)
			var body string
			err := chromedp.Run(b.Ctx, chromedp.Navigate(s.URL+"/audit?entity=import&lang="+lang), chromedp.WaitVisible(`table.audit`),
				chromedp.Sleep(100*time.Millisecond))
			if err != nil {
				t.Fatal(err)
			}
			b.Screenshot(t, fmt.Sprintf("desk-audit-%s-%s", size.name, lang))
			checkAxe(t, b, "audit "+lang+" "+size.name)
			err = chromedp.Run(b.Ctx, chromedp.Click(`td .listed a`, chromedp.ByQuery), chromedp.WaitVisible(`#changes`),
				chromedp.Text(`main`, &body, chromedp.ByQuery))
			if err != nil {
				t.Fatalf("the import's changes (%s): %v", lang, err)
			}
			for _, w := range want[lang] {
				if !strings.Contains(body, w) {
					t.Errorf("import's changes (%s, %s): no %q", lang, size.name, w)
				}
			}
			b.Screenshot(t, fmt.Sprintf("desk-audit-import-%s-%s", size.name, lang))
			checkAxe(t, b, "audit import "+lang+" "+size.name)
			var wide bool
			if err := chromedp.Run(b.Ctx, chromedp.Evaluate(`document.documentElement.scrollWidth > window.innerWidth + 1`, &wide)); err != nil {
				t.Fatal(err)
			}
			if wide {
				t.Errorf("import's changes (%s, %s): wider than the screen", lang, size.name)
			}
		}
		noJSErrors(t, b)
	}
}

// TestDeskPagesScreenshots: the pillars page and the upload page with the
// command line's choices, at a laptop's and a phone's width, both languages.
func TestDeskPagesScreenshots(t *testing.T) {
	s := apptest.Start(t, apptest.Options{Demo: true})
	s.AddUser(t, "admin", models.RoleAdmin, "", password)
	for _, lang := range []string{"vi", "en"} {
		b := apptest.NewBrowser(t)
		signIn(t, b, s, "admin")
		for _, size := range screens {
			setScreen(t, b, size)
			for _, p := range []string{"/edit/pillars", "/import"} {
				if err := chromedp.Run(b.Ctx, chromedp.Navigate(s.URL+p+"?lang="+lang), chromedp.WaitVisible(`main h1`)); err != nil {
					t.Fatal(err)
				}
				b.Screenshot(t, fmt.Sprintf("desk%s-%s-%s", strings.ReplaceAll(p, "/", "-"), size.name, lang))
				checkAxe(t, b, p+" "+lang+" "+size.name)
			}
		}
		noJSErrors(t, b)
	}
}
