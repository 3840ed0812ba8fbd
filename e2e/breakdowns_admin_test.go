package e2e

import (
	"strings"
	"testing"

	"tiendo/apptest"
	"tiendo/models"
)

// The breakdowns' admin page, in both languages, passes axe-core and
// throws no script error.
func TestBreakdownsAdminPageInTheBrowser(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	s.AddUser(t, "lead", models.RolePlanner, "", password)
	ind, err := s.Store.IndicatorByCode("dvc-l34-online")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Store.SetIndicatorDimensions(models.Actor{Username: "t"}, *ind, []string{"SEX"}); err != nil {
		t.Fatal(err)
	}
	b := apptest.NewBrowser(t)
	signIn(t, b, s, "lead")
	for _, lang := range []string{"vi", "en"} {
		open(t, b, s.URL+"/edit/breakdowns?indicator=dvc-l34-online&lang="+lang)
		if h := text(t, b, "h1"); !strings.Contains(h, map[string]string{"vi": "Phân tổ", "en": "Breakdowns"}[lang]) {
			t.Errorf("%s: heading %q", lang, h)
		}
		checkAxe(t, b, "breakdowns-admin-"+lang)
		b.Screenshot(t, "breakdowns-admin-"+lang)
		if errs := b.JSErrors(); len(errs) > 0 {
			t.Errorf("%s: script errors %v", lang, errs)
		}
	}
}
