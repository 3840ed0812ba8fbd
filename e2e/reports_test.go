package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"tiendo/apptest"
	"tiendo/models"
)

// TestDownloadMenuAndUploadPage opens the download menu and walks an
// upload through its preview in both languages, with screenshots.
func TestDownloadMenuAndUploadPage(t *testing.T) {
	s := apptest.Start(t, apptest.Options{Demo: true})
	s.AddUser(t, "planner", models.RolePlanner, "", password)
	b := apptest.NewBrowser(t)
	signIn(t, b, s, "planner")
	fixture, _ := filepath.Abs("../../shared/realdata/gso-vietnam/poverty_rate_by_province.csv")
	if _, err := os.Stat(fixture); err != nil {
		t.Skip("SKIPPED: real data fixture missing: " + fixture)
	}
	for _, lang := range []string{"vi", "en"} {
		var formats string
		err := chromedp.Run(b.Ctx,
			chromedp.Navigate(s.URL+"/?unit=VN-SG&year=2030&lang="+lang),
			chromedp.Click(`.download-menu summary`),
			chromedp.WaitVisible(`.download-menu a[data-format=pdf]`),
			chromedp.Evaluate(`Array.from(document.querySelectorAll('.download-menu[open] a')).map(a => a.dataset.format).sort().join(',')`, &formats),
		)
		// A planner gets every format: the briefing, the workbook, the data
		// (importable CSV and the Excel variant) and JSON.
		for _, f := range []string{"csv", "json", "pdf", "xlsx"} {
			if err != nil || !strings.Contains(","+formats+",", ","+f+",") {
				t.Fatalf("%s: download menu offers %q, want %s among them (%v)", lang, formats, f, err)
			}
		}
		b.Screenshot(t, "download-menu-"+lang)

		var text string
		err = chromedp.Run(b.Ctx,
			chromedp.Navigate(s.URL+"/import?lang="+lang),
			chromedp.WaitVisible(`input[type=file]`),
			chromedp.SetUploadFiles(`input[type=file]`, []string{fixture}),
			chromedp.Click(`button[name=preview]`),
			chromedp.WaitVisible(`#preview-h`),
			chromedp.Sleep(200*time.Millisecond),
			chromedp.Text(`main`, &text),
		)
		if err != nil {
			t.Fatalf("%s: upload preview: %v", lang, err)
		}
		want := map[string]string{"vi": "Đơn vị chưa có", "en": "Units not yet known"}[lang]
		if !strings.Contains(text, want) || !strings.Contains(text, "Ha Noi") {
			t.Errorf("%s: preview lacks %q:\n%s", lang, want, text)
		}
		b.Screenshot(t, "import-preview-"+lang)
	}
	noJSErrors(t, b)
}
