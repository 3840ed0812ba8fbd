package e2e

import (
	"strings"
	"testing"

	"tiendo/apptest"
	"tiendo/models"
)

// The mail pages: the digest preview, the settings and the outbox pass
// axe-core in both languages.
func TestMailPagesAccessible(t *testing.T) {
	s := apptest.Start(t, apptest.Options{Demo: true})
	email := "lead@example.vn"
	if _, err := s.Store.CreateUser(models.Actor{Username: "t"}, models.UserInput{Username: "lead", Role: models.RoleAdmin,
		Password: password, Email: &email}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Store.QueueMail(models.Mail{Key: "k", To: email, Subject: "Tiến độ — Báo cáo tuần", Body: "."}); err != nil {
		t.Fatal(err)
	}
	b := apptest.NewBrowser(t)
	signIn(t, b, s, "lead")
	for _, lang := range []string{"vi", "en"} {
		for _, p := range []string{"digest", "account/settings", "admin/outbox"} {
			open(t, b, s.URL+"/"+p+"?lang="+lang)
			name := "mail-" + strings.ReplaceAll(p, "/", "-") + "-" + lang
			checkAxe(t, b, name)
			b.Screenshot(t, name)
		}
	}
	if body := text(t, b, "table"); !strings.Contains(body, "lead@example.vn") || !strings.Contains(body, "Queued") {
		t.Errorf("outbox: %q", body)
	}
	noJSErrors(t, b)
}
