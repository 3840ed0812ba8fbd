package handlers

import (
	"errors"
	"math"
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"tiendo/models"
)

// loginPage shows the sign-in form.
func (h *Handler) loginPage(c *fiber.Ctx) error {
	p := h.page(c, "")
	p.Title = p.T("login.title")
	f := newForm(p.Lang)
	f.Vals["next"] = safeNext(c.Query("next"))
	p.Data = h.loginData(f)
	return h.render(c, fiber.StatusOK, layoutApp, "login", p)
}

// loginData is the sign-in page: the form (unless password sign-in is off)
// and the identity provider's button (when one is configured).
type loginData struct {
	Form          *form
	Password      string // Config.PasswordLogin
	OIDC          bool
	OIDCStartPath string
}

func (h *Handler) loginData(f *form) loginData {
	d := loginData{Form: f, Password: h.cfg.PasswordLogin, OIDC: h.cfg.OIDC != nil, OIDCStartPath: "/auth/oidc"}
	if d.Password == "" {
		d.Password = PasswordOn
	}
	if next := f.V("next"); next != "" {
		d.OIDCStartPath += "?next=" + url.QueryEscape(next)
	}
	return d
}

// login signs a user in: a new session (and so a new id) at every sign-in;
// failures are counted per account and per address.
func (h *Handler) login(c *fiber.Ctx) error {
	p := h.page(c, "")
	p.Title = p.T("login.title")
	f := readForm(c, p.Lang, "username", "next")
	f.Vals["next"] = safeNext(f.Vals["next"])
	username := strings.ToLower(f.V("username"))
	fail := func(status int, key string, args ...any) error {
		f.Errs["form"] = p.T(key, args...)
		p.Data = h.loginData(f)
		return h.render(c, status, layoutApp, "login", p)
	}
	u, err := h.signIn(c, username, c.FormValue("password"))
	var ue *userError
	if errors.As(err, &ue) {
		if ue.status == fiber.StatusUnauthorized {
			// The page itself is open to all: a wrong password is bad input, not a missing sign-in.
			ue.status = fiber.StatusUnprocessableEntity
		}
		return fail(ue.status, ue.key, ue.args...)
	} else if err != nil {
		return err
	}
	return h.startSession(c, u, models.SignInPassword, f.V("next"))
}

// logout ends the session.
func (h *Handler) logout(c *fiber.Ctx) error {
	if token := c.Cookies(sessionCookie); token != "" {
		if err := h.store.DeleteSession(token); err != nil {
			return err
		}
	}
	h.setCookie(c, sessionCookie, "", -1)
	return c.Redirect("/", fiber.StatusSeeOther)
}

// logoutEverywhere ends every session of the signed-in user, this one too.
func (h *Handler) logoutEverywhere(c *fiber.Ctx) error {
	if _, err := h.store.DeleteSessions(actor(c, models.ViaForm), currentUser(c).ID); err != nil {
		return err
	}
	h.setCookie(c, sessionCookie, "", -1)
	return c.Redirect("/", fiber.StatusSeeOther)
}

// safeNext keeps a redirect inside the app: a path of its own, never
// another site. Browsers drop tabs and newlines from URLs and read a
// backslash as a slash, so those go first; what is left must parse as a
// path without scheme or host, and the redirect is rebuilt from its parts.
func safeNext(next string) string {
	next = strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return -1
		}
		return r
	}, next)
	if !localPath(next) {
		return ""
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" || !localPath(u.Path) {
		return ""
	}
	out := u.EscapedPath()
	if strings.HasPrefix(out, "//") || !strings.HasPrefix(out, "/") {
		return ""
	}
	if u.RawQuery != "" {
		out += "?" + u.Query().Encode()
	}
	return out
}

// localPath: starts with one slash, and holds no backslash or control
// character (checked on the raw and on the decoded path).
func localPath(p string) bool {
	return strings.HasPrefix(p, "/") && !strings.HasPrefix(p, "//") && !strings.ContainsFunc(p, func(r rune) bool {
		return r == '\\' || r < ' ' || r == 0x7f
	})
}

type tokenRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
	Name     string `json:"name"`
	ReadOnly bool   `json:"read_only"` // a token that may only read
}

// apiToken gives an API client a personal token for a username and
// password, under the same rate limit as the sign-in form.
func (h *Handler) apiToken(c *fiber.Ctx) error {
	var req tokenRequest
	if err := c.BodyParser(&req); err != nil {
		return failure(fiber.StatusBadRequest, "error.bad_json")
	}
	u, err := h.signIn(c, strings.ToLower(strings.TrimSpace(req.Username)), req.Password)
	if err != nil {
		return err
	}
	name := strings.TrimSpace(req.Name)
	if name == "" {
		name = "API"
	}
	id := u.ID
	token, err := h.store.CreateToken(models.Actor{UserID: &id, Username: u.Username, Address: c.IP(), Via: models.ViaAPI}, u.ID, name, req.ReadOnly)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(tokenAnswer{Token: token, User: u.Username, Role: u.Role, ReadOnly: req.ReadOnly})
}

// signIn checks a username and password under the rate limit, recording
// the attempt; refusals are userErrors (429, 401, or 403 where
// TIENDO_PASSWORD_LOGIN does not let this account use a password).
func (h *Handler) signIn(c *fiber.Ctx, username, password string) (*models.User, error) {
	if h.cfg.PasswordLogin == PasswordOff {
		return nil, failure(fiber.StatusForbidden, "signin.password_off")
	}
	u, err := h.checkPassword(c, username, password)
	if err == nil && h.cfg.PasswordLogin == PasswordAdmins && u.Role != models.RoleAdmin {
		return nil, failure(fiber.StatusForbidden, "signin.password_admins")
	}
	return u, err
}

func (h *Handler) checkPassword(c *fiber.Ctx, username, password string) (*models.User, error) {
	wait, err := h.store.LoginWait(username, c.IP())
	if err != nil {
		return nil, err
	}
	if wait > 0 {
		c.Set(fiber.HeaderRetryAfter, strconv.Itoa(int(math.Ceil(wait.Seconds()))))
		return nil, failure(fiber.StatusTooManyRequests, "login.too_many", int(math.Ceil(wait.Minutes())))
	}
	u, err := h.store.Authenticate(username, password)
	if err != nil && !errors.Is(err, models.ErrBadCredentials) {
		return nil, err
	}
	if err := h.store.RecordLogin(username, c.IP(), err == nil); err != nil {
		return nil, err
	}
	if err != nil {
		return nil, failure(fiber.StatusUnauthorized, "login.failed")
	}
	return u, nil
}
