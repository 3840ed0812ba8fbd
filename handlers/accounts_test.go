package handlers_test

import (
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"tiendo/apptest"
	"tiendo/handlers"
	"tiendo/models"
)

func TestFormPostWithoutCSRFTokenIsRefused(t *testing.T) {
	s, tm := startTeam(t, apptest.Options{})
	p := tm["planner"]
	before := count(t, s, "observations", "")
	form := url.Values{"unit": {"VN-SG"}, "period": {"2025"}, "value": {"50"}}
	for _, token := range []string{"", "forged-token-of-the-right-length-000000000"} {
		f := url.Values{"csrf": {token}}
		for k, v := range form {
			f[k] = v
		}
		if code, body := p.Post(t, "/edit/indicators/dvc-l34-online/value", f); code != 403 || !strings.Contains(body, "Biểu mẫu đã hết hạn") {
			t.Errorf("value form with csrf %q: %d, want 403 with a message", token, code)
		}
	}
	// Signing out is a change too: it needs the token.
	if code, _ := p.Post(t, "/logout", url.Values{"csrf": {""}}); code != 403 {
		t.Errorf("logout without token: %d", code)
	}
	// A cookie-authenticated API write needs the token in a header.
	resp, _ := p.Do(t, "POST", "/api/v1/observations", `{"indicator":"dvc-l34-online","unit":"VN-SG","period":"2025","value":50}`,
		map[string]string{"Content-Type": "application/json"})
	if resp.StatusCode != 403 {
		t.Errorf("API write with a session cookie and no CSRF header: %d", resp.StatusCode)
	}
	if n := count(t, s, "observations", ""); n != before {
		t.Fatalf("refused posts stored values: %d → %d", before, n)
	}
	if code, _ := p.Post(t, "/edit/indicators/dvc-l34-online/value", form); code != 303 {
		t.Errorf("value form with the session's token: %d, want 303", code)
	}
	if n := count(t, s, "observations", ""); n != before+1 {
		t.Errorf("the accepted post stored %d values", n-before)
	}
	// The login form is protected too (login CSRF).
	anon := s.NewClient(t)
	if code, _ := anon.Post(t, "/login", url.Values{"username": {"planner"}, "password": {testPassword}}); code != 403 {
		t.Errorf("login without a token: %d, want 403", code)
	}
}

func TestSessionIsRenewedAtLoginAndCookiesAreSafe(t *testing.T) {
	// The test client stands in for an HTTPS proxy below.
	s := apptest.Start(t, apptest.Options{Config: handlers.Config{TrustedProxies: []string{"127.0.0.1"}}})
	s.AddUser(t, "planner", models.RolePlanner, "", testPassword)
	c := s.NewClient(t)
	// An attacker-chosen session id planted before login must not survive it.
	u, _ := url.Parse(s.URL)
	c.HTTP.Jar.SetCookies(u, []*http.Cookie{{Name: "tiendo_session", Value: "chosen-by-an-attacker"}})
	c.Login(t, "planner", testPassword)
	first := c.Cookie("tiendo_session")
	if first == "" || first == "chosen-by-an-attacker" {
		t.Fatalf("session id after login: %q", first)
	}
	c.Login(t, "planner", testPassword)
	second := c.Cookie("tiendo_session")
	if second == first {
		t.Fatal("signing in again kept the same session id")
	}
	old := s.NewClient(t)
	old.HTTP.Jar.SetCookies(u, []*http.Cookie{{Name: "tiendo_session", Value: first}})
	if code, _ := old.Get(t, "/edit"); code != 303 {
		t.Errorf("the replaced session still works: %d", code)
	}
	if code, _ := c.Get(t, "/edit"); code != 200 {
		t.Errorf("the new session does not work: %d", code)
	}
	// Cookie attributes, and Secure behind an HTTPS proxy.
	anon := s.NewClient(t)
	anon.Get(t, "/login")
	resp, _ := anon.Do(t, "POST", "/login", url.Values{"csrf": {anon.CSRF}, "username": {"planner"}, "password": {testPassword}}.Encode(),
		map[string]string{"Content-Type": "application/x-www-form-urlencoded", "X-Forwarded-Proto": "https"})
	set := strings.ToLower(strings.Join(resp.Header.Values("Set-Cookie"), "\n"))
	for _, want := range []string{"tiendo_session=", "httponly", "samesite=lax", "secure"} {
		if !strings.Contains(set, want) {
			t.Errorf("session cookie lacks %s: %s", want, set)
		}
	}
	// Signing out ends the session on the server.
	if code, _ := c.Post(t, "/logout", nil); code != 303 {
		t.Fatalf("logout: %d", code)
	}
	again := s.NewClient(t)
	again.HTTP.Jar.SetCookies(u, []*http.Cookie{{Name: "tiendo_session", Value: second}})
	if code, _ := again.Get(t, "/edit"); code != 303 {
		t.Errorf("session still valid after logout: %d", code)
	}
}

// fromAddress returns a client whose connections leave from addr (any of
// 127.0.0.0/8 reaches the test server), as a second machine would.
func fromAddress(t *testing.T, s *apptest.Server, addr string) *apptest.Client {
	t.Helper()
	c := s.NewClient(t)
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(addr)}}
	c.HTTP.Transport = &http.Transport{DialContext: d.DialContext}
	return c
}

// TestLoginThrottledPerAccountAndAddress: failures slow down the account
// only from the address they came from; the refusal is immediate, a 429
// with Retry-After, and the right password from elsewhere still works.
func TestLoginThrottledPerAccountAndAddress(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	s.AddUser(t, "planner", models.RolePlanner, "", testPassword)
	s.AddUser(t, "other", models.RoleViewer, "", testPassword)
	c := fromAddress(t, s, "127.0.0.1")
	c.Get(t, "/login")
	for i := 0; i < models.MaxFailuresPerUser; i++ {
		code, body := c.Post(t, "/login", url.Values{"username": {"planner"}, "password": {"wrong password"}})
		if code != 422 || !strings.Contains(body, "Sai tên đăng nhập hoặc mật khẩu") {
			t.Fatalf("failure %d: %d", i+1, code)
		}
	}
	// From this address, even the right password waits, told for how long.
	c.Get(t, "/login")
	resp, body := c.Do(t, "POST", "/login", url.Values{"username": {"planner"}, "password": {testPassword}, "csrf": {c.CSRF}}.Encode(),
		map[string]string{"Content-Type": "application/x-www-form-urlencoded"})
	retry, _ := strconv.Atoi(resp.Header.Get("Retry-After"))
	if resp.StatusCode != 429 || retry <= 0 || retry > int(models.LoginWindow.Seconds()) || !strings.Contains(body, "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau 15 phút.") {
		t.Errorf("throttled account: %d Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	if !strings.Contains(body, `value="planner"`) {
		t.Error("the refused form lost the username typed")
	}
	c.Get(t, "/login?lang=en")
	if code, body := c.Post(t, "/login", url.Values{"username": {"planner"}, "password": {testPassword}}); code != 429 ||
		!strings.Contains(body, "Too many failed sign-ins. Please try again in 15 minutes.") {
		t.Errorf("throttled account in English: %d", code)
	}
	// The API's token endpoint counts the same attempts.
	tokenReq := func(c *apptest.Client, user string) *http.Response {
		resp, _ := c.Do(t, "POST", "/api/v1/auth/token", `{"username":"`+user+`","password":"`+testPassword+`"}`, map[string]string{"Content-Type": "application/json"})
		return resp
	}
	if resp := tokenReq(c, "planner"); resp.StatusCode != 429 || resp.Header.Get("Retry-After") == "" {
		t.Errorf("token endpoint for a throttled account: %d", resp.StatusCode)
	}
	// The same account from another machine, and another account from this one, sign in.
	fromAddress(t, s, "127.0.0.2").Login(t, "planner", testPassword)
	c.Login(t, "other", testPassword)

	// Guessing many accounts from one address stops that address only.
	for i := 0; i < models.MaxFailuresPerAddress; i++ {
		c.Do(t, "POST", "/api/v1/auth/token", `{"username":"guess`+strconv.Itoa(i)+`","password":"x"}`, map[string]string{"Content-Type": "application/json"})
	}
	resp = tokenReq(c, "other")
	if resp.StatusCode != 429 || resp.Header.Get("Retry-After") == "" {
		t.Errorf("address over the limit: %d", resp.StatusCode)
	}
	if resp := tokenReq(fromAddress(t, s, "127.0.0.3"), "other"); resp.StatusCode != 201 {
		t.Errorf("another address while one is stopped: %d", resp.StatusCode)
	}
	// When the window has passed, the address may try again.
	s.Store.SetClock(func() time.Time { return apptest.Today.Add(models.LoginWindow + time.Minute) })
	if resp := tokenReq(c, "planner"); resp.StatusCode != 201 {
		t.Errorf("after the window: %d", resp.StatusCode)
	}
}

func TestAdminManagesAccountsInTheBrowser(t *testing.T) {
	s, tm := startTeam(t, apptest.Options{})
	a := tm["admin"]
	code, body := a.Post(t, "/admin/users", url.Values{"username": {"Bad Name"}, "role": {"planner"}, "unit": {"T-D1"}, "password": {"short"}})
	if code != 422 || !strings.Contains(body, "Tên đăng nhập chỉ gồm") || !strings.Contains(body, "ít nhất 12 ký tự") || !strings.Contains(body, `value="Bad Name"`) {
		t.Errorf("bad account: %d", code)
	}
	if code, _ := a.Post(t, "/admin/users", url.Values{"username": {"d1.planner"}, "role": {"planner"}, "unit": {"T-D1"}, "password": {testPassword}}); code != 303 {
		t.Fatalf("create: %d", code)
	}
	u, err := s.Store.UserByUsername("d1.planner")
	if err != nil || u.Role != models.RolePlanner || u.Unit == nil || u.Unit.Code != "T-D1" {
		t.Fatalf("stored account: %+v %v", u, err)
	}
	if code, _ := a.Post(t, "/admin/users", url.Values{"username": {"d1.planner"}, "role": {"viewer"}, "password": {testPassword}}); code != 422 {
		t.Errorf("duplicate username: %d", code)
	}
	c := s.NewClient(t)
	c.Login(t, "d1.planner", testPassword)
	// Disable and reset: the account's session ends at once.
	if code, _ := a.Post(t, "/admin/users/"+itoa(u.ID), url.Values{"role": {"analyst"}, "unit": {""}, "disabled": {"1"}, "password": {"a-new-password-1"}}); code != 303 {
		t.Fatalf("update: %d", code)
	}
	if code, _ := c.Get(t, "/account/tokens"); code != 303 {
		t.Errorf("disabled account still signed in: %d", code)
	}
	if _, err := s.Store.Authenticate("d1.planner", "a-new-password-1"); err == nil {
		t.Error("a disabled account can authenticate")
	}
	// An admin cannot lock themselves out.
	me, _ := s.Store.UserByUsername("admin")
	if code, body := a.Post(t, "/admin/users/"+itoa(me.ID), url.Values{"role": {"viewer"}}); code != 422 || !strings.Contains(body, "không thể tự khóa") {
		t.Errorf("self-demotion: %d", code)
	}
	if n := count(t, s, "audit_log", "entity = ? AND entity_key = ?", "user", "d1.planner"); n != 2 {
		t.Errorf("%d audit entries for the account, want create and update", n)
	}
	var hashes []string
	s.Store.DB().Table("audit_log").Where("entity = ?", "user").Pluck("after_json", &hashes)
	for _, h := range hashes {
		if strings.Contains(h, "$2a$") {
			t.Error("a password hash leaked into the audit log")
		}
	}
}

func TestPersonalAPITokens(t *testing.T) {
	s, tm := startTeam(t, apptest.Options{})
	v := tm["planner"]
	// Post-redirect-get: the token is shown once on the page the POST sends
	// the browser to; reloading that page neither shows it again nor makes a second one.
	code, _ := v.Post(t, "/account/tokens", url.Values{"name": {"script"}})
	if code != 303 {
		t.Fatalf("create token: %d, want a redirect", code)
	}
	_, body := v.Get(t, "/account/tokens")
	token := apptest.Between(body, `id="new-token">`, "<")
	if !strings.HasPrefix(token, "tdo_") {
		t.Fatalf("token not shown: %q", token)
	}
	if _, again := v.Get(t, "/account/tokens"); strings.Contains(again, token) || strings.Contains(again, `id="new-token"`) {
		t.Error("reloading shows the token again")
	}
	if n := count(t, s, "api_tokens", "1 = 1"); n != 1 {
		t.Errorf("%d tokens after create and two reloads, want 1", n)
	}
	if n := count(t, s, "api_tokens", "token_hash = ?", token); n != 0 {
		t.Fatal("the token is stored in clear")
	}
	api := s.NewClient(t)
	bearer := map[string]string{"Authorization": "Bearer " + token, "Content-Type": "application/json"}
	resp, _ := api.Do(t, "GET", "/api/v1/audit", "", bearer)
	if resp.StatusCode != 200 {
		t.Errorf("planner's token on the audit API: %d", resp.StatusCode)
	}
	var ts []models.APIToken
	s.Store.DB().Find(&ts)
	if code, _ := v.Post(t, "/account/tokens/"+itoa(ts[0].ID)+"/revoke", nil); code != 303 {
		t.Fatalf("revoke: %d", code)
	}
	if resp, _ := api.Do(t, "GET", "/api/v1/units", "", bearer); resp.StatusCode != 401 {
		t.Errorf("revoked token: %d, want 401", resp.StatusCode)
	}
	// Someone else's token cannot be revoked by id.
	other := tm["viewer"]
	other.Post(t, "/account/tokens", url.Values{"name": {"mine"}})
	s.Store.DB().Order("id desc").Find(&ts)
	if code, _ := v.Post(t, "/account/tokens/"+itoa(ts[0].ID)+"/revoke", nil); code != 404 {
		t.Errorf("revoking another user's token: %d, want 404", code)
	}
}

func itoa(id uint) string { return strconv.FormatUint(uint64(id), 10) }
