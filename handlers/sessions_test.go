package handlers_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"tiendo/apptest"
	"tiendo/models"
)

// signedIn reports whether the client's session still opens a page that
// needs an account.
func signedIn(t *testing.T, c *apptest.Client) bool {
	t.Helper()
	code, _ := c.Get(t, "/account/tokens")
	return code == http.StatusOK
}

func TestSessionExpires(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	s.AddUser(t, "expiring", models.RoleViewer, "", "a long enough password 1")
	c := s.NewClient(t)
	c.Login(t, "expiring", "a long enough password 1")
	if !signedIn(t, c) {
		t.Fatal("not signed in after login")
	}
	s.Store.SetClock(func() time.Time { return apptest.Today.Add(models.SessionLifetime - time.Minute) })
	if !signedIn(t, c) {
		t.Error("the session ended before its lifetime")
	}
	s.Store.SetClock(func() time.Time { return apptest.Today.Add(models.SessionLifetime + time.Minute) })
	if signedIn(t, c) {
		t.Errorf("the session outlived its %s lifetime", models.SessionLifetime)
	}
	resp, _ := c.Do(t, "GET", "/account/tokens", "", nil)
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/login") {
		t.Errorf("an expired session: %d to %q, want the sign-in page", resp.StatusCode, resp.Header.Get("Location"))
	}
}

func TestLogoutEverywhere(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	s.AddUser(t, "traveller", models.RolePlanner, "", "a long enough password 1")
	s.AddUser(t, "colleague", models.RolePlanner, "", "a long enough password 2")
	laptop, phone, other := s.NewClient(t), s.NewClient(t), s.NewClient(t)
	laptop.Login(t, "traveller", "a long enough password 1")
	phone.Login(t, "traveller", "a long enough password 1")
	other.Login(t, "colleague", "a long enough password 2")
	_, body := phone.Get(t, "/account/tokens")
	if !strings.Contains(body, `action="/logout/everywhere"`) {
		t.Fatal("the account page has no sign-out-everywhere button")
	}
	// Without the CSRF token nothing happens.
	resp, _ := phone.Do(t, "POST", "/logout/everywhere", "", map[string]string{"Content-Type": "application/x-www-form-urlencoded"})
	if resp.StatusCode != http.StatusForbidden || !signedIn(t, laptop) {
		t.Fatalf("sign out everywhere without CSRF: %d", resp.StatusCode)
	}
	if code, _ := phone.Post(t, "/logout/everywhere", nil); code != http.StatusSeeOther {
		t.Fatalf("sign out everywhere: %d", code)
	}
	if signedIn(t, laptop) || signedIn(t, phone) {
		t.Error("a session of the account survived signing out everywhere")
	}
	if !signedIn(t, other) {
		t.Error("another account was signed out too")
	}
	var n int64
	s.Store.DB().Model(&models.AuditEntry{}).Where("action = ? AND username = ?", "logout_everywhere", "traveller").Count(&n)
	if n != 1 {
		t.Errorf("%d audit entries for signing out everywhere, want 1", n)
	}
}
