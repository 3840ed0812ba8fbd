package e2e

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"tiendo/apptest"
	"tiendo/models"
)

// TestImportPreviewOfBreakdownsInTheBrowser: an Open SDG file with
// breakdowns walked through the upload page's preview, in both languages:
// the rows' outcome (totals, breakdowns, refused) and each sample value's
// breakdown shown, axe-core clean, no script error.
func TestImportPreviewOfBreakdownsInTheBrowser(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	s.AddUser(t, "chief", models.RoleAdmin, "", password)
	b := apptest.NewBrowser(t)
	signIn(t, b, s, "chief")
	fixture, err := filepath.Abs("../importer/testdata/indicator_1-2-1.csv")
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"vi", "en"} {
		var text string
		err := chromedp.Run(b.Ctx,
			chromedp.Navigate(s.URL+"/import?lang="+lang),
			chromedp.WaitVisible(`input[type=file]`),
			chromedp.SetUploadFiles(`input[type=file]`, []string{fixture}),
			chromedp.SetValue(`select[name=unit]`, "VN-SG", chromedp.ByQuery),
			chromedp.Click(`input[name=missing][value=create]`, chromedp.ByQuery),
			chromedp.Click(`button[name=preview]`),
			chromedp.WaitVisible(`#outcomes-h`),
			chromedp.Sleep(200*time.Millisecond),
			chromedp.Text(`main`, &text),
		)
		if err != nil {
			t.Fatalf("%s: upload preview: %v", lang, err)
		}
		for _, want := range []string{map[string]string{"vi": "Kết quả theo dòng", "en": "What became of the rows"}[lang], "AGE=Y15T24;SEX=F"} {
			if !strings.Contains(text, want) {
				t.Errorf("%s: preview lacks %q:\n%s", lang, want, text)
			}
		}
		checkAxe(t, b, "import-breakdowns-"+lang)
		b.Screenshot(t, "import-breakdowns-"+lang)
		if errs := b.JSErrors(); len(errs) > 0 {
			t.Errorf("%s: script errors %v", lang, errs)
		}
	}
}
