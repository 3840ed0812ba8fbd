package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"tiendo/apptest"
	"tiendo/models"
)

// newToken makes a token on the tokens page as c and returns it.
func newToken(t *testing.T, c *apptest.Client, name string, readOnly bool) string {
	t.Helper()
	c.Get(t, "/account/tokens")
	form := url.Values{"name": {name}}
	if readOnly {
		form.Set("read_only", "1")
	}
	code, _ := c.Post(t, "/account/tokens", form)
	_, page := c.Get(t, "/account/tokens") // the token is shown once, after the redirect
	token := apptest.Between(page, `id="new-token">`, "<")
	if code != http.StatusSeeOther || !strings.HasPrefix(token, "tdo_") {
		t.Fatalf("create token %s: %d %q", name, code, token)
	}
	return token
}

// bearerStatus is the status of method path with the token.
func bearerStatus(t *testing.T, s *apptest.Server, token, method, path, body string) int {
	t.Helper()
	code, _ := s.Do(t, method, path, body, map[string]string{"Authorization": "Bearer " + token, "Content-Type": "application/json"})
	return code
}

const obsWrite = `{"indicator":"fibre-coverage","unit":"VN-SG","period":"2021","value":55,"source":"t"}`

// TestTokensEndWithThePasswordAndTheAccount: a password change (by an
// admin, or by the owner through the store's one password method) and
// disabling an account revoke every token; re-enabling brings none back.
func TestTokensEndWithThePasswordAndTheAccount(t *testing.T) {
	s, tm := startTeam(t, apptest.Options{})
	planner, admin := tm["planner"], tm["admin"]
	u, _ := s.Store.UserByUsername("planner")
	token := newToken(t, planner, "script", false)
	if code := bearerStatus(t, s, token, "POST", "/api/v1/observations", obsWrite); code != http.StatusCreated {
		t.Fatalf("a fresh token writes: %d", code)
	}
	admin.Get(t, "/admin/users/"+itoa(u.ID))
	if code, _ := admin.Post(t, "/admin/users/"+itoa(u.ID), url.Values{"role": {"planner"}, "password": {"một-mật-khẩu-mới-2026"}}); code != http.StatusSeeOther {
		t.Fatalf("password reset: %d", code)
	}
	if code := bearerStatus(t, s, token, "GET", "/api/v1/units", ""); code != http.StatusUnauthorized {
		t.Errorf("a token after its owner's password changed: %d", code)
	}

	planner.Login(t, "planner", "một-mật-khẩu-mới-2026")
	token = newToken(t, planner, "again", false)
	if err := s.Store.SetPassword(models.Actor{Username: "test"}, "planner", "lại-một-mật-khẩu-mới"); err != nil {
		t.Fatal(err)
	}
	if code := bearerStatus(t, s, token, "GET", "/api/v1/units", ""); code != http.StatusUnauthorized {
		t.Errorf("a token after SetPassword: %d", code)
	}

	planner.Login(t, "planner", "lại-một-mật-khẩu-mới")
	token = newToken(t, planner, "third", false)
	admin.Get(t, "/admin/users/"+itoa(u.ID))
	admin.Post(t, "/admin/users/"+itoa(u.ID), url.Values{"role": {"planner"}, "disabled": {"1"}})
	if code := bearerStatus(t, s, token, "GET", "/api/v1/units", ""); code != http.StatusUnauthorized {
		t.Errorf("a token of a disabled account: %d", code)
	}
	admin.Post(t, "/admin/users/"+itoa(u.ID), url.Values{"role": {"planner"}})
	if code := bearerStatus(t, s, token, "GET", "/api/v1/units", ""); code != http.StatusUnauthorized {
		t.Errorf("a token came back when its account was enabled again: %d", code)
	}
	if n := count(t, s, "api_tokens", "user_id = ? AND revoked_at IS NULL", u.ID); n != 0 {
		t.Errorf("%d tokens of the planner still live", n)
	}
}

// TestTokensExpireAndMayBeReadOnly: a token lasts the configured time, a
// read-only one reads but never writes, and a user holds a bounded number.
func TestTokensExpireAndMayBeReadOnly(t *testing.T) {
	s, tm := startTeam(t, apptest.Options{})
	planner := tm["planner"]
	ro := newToken(t, planner, "dashboard", true)
	if code := bearerStatus(t, s, ro, "GET", "/api/v1/audit", ""); code != http.StatusOK {
		t.Errorf("a read-only token reads: %d", code)
	}
	code, body := s.Do(t, "POST", "/api/v1/observations?lang=en", obsWrite, map[string]string{"Authorization": "Bearer " + ro, "Content-Type": "application/json"})
	if code != http.StatusForbidden || !strings.Contains(body, "read-only") {
		t.Errorf("a read-only token writes: %d %s", code, body)
	}
	rw := newToken(t, planner, "writer", false)
	if code := bearerStatus(t, s, rw, "POST", "/api/v1/observations", obsWrite); code != http.StatusCreated {
		t.Errorf("a token made without read-only writes as before: %d", code)
	}
	_, page := planner.Get(t, "/account/tokens?lang=en")
	for _, want := range []string{"dashboard", "Read only", "writer", "Read and write", "Expires", "24 Feb 2027"} {
		if !strings.Contains(page, want) {
			t.Errorf("the tokens page lacks %q", want)
		}
	}

	// The cap: the message says how many, nothing is made.
	for i := 2; i < models.DefaultTokenPolicy.Max; i++ {
		newToken(t, planner, "t"+itoa(uint(i)), false)
	}
	code, body = planner.Post(t, "/account/tokens?lang=en", url.Values{"name": {"one too many"}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, "at most 10") {
		t.Errorf("a token over the cap: %d", code)
	}
	u, _ := s.Store.UserByUsername("planner")
	if n := count(t, s, "api_tokens", "user_id = ?", u.ID); n != int64(models.DefaultTokenPolicy.Max) {
		t.Errorf("%d tokens stored", n)
	}

	// 90 days later every token has expired.
	s.Store.SetClock(func() time.Time { return apptest.Today.Add(models.DefaultTokenPolicy.TTL + time.Hour) })
	if code := bearerStatus(t, s, ro, "GET", "/api/v1/units", ""); code != http.StatusUnauthorized {
		t.Errorf("an expired token: %d", code)
	}
}

// TestTokenUseIsRecordedAtMostOncAMinute: reads with a token do not each
// write to the database.
func TestTokenUseIsRecordedAtMostOnceAMinute(t *testing.T) {
	s, tm := startTeam(t, apptest.Options{})
	token := newToken(t, tm["viewer"], "reader", true)
	lastUsed := func() time.Time {
		var tk models.APIToken
		if err := s.Store.DB().Where("name = ?", "reader").First(&tk).Error; err != nil || tk.LastUsedAt == nil {
			t.Fatalf("token: %v %+v", err, tk)
		}
		return tk.LastUsedAt.UTC()
	}
	at := apptest.Today
	s.Store.SetClock(func() time.Time { return at })
	bearerStatus(t, s, token, "GET", "/api/v1/units", "")
	first := lastUsed()
	at = at.Add(30 * time.Second)
	for i := 0; i < 5; i++ {
		bearerStatus(t, s, token, "GET", "/api/v1/units", "")
	}
	if got := lastUsed(); !got.Equal(first) {
		t.Errorf("last use written again after 30 s: %s, was %s", got, first)
	}
	at = at.Add(31 * time.Second)
	bearerStatus(t, s, token, "GET", "/api/v1/units", "")
	if got := lastUsed(); !got.Equal(at.UTC()) {
		t.Errorf("last use after a minute: %s, want %s", got, at)
	}
}
