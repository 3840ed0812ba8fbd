package handlers_test

import (
	"net/url"
	"strings"
	"testing"

	"tiendo/apptest"
	"tiendo/models"
)

func TestMailSettingsUnsubscribeOutboxAndPreview(t *testing.T) {
	s, tm := startTeam(t, apptest.Options{})
	admin, viewer := tm["admin"], tm["viewer"]
	v := userID(t, s, "viewer")

	// The admin gives the viewer an address on the users page; a bad one is refused.
	admin.Get(t, "/admin/users/"+itoa(v)+"?lang=en")
	code, body := admin.Post(t, "/admin/users/"+itoa(v), url.Values{"role": {"viewer"}, "email": {"not-an-address"}})
	if code != 422 || !strings.Contains(body, "is not an e-mail address") {
		t.Errorf("bad e-mail: %d", code)
	}
	if code, _ := admin.Post(t, "/admin/users/"+itoa(v), url.Values{"role": {"viewer"}, "email": {"viewer@example.vn"}}); code != 303 {
		t.Fatalf("set e-mail: %d", code)
	}
	u, _ := s.Store.UserByID(v)
	if u.Email != "viewer@example.vn" || u.MailOff {
		t.Fatalf("stored: %q off=%v", u.Email, u.MailOff)
	}

	// The preview shows the next digest in the user's language.
	code, page := viewer.Get(t, "/digest?lang=vi")
	if code != 200 || !strings.Contains(page, "Tiến độ — Báo cáo tuần: TP Hồ Chí Minh") || !strings.Contains(page, "viewer@example.vn") ||
		!strings.Contains(page, "bao-cao-tom-tat-VN-SG-") {
		t.Errorf("preview: %d", code)
	}

	// Settings: English mail, then off.
	if code, _ := viewer.Post(t, "/account/settings", url.Values{"mail": {"1"}, "lang_mail": {"en"}}); code != 303 {
		t.Fatalf("settings: %d", code)
	}
	if u, _ = s.Store.UserByID(v); u.Lang != "en" || u.MailOff {
		t.Errorf("after settings: lang %q off %v", u.Lang, u.MailOff)
	}
	if _, page := viewer.Get(t, "/digest"); !strings.Contains(page, "Weekly briefing") {
		t.Error("the preview is not in the language chosen for mail")
	}

	// One click on the link of an e-mail, without signing in.
	token, err := s.Store.UnsubscribeToken(v)
	if err != nil {
		t.Fatal(err)
	}
	anon := s.NewClient(t)
	code, page = anon.Get(t, "/unsubscribe?token="+url.QueryEscape(token)+"&lang=en")
	if code != 200 || !strings.Contains(page, "will no longer receive") {
		t.Errorf("unsubscribe: %d", code)
	}
	if u, _ = s.Store.UserByID(v); !u.MailOff {
		t.Error("the link did not stop the mail")
	}
	forged := token[:len(token)-1] + map[bool]string{true: "1", false: "0"}[strings.HasSuffix(token, "0")]
	if code, _ := anon.Get(t, "/unsubscribe?token="+url.QueryEscape(forged)+"&lang=vi"); code != 400 {
		t.Errorf("a forged token: %d, want 400", code)
	}
	if code, _ := anon.Get(t, "/unsubscribe?token="+itoa(userID(t, s, "admin"))+".x"); code != 400 {
		t.Errorf("another user's id with a bad signature: %d, want 400", code)
	}
	if !strings.Contains(page, `href="/account/settings?lang=en"`) {
		t.Error("the unsubscribe page does not lead to the settings to undo it")
	}
	if code, _ := viewer.Post(t, "/account/settings", url.Values{"mail": {"1"}, "lang_mail": {"en"}}); code != 303 {
		t.Fatalf("settings: %d", code)
	}
	if u, _ = s.Store.UserByID(v); u.MailOff {
		t.Error("the settings did not resume the mail")
	}

	// The outbox: without SMTP the digest stays there, visible to admins.
	if _, err := s.Store.QueueMail(mailOf(v)); err != nil {
		t.Fatal(err)
	}
	code, page = admin.Get(t, "/admin/outbox?lang=en")
	if code != 200 || !strings.Contains(page, "No SMTP server is configured") || !strings.Contains(page, "Thư thử") {
		t.Errorf("outbox: %d", code)
	}
}

func mailOf(userID uint) models.Mail {
	return models.Mail{Key: "test:1", UserID: userID, To: "viewer@example.vn", Subject: "Thư thử", Body: "."}
}
