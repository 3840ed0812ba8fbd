package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"tiendo/apptest"
	"tiendo/models"
)

// A planner makes a rule in the browser; a drop in the data puts one line in
// the inbox, whose link opens the indicator. Both pages in both languages
// pass axe-core.
func TestAlertRuleEditingAndInbox(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	s.AddUser(t, "lead", models.RolePlanner, "", password)
	b := apptest.NewBrowser(t)
	signIn(t, b, s, "lead")
	err := chromedp.Run(b.Ctx,
		chromedp.Navigate(s.URL+"/alerts?lang=vi"),
		chromedp.WaitVisible(`#f-kind`),
		chromedp.SetValue(`#f-kind`, "status_worse", chromedp.ByID),
		chromedp.SetValue(`#f-indicator`, "digital-economy-grdp", chromedp.ByID),
		chromedp.SetValue(`#f-unit`, "VN-SG", chromedp.ByID),
		chromedp.Click(`#rule-form-h + form button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(`form[action$="/subscribe"]`),
	)
	if err != nil {
		t.Fatal(err)
	}
	if row := text(t, b, "tbody tr"); !strings.Contains(row, "Tình trạng xấu đi") || !strings.Contains(row, "Đang theo dõi") {
		t.Errorf("the new rule's row: %q", row)
	}
	checkAxe(t, b, "alerts-vi")
	b.Screenshot(t, "alerts-vi")
	open(t, b, s.URL+"/alerts?lang=en")
	checkAxe(t, b, "alerts-en")

	// A rise then a drop: the status worsens once.
	s.SaveValues(t, "digital-economy-grdp", "VN-SG", "2020", 10.0)
	s.SaveValues(t, "digital-economy-grdp", "VN-SG", "2024", 30.0)
	s.SaveValues(t, "digital-economy-grdp", "VN-SG", "2025", 12.0)
	for _, lang := range []string{"vi", "en"} {
		open(t, b, s.URL+"/notifications?lang="+lang)
		if n := text(t, b, ".bell-count"); !strings.HasPrefix(n, "1") {
			t.Errorf("bell (%s): %q", lang, n)
		}
		checkAxe(t, b, "inbox-"+lang)
		b.Screenshot(t, "inbox-"+lang)
	}
	if err := chromedp.Run(b.Ctx, chromedp.Click(`.inbox a`, chromedp.ByQuery), chromedp.WaitReady(`h1`)); err != nil {
		t.Fatal(err)
	}
	var loc string
	if err := chromedp.Run(b.Ctx, chromedp.Location(&loc)); err != nil || !strings.Contains(loc, "/indicators/digital-economy-grdp?unit=VN-SG") {
		t.Errorf("the notification opened %q (%v)", loc, err)
	}
	noJSErrors(t, b)
}
