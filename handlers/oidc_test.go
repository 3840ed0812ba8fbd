package handlers_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"tiendo/apptest"
	"tiendo/handlers"
	"tiendo/models"
)

// startWithProvider runs the app signing in through a real OpenID provider
// on 127.0.0.1; change adjusts the settings (role map, domains, …).
func startWithProvider(t *testing.T, passwordLogin string, change func(*handlers.OIDCSettings)) (*apptest.Server, *apptest.Provider) {
	t.Helper()
	p := apptest.StartProvider(t)
	s := apptest.Start(t, apptest.Options{ConfigFor: func(base string) handlers.Config {
		set := p.Settings(base)
		set.RoleMap = []handlers.RoleRule{{Group: "tiendo-admins", Role: models.RoleAdmin}, {Group: "tiendo-planners", Role: models.RolePlanner}}
		set.UnitClaim = "unit"
		if change != nil {
			change(&set)
		}
		return handlers.Config{PasswordLogin: passwordLogin, OIDC: p.Config(t, set)}
	}})
	return s, p
}

// planner is a provider's account in the planners' group of Quận 1.
func plannerAtProvider(sub string) *apptest.OIDCUser {
	return &apptest.OIDCUser{Subject: sub, Extra: map[string]any{
		"preferred_username": "nguyen.van.an", "email": "an@hochiminhcity.gov.vn", "email_verified": true,
		"groups": []string{"staff", "tiendo-planners"}, "unit": "VN-SG-760"}}
}

type me struct {
	Username     string  `json:"username"`
	Role         string  `json:"role"`
	Unit         *string `json:"unit"`
	SignedInWith string  `json:"signed_in_with"`
}

// whoAmI returns GET /api/v1/me for c, or nil when c is not signed in.
func whoAmI(t *testing.T, c *apptest.Client) *me {
	t.Helper()
	resp, body := c.Do(t, "GET", "/api/v1/me", "", nil)
	if resp.StatusCode == http.StatusUnauthorized {
		return nil
	}
	var m me
	if resp.StatusCode != 200 || json.Unmarshal([]byte(body), &m) != nil {
		t.Fatalf("/api/v1/me: %d %s", resp.StatusCode, body)
	}
	return &m
}

func TestFirstSignInCreatesAScopedPlanner(t *testing.T) {
	s, p := startWithProvider(t, "", nil)
	c := s.NewClient(t)
	resp, body, _ := p.SignIn(t, c, plannerAtProvider("sub-an"))
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/edit" {
		t.Fatalf("callback: %d %q %s", resp.StatusCode, resp.Header.Get("Location"), body)
	}
	m := whoAmI(t, c)
	if m == nil || m.Username != "nguyen.van.an" || m.Role != "planner" || m.Unit == nil || *m.Unit != "VN-SG-760" || m.SignedInWith != "oidc" {
		t.Fatalf("me after the first sign-in: %+v", m)
	}
	u, err := s.Store.UserByUsername("nguyen.van.an")
	if err != nil || u.OIDCSubject != "sub-an" || u.OIDCIssuer != p.Issuer() || u.PasswordHash != "" {
		t.Fatalf("stored account: %+v %v", u, err)
	}
	// No password: the account cannot sign in with the empty one.
	if _, err := s.Store.Authenticate("nguyen.van.an", ""); err == nil {
		t.Error("an account of the provider signed in with an empty password")
	}

	// Renamed at the provider and moved to the admins' group, another unit:
	// the same account, its name, role and scope follow, audited.
	renamed := plannerAtProvider("sub-an")
	renamed.Extra["preferred_username"] = "an.nguyen"
	renamed.Extra["groups"] = []string{"tiendo-admins"}
	renamed.Extra["unit"] = "VN-SG"
	c2 := s.NewClient(t)
	if resp, body, _ := p.SignIn(t, c2, renamed); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("second sign-in: %d %s", resp.StatusCode, body)
	}
	m = whoAmI(t, c2)
	if m == nil || m.Username != "an.nguyen" || m.Role != "admin" || m.Unit == nil || *m.Unit != "VN-SG" {
		t.Fatalf("me after rename: %+v %v", m, *m.Unit)
	}
	after, err := s.Store.UserByID(u.ID)
	if err != nil || after.Username != "an.nguyen" {
		t.Fatalf("the rename made another account: %+v %v", after, err)
	}
	entries, _, err := s.Store.AuditLog(models.AuditFilter{Entity: "user"})
	if err != nil {
		t.Fatal(err)
	}
	var created, changed bool
	for _, e := range entries {
		created = created || (e.Action == "create" && e.Via == models.ViaOIDC && strings.Contains(e.After, `"role":"planner"`))
		changed = changed || (e.Action == "update" && e.Via == models.ViaOIDC && strings.Contains(e.Before, `"role":"planner"`) && strings.Contains(e.After, `"role":"admin"`))
	}
	if !created || !changed {
		t.Errorf("audit: created %v, role change %v: %+v", created, changed, entries)
	}
	// Unchanged claims change nothing and write no audit entry.
	n := len(entries)
	p.SignIn(t, s.NewClient(t), renamed)
	if entries, _, _ = s.Store.AuditLog(models.AuditFilter{Entity: "user"}); len(entries) != n {
		t.Errorf("a sign-in with the same claims wrote %d audit entries", len(entries)-n)
	}
}

// TestForgedCallbacksSignNobodyIn: every bad callback or token ends in a
// 4xx page and no session.
func TestForgedCallbacksSignNobodyIn(t *testing.T) {
	s, p := startWithProvider(t, "", func(set *handlers.OIDCSettings) { set.AllowedDomains = []string{"hochiminhcity.gov.vn"} })
	check := func(name string, c *apptest.Client, resp *http.Response, body string, status int, text string) {
		t.Helper()
		if resp.StatusCode != status || !strings.Contains(body, text) {
			t.Errorf("%s: %d, want %d with %q: %s", name, resp.StatusCode, status, text, body)
		}
		if m := whoAmI(t, c); m != nil {
			t.Errorf("%s: signed in as %+v", name, m)
		}
	}

	c := s.NewClient(t)
	cb := p.Authorize(t, c, plannerAtProvider("sub-1"))
	resp, body := c.Do(t, "GET", strings.Replace(cb, "state=", "state=x", 1), "", nil)
	check("tampered state", c, resp, body, 400, "không hợp lệ")

	// A callback replayed after it signed someone in: the state was used.
	first := s.NewClient(t)
	resp, _, cb = p.SignIn(t, first, plannerAtProvider("sub-2"))
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("first use of the callback: %d", resp.StatusCode)
	}
	replay := s.NewClient(t)
	q, _ := url.ParseQuery(strings.SplitN(cb, "?", 2)[1])
	u, _ := url.Parse(s.URL)
	replay.HTTP.Jar.SetCookies(u, []*http.Cookie{{Name: "tiendo_oidc", Value: q.Get("state"), Path: "/"}})
	resp, body = replay.Do(t, "GET", cb, "", nil)
	check("replayed callback", replay, resp, body, 400, "đã được dùng")

	// A callback URL sent to another browser (no state cookie): refused.
	victim := s.NewClient(t)
	cb = p.Authorize(t, s.NewClient(t), plannerAtProvider("sub-3"))
	resp, body = victim.Do(t, "GET", cb, "", nil)
	check("callback in another browser", victim, resp, body, 400, "không hợp lệ")

	wrongAud := plannerAtProvider("sub-4")
	wrongAud.Audience = "another-app"
	c = s.NewClient(t)
	resp, body, _ = p.SignIn(t, c, wrongAud)
	check("wrong audience", c, resp, body, 401, "Không xác minh được")

	expired := plannerAtProvider("sub-5")
	expired.Expired = true
	c = s.NewClient(t)
	resp, body, _ = p.SignIn(t, c, expired)
	check("expired token", c, resp, body, 401, "Không xác minh được")

	unverified := plannerAtProvider("sub-6")
	unverified.Extra["email_verified"] = false
	c = s.NewClient(t)
	resp, body, _ = p.SignIn(t, c, unverified)
	check("unverified e-mail", c, resp, body, 403, "chưa được xác minh")

	elsewhere := plannerAtProvider("sub-7")
	elsewhere.Extra["email"] = "an@example.com"
	c = s.NewClient(t)
	resp, body, _ = p.SignIn(t, c, elsewhere)
	check("disallowed domain", c, resp, body, 403, "hochiminhcity.gov.vn")

	nogroup := plannerAtProvider("sub-8")
	nogroup.Extra["groups"] = []string{"staff"}
	c = s.NewClient(t)
	resp, body, _ = p.SignIn(t, c, nogroup)
	check("no matching group", c, resp, body, 403, "tiendo-admins, tiendo-planners")

	c = s.NewClient(t)
	resp, body = c.Do(t, "GET", "/auth/oidc/callback?error=access_denied&state=x", "", nil)
	check("provider refused", c, resp, body, 401, "access_denied")

	// A disabled account stays disabled, whatever the provider says.
	d, err := s.Store.UserByUsername("nguyen.van.an") // sub-2's account
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Store.UpdateUser(models.Actor{Username: "test", Via: models.ViaSystem}, d.ID, models.UserInput{Role: d.Role, UnitCode: "VN-SG-760", Disabled: true}); err != nil {
		t.Fatal(err)
	}
	c = s.NewClient(t)
	resp, body, _ = p.SignIn(t, c, plannerAtProvider("sub-2"))
	check("disabled account", c, resp, body, 403, "đã bị khóa")
	if m := whoAmI(t, first); m != nil {
		t.Errorf("the disabled account's earlier session still works: %+v", m)
	}
	// None of the refused identities got an account.
	users, _ := s.Store.Users()
	for _, u := range users {
		if u.OIDCSubject != "" && u.OIDCSubject != "sub-2" {
			t.Errorf("a refused sign-in created the account %s (%s)", u.Username, u.OIDCSubject)
		}
	}
}

func TestWithoutAutoCreateAFirstSignInWaitsForAnAdmin(t *testing.T) {
	s, p := startWithProvider(t, "", func(set *handlers.OIDCSettings) { set.AutoCreate = false; set.RoleMap = nil; set.UnitClaim = "" })
	c := s.NewClient(t)
	resp, body, _ := p.SignIn(t, c, plannerAtProvider("sub-9"))
	if resp.StatusCode != 403 || !strings.Contains(body, "nguyen.van.an") || !strings.Contains(body, "chờ quản trị viên") || whoAmI(t, c) != nil {
		t.Fatalf("pending: %d %s", resp.StatusCode, body)
	}
	u, err := s.Store.UserByUsername("nguyen.van.an")
	if err != nil || !u.Disabled || u.Role != models.RoleViewer {
		t.Fatalf("pending account: %+v %v", u, err)
	}
	if err := s.Store.UpdateUser(models.Actor{Via: models.ViaSystem}, u.ID, models.UserInput{Role: models.RoleAnalyst}); err != nil {
		t.Fatal(err)
	}
	// Enabled as an analyst: with no role map the role set here stays.
	if resp, _, _ := p.SignIn(t, c, plannerAtProvider("sub-9")); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("enabled account: %d", resp.StatusCode)
	}
	if m := whoAmI(t, c); m == nil || m.Role != "analyst" || m.Unit != nil {
		t.Fatalf("me: %+v", m)
	}
}

func TestUsernameTakenByAPasswordAccountIsNotTakenOver(t *testing.T) {
	s, p := startWithProvider(t, "", nil)
	local := s.AddUser(t, "nguyen.van.an", models.RoleAdmin, "", testPassword)
	c := s.NewClient(t)
	p.SignIn(t, c, plannerAtProvider("sub-10"))
	m := whoAmI(t, c)
	if m == nil || m.Username != "nguyen.van.an-2" || m.Role != "planner" {
		t.Fatalf("me: %+v", m)
	}
	if u, _ := s.Store.UserByID(local.ID); u.Role != models.RoleAdmin || u.OIDCSubject != "" {
		t.Errorf("the local account changed: %+v", u)
	}
}

func TestPasswordLoginModes(t *testing.T) {
	token := func(s *apptest.Server, user string) int {
		code, _ := s.Do(t, "POST", "/api/v1/auth/token", `{"username":"`+user+`","password":"`+testPassword+`"}`, map[string]string{"Content-Type": "application/json"})
		return code
	}
	form := func(s *apptest.Server, user string) (int, string) {
		c := s.NewClient(t)
		c.Get(t, "/login")
		return c.Post(t, "/login", url.Values{"username": {user}, "password": {testPassword}})
	}

	s, _ := startWithProvider(t, handlers.PasswordOff, nil)
	s.AddUser(t, "admin", models.RoleAdmin, "", testPassword)
	_, page := s.Get(t, "/login")
	if strings.Contains(page, `name="password"`) || !strings.Contains(page, "Đăng nhập bằng tài khoản công vụ") {
		t.Error("off: the sign-in page still shows the password form, or not the provider's button")
	}
	// The page has no form (so no CSRF token): a forged post is refused too.
	if code, body := form(s, "admin"); code != 403 {
		t.Errorf("off: form %d %s", code, body)
	}
	if code := token(s, "admin"); code != 403 {
		t.Errorf("off: token %d", code)
	}

	s, _ = startWithProvider(t, handlers.PasswordAdmins, nil)
	s.AddUser(t, "admin", models.RoleAdmin, "", testPassword)
	s.AddUser(t, "planner", models.RolePlanner, "", testPassword)
	_, page = s.Get(t, "/login?lang=en")
	if !strings.Contains(page, `name="password"`) || !strings.Contains(page, "Sign in with your organisation account") || !strings.Contains(page, "break-glass") {
		t.Error("admins: the page lacks the form, the button or the note")
	}
	if code, _ := form(s, "admin"); code != 303 {
		t.Errorf("admins: break-glass admin refused: %d", code)
	}
	if code, body := form(s, "planner"); code != 403 || !strings.Contains(body, "chỉ dành cho quản trị viên") {
		t.Errorf("admins: planner by password: %d", code)
	}
	if token(s, "admin") != 201 || token(s, "planner") != 403 {
		t.Errorf("admins: tokens admin %d, planner %d", token(s, "admin"), token(s, "planner"))
	}

	// Without a provider: the form, no button; /auth/oidc does not exist.
	plain := apptest.Start(t, apptest.Options{})
	if _, page := plain.Get(t, "/login"); strings.Contains(page, "oidc-signin") || !strings.Contains(page, `name="password"`) {
		t.Error("no provider: wrong sign-in page")
	}
	if code, _ := plain.Get(t, "/auth/oidc"); code != 404 {
		t.Errorf("no provider: /auth/oidc %d", code)
	}
}

func TestMeTellsHowTheUserSignedIn(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	s.AddUser(t, "q1", models.RolePlanner, "VN-SG-760", testPassword)
	c := s.NewClient(t)
	if whoAmI(t, c) != nil {
		t.Fatal("anonymous has a /me")
	}
	c.Login(t, "q1", testPassword)
	if m := whoAmI(t, c); m == nil || m.Username != "q1" || m.Role != "planner" || *m.Unit != "VN-SG-760" || m.SignedInWith != "password" {
		t.Errorf("session: %+v", m)
	}
	_, tokBody := s.Do(t, "POST", "/api/v1/auth/token", `{"username":"q1","password":"`+testPassword+`"}`, map[string]string{"Content-Type": "application/json"})
	var tok struct{ Token string }
	json.Unmarshal([]byte(tokBody), &tok)
	code, body := s.Do(t, "GET", "/api/v1/me", "", map[string]string{"Authorization": "Bearer " + tok.Token})
	if code != 200 || !strings.Contains(body, `"signed_in_with":"token"`) || !strings.Contains(body, `"unit":"VN-SG-760"`) {
		t.Errorf("bearer: %d %s", code, body)
	}
	s.AddUser(t, "all", models.RoleViewer, "", testPassword)
	c = s.NewClient(t)
	c.Login(t, "all", testPassword)
	if _, body := c.Get(t, "/api/v1/me"); !strings.Contains(body, `"unit":null`) {
		t.Errorf("unit of an unscoped user: %s", body)
	}
}
