package handlers_test

import (
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"tiendo/apptest"
	"tiendo/models"
)

func TestUsersChangeTheirOwnPassword(t *testing.T) {
	s, tm := startTeam(t, apptest.Options{})
	v := tm["viewer"]
	other := s.NewClient(t)
	other.Login(t, "viewer", testPassword)
	if code, body := v.Get(t, "/account/password"); code != 200 || !strings.Contains(body, "Mật khẩu hiện tại") {
		t.Fatalf("page: %d", code)
	}
	const newPassword = "một câu dài của riêng tôi"
	for _, c := range []struct {
		name         string
		form         url.Values
		field, error string
	}{
		{"wrong current", url.Values{"current": {"not my password"}, "password": {newPassword}, "repeat": {newPassword}}, "f-current-err", "Sai tên đăng nhập hoặc mật khẩu"},
		{"repeat differs", url.Values{"current": {testPassword}, "password": {newPassword}, "repeat": {newPassword + "x"}}, "f-repeat-err", "không khớp"},
		{"too short", url.Values{"current": {testPassword}, "password": {"ngắn quá"}, "repeat": {"ngắn quá"}}, "f-password-err", "ít nhất 12 ký tự"},
		{"common", url.Values{"current": {testPassword}, "password": {"iloveyou2026"}, "repeat": {"iloveyou2026"}}, "f-password-err", "phổ biến"},
	} {
		code, body := v.Post(t, "/account/password", c.form)
		msg := regexp.MustCompile(`id="` + c.field + `">([^<]*)<`).FindStringSubmatch(body)
		if code != 422 || msg == nil || !strings.Contains(msg[1], c.error) {
			t.Errorf("%s: %d, want 422 with %s at %s: %v", c.name, code, c.error, c.field, msg)
		}
	}
	if _, err := s.Store.Authenticate("viewer", testPassword); err != nil {
		t.Fatal("a refused change changed the password")
	}
	code, _ := v.Post(t, "/account/password", url.Values{"current": {testPassword}, "password": {newPassword}, "repeat": {newPassword}})
	if code != 303 {
		t.Fatalf("change: %d", code)
	}
	if code, body := v.Get(t, "/account/password?done=1"); code != 200 || !strings.Contains(body, "Đã đổi mật khẩu") {
		t.Errorf("this browser stays signed in: %d", code)
	}
	if code, _ := other.Get(t, "/account/tokens"); code != 303 {
		t.Errorf("the other session survived the change: %d", code)
	}
	if _, err := s.Store.Authenticate("viewer", newPassword); err != nil {
		t.Error("new password refused")
	}
	if _, err := s.Store.Authenticate("viewer", testPassword); err == nil {
		t.Error("old password still accepted")
	}
}

func TestAdminResetLinkSetsAPasswordOnce(t *testing.T) {
	s, tm := startTeam(t, apptest.Options{})
	planner, _ := s.Store.UserByUsername("planner")
	if err := s.Store.DB().Model(&models.User{}).Where("id = ?", planner.ID).Update("email", "planner@hochiminhcity.gov.vn").Error; err != nil {
		t.Fatal(err)
	}
	a := tm["admin"]
	a.Get(t, "/admin/users/"+itoa(planner.ID))
	// Post-redirect-get: reloading the page that shows the link makes no
	// second link (nor a second e-mail).
	resp, _ := a.Do(t, "POST", "/admin/users/"+itoa(planner.ID)+"/reset", url.Values{"csrf": {a.CSRF}}.Encode(),
		map[string]string{"Content-Type": "application/x-www-form-urlencoded"})
	if resp.StatusCode != 303 || resp.Header.Get("Location") != "/admin/users/"+itoa(planner.ID) {
		t.Fatalf("reset link: %d to %q, want 303 to the account's page", resp.StatusCode, resp.Header.Get("Location"))
	}
	code, body := a.Get(t, resp.Header.Get("Location"))
	link := regexp.MustCompile(`id="reset-link">([^<]+)<`).FindStringSubmatch(body)
	if code != 200 || link == nil {
		t.Fatalf("reset link: %d", code)
	}
	if n := count(t, s, "password_resets", ""); n != 1 {
		t.Errorf("%d reset links, want 1", n)
	}
	path := strings.TrimPrefix(link[1], s.URL)
	// Queued by e-mail too, in the account's language.
	var mails []models.Mail
	s.Store.DB().Where("to_addr = ?", "planner@hochiminhcity.gov.vn").Find(&mails)
	if len(mails) != 1 || !strings.Contains(mails[0].Body, link[1]) || !strings.Contains(mails[0].Subject, "đặt mật khẩu mới") {
		t.Errorf("reset mail: %+v", mails)
	}
	// Shown once: the page afterwards does not hold it.
	if _, again := a.Get(t, "/admin/users/"+itoa(planner.ID)); strings.Contains(again, path) {
		t.Error("the link is shown again")
	}
	owner := s.NewClient(t)
	if code, body := owner.Get(t, path); code != 200 || !strings.Contains(body, "planner") {
		t.Fatalf("reset page: %d", code)
	}
	if code, body := owner.Post(t, path, url.Values{"password": {"password1234"}, "repeat": {"password1234"}}); code != 422 || !strings.Contains(body, "phổ biến") {
		t.Errorf("common password through the link: %d", code)
	}
	const fresh = "mùa lúa chín trên đồng"
	if code, _ := owner.Post(t, path, url.Values{"password": {fresh}, "repeat": {fresh}}); code != 303 {
		t.Fatalf("set through the link: %d", code)
	}
	if _, err := s.Store.Authenticate("planner", fresh); err != nil {
		t.Error("the new password does not work")
	}
	if code, body := owner.Get(t, path); code != 410 || !strings.Contains(body, "đã được dùng") {
		t.Errorf("used link: %d", code)
	}
	if code, _ := s.NewClient(t).Post(t, path, url.Values{"password": {fresh + "!"}, "repeat": {fresh + "!"}}); code != 403 && code != 410 {
		t.Errorf("used link, posted again: %d", code)
	}
	// Expired after an hour.
	a.Post(t, "/admin/users/"+itoa(planner.ID)+"/reset", nil)
	a.Post(t, "/admin/users/"+itoa(planner.ID)+"/reset", nil)
	_, body = a.Get(t, "/admin/users/"+itoa(planner.ID))
	path = strings.TrimPrefix(regexp.MustCompile(`id="reset-link">([^<]+)<`).FindStringSubmatch(body)[1], s.URL)
	s.Store.SetClock(func() time.Time { return apptest.Today.Add(models.PasswordResetLifetime + time.Minute) })
	if code, _ := owner.Get(t, path); code != 410 {
		t.Errorf("expired link: %d", code)
	}
	entries, _, _ := s.Store.AuditLog(models.AuditFilter{Entity: "user"})
	n := 0
	for _, e := range entries {
		if e.Action == "reset_link" && e.EntityKey == "planner" {
			n++
		}
	}
	if n != 3 {
		t.Errorf("audited reset links: %d, want 3", n)
	}
}
