package e2e

import (
	"context"
	"errors"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"tiendo/apptest"
	"tiendo/handlers"
	"tiendo/models"
)

// TestSignInThroughTheProviderInChromium: the whole sign-in in a real
// browser, against a real OpenID provider on 127.0.0.1.
func TestSignInThroughTheProviderInChromium(t *testing.T) {
	p := apptest.StartProvider(t)
	s := apptest.Start(t, apptest.Options{ConfigFor: func(base string) handlers.Config {
		set := p.Settings(base)
		set.RoleMap = []handlers.RoleRule{{Group: "tiendo-planners", Role: models.RolePlanner}}
		set.UnitClaim = "unit"
		return handlers.Config{PasswordLogin: handlers.PasswordAdmins, OIDC: p.Config(t, set)}
	}})
	b := apptest.NewBrowser(t)
	p.QueueUser(&apptest.OIDCUser{Subject: "browser-1", Extra: map[string]any{
		"preferred_username": "tran.thi.binh", "email": "binh@hochiminhcity.gov.vn", "email_verified": true,
		"groups": []string{"tiendo-planners"}, "unit": "VN-SG-760"}})
	var button, who, path string
	err := chromedp.Run(b.Ctx,
		chromedp.Navigate(s.URL+"/login"),
		chromedp.WaitVisible(`#oidc-signin`),
		chromedp.Text(`#oidc-signin`, &button),
	)
	if err != nil {
		t.Fatal(err)
	}
	b.Screenshot(t, "signin-vi")
	if button != "Đăng nhập bằng tài khoản công vụ" {
		t.Errorf("button: %q", button)
	}
	err = chromedp.Run(b.Ctx,
		chromedp.Click(`#oidc-signin`),
		chromedp.WaitVisible(`.who`),
		chromedp.Text(`.who`, &who),
		chromedp.Evaluate(`location.pathname`, &path),
	)
	if err != nil {
		t.Fatalf("signing in through the provider: %v", err)
	}
	b.Screenshot(t, "signin-done")
	if !strings.Contains(who, "tran.thi.binh") || path != "/edit" {
		t.Errorf("after the sign-in: %q on %s", who, path)
	}
	u, err := s.Store.UserByUsername("tran.thi.binh")
	if err != nil || u.Role != models.RolePlanner || u.Unit == nil || u.Unit.Code != "VN-SG-760" {
		t.Fatalf("account: %+v %v", u, err)
	}
	noJSErrors(t, b)
}

// TestWrongIssuerStopsTheStart runs the real binary with TIENDO_OIDC_ISSUER
// pointing where no provider is: it stops within 30 seconds, exit status 1,
// with a message naming the variable. With the right issuer it starts.
func TestWrongIssuerStopsTheStart(t *testing.T) {
	p := apptest.StartProvider(t)
	// A listener that accepts and never answers: the wait is bounded.
	silent, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	go func() {
		for {
			c, err := silent.Accept()
			if err != nil {
				return
			}
			defer c.Close()
		}
	}()
	for name, issuer := range map[string]string{
		"not a provider":  p.Issuer() + "/nothing-here",
		"issuer mismatch": strings.Replace(p.Issuer(), "127.0.0.1", "localhost", 1),
		"nothing listens": "http://127.0.0.1:1/realms/province",
		"silent listener": "http://" + silent.Addr().String() + "/realms/province",
	} {
		t.Run(name, func(t *testing.T) {
			cmd := exec.Command(apptest.Binary(t), "serve", "-db", apptest.DSN(t), "-addr", "127.0.0.1:0")
			cmd.Env = append(os.Environ(), "TIENDO_OIDC_ISSUER="+issuer, "TIENDO_OIDC_CLIENT_ID="+p.ClientID,
				"TIENDO_OIDC_CLIENT_SECRET="+p.ClientSecret, "TIENDO_OIDC_REDIRECT_URL=http://127.0.0.1:8080/auth/oidc/callback")
			var out strings.Builder
			cmd.Stdout, cmd.Stderr = &out, &out
			start := time.Now()
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			timer := time.AfterFunc(40*time.Second, func() { _ = cmd.Process.Kill() })
			err := cmd.Wait()
			timer.Stop()
			took := time.Since(start)
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != 1 {
				t.Fatalf("exit: %v\n%s", err, out.String())
			}
			if !strings.Contains(out.String(), "TIENDO_OIDC_ISSUER") || !strings.Contains(out.String(), issuer) {
				t.Errorf("message does not name the setting and its value:\n%s", out.String())
			}
			if took > 31*time.Second {
				t.Errorf("took %s to stop", took)
			}
		})
	}
	t.Run("right issuer", func(t *testing.T) {
		t.Setenv("TIENDO_OIDC_ISSUER", p.Issuer())
		t.Setenv("TIENDO_OIDC_CLIENT_ID", p.ClientID)
		t.Setenv("TIENDO_OIDC_CLIENT_SECRET", p.ClientSecret)
		t.Setenv("TIENDO_OIDC_REDIRECT_URL", "http://127.0.0.1:8080/auth/oidc/callback")
		t.Setenv("TIENDO_PASSWORD_LOGIN", "admins")
		t.Setenv("TIENDO_ADMIN_PASSWORD", "break-glass password 2026")
		proc := apptest.StartBinary(t, apptest.DSN(t))
		code, body := httpGet(t, proc.URL+"/login")
		if code != 200 || !strings.Contains(body, "Đăng nhập bằng tài khoản công vụ") || !strings.Contains(body, `name="password"`) {
			t.Errorf("/login: %d", code)
		}
	})
}

// TestResetLinkAndOwnPasswordInChromium: an admin makes a reset link, its
// owner sets a password with it, signs in and changes it again.
func TestResetLinkAndOwnPasswordInChromium(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	s.AddUser(t, "admin", models.RoleAdmin, "", password)
	u := s.AddUser(t, "analyst.q1", models.RoleAnalyst, "", password)
	b := apptest.NewBrowser(t)
	signIn(t, b, s, "admin")
	var link string
	err := chromedp.Run(b.Ctx,
		chromedp.Navigate(s.URL+"/admin/users/"+strconv.Itoa(int(u.ID))+"?lang=en"),
		chromedp.Click(`form[action$="/reset"] button`, chromedp.ByQuery),
		chromedp.WaitVisible(`#reset-link`),
		chromedp.Text(`#reset-link`, &link),
	)
	if err != nil {
		t.Fatal(err)
	}
	b.Screenshot(t, "password-reset-link-en")
	checkAxe(t, b, "reset link")
	const first, second = "hoa sen nở trong đầm", "trăng rằm tháng tám sáng"
	owner := apptest.NewBrowser(t)
	err = chromedp.Run(owner.Ctx,
		chromedp.Navigate(link),
		chromedp.WaitVisible(`#f-password`),
		chromedp.SendKeys(`#f-password`, first),
		chromedp.SendKeys(`#f-repeat`, first),
	)
	if err != nil {
		t.Fatal(err)
	}
	owner.Screenshot(t, "password-reset-vi")
	var text string
	step := func(name string, actions ...chromedp.Action) {
		t.Helper()
		ctx, cancel := context.WithTimeout(owner.Ctx, 15*time.Second)
		defer cancel()
		if err := chromedp.Run(ctx, actions...); err != nil {
			owner.Screenshot(t, "password-failed")
			t.Fatalf("%s: %v", name, err)
		}
	}
	var at string
	step("set through the link", chromedp.Click(`button[type=submit]`, chromedp.ByQuery), chromedp.WaitVisible(`.alert-ok`), chromedp.Location(&at))
	if !strings.Contains(at, "/login") {
		t.Errorf("after setting the password: at %s, want the sign-in page", at)
	}
	// Signed in on a fresh load of the sign-in page: keys sent while the
	// redirect's page settled went to a node being replaced ("could not
	// find node", on a busy machine).
	step("sign in", chromedp.Navigate(s.URL+"/login"), chromedp.WaitVisible(`#f-username`), chromedp.SendKeys(`#f-username`, "analyst.q1"), chromedp.SendKeys(`#f-password`, first),
		chromedp.Click(`button[type=submit]`, chromedp.ByQuery), chromedp.WaitVisible(`.account-nav .who`))
	step("own password page", chromedp.Navigate(s.URL+"/account/password"), chromedp.WaitVisible(`#f-current`),
		chromedp.SendKeys(`#f-current`, first), chromedp.SendKeys(`#f-password`, second), chromedp.SendKeys(`#f-repeat`, second))
	step("change", chromedp.Click(`main button[type=submit]`, chromedp.ByQuery), chromedp.WaitVisible(`.alert-ok`), chromedp.Text(`.alert-ok`, &text))
	owner.Screenshot(t, "password-changed-vi")
	checkAxe(t, owner, "own password")
	if !strings.Contains(text, "Đã đổi mật khẩu") {
		t.Errorf("after the change: %q", text)
	}
	if _, err := s.Store.Authenticate("analyst.q1", second); err != nil {
		t.Error("the changed password does not work")
	}
	noJSErrors(t, owner)
}
