package handlers

import (
	"crypto/subtle"
	"errors"
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"tiendo/models"
)

// Public marks a route that stays open even in private mode: health checks
// and the ways to sign in.
const Public models.Role = "public"

const (
	sessionCookie = "tiendo_session"
	csrfCookie    = "tiendo_csrf" // the CSRF token of a browser not signed in (the login form)
	csrfField     = "csrf"
	csrfHeader    = "X-CSRF-Token"
)

// Request locals set by identify.
const (
	localUser     = "user"
	localSession  = "session"
	localBearer   = "bearer"
	localReadOnly = "read_only" // a read-only API token
)

// identify finds who is asking: a Bearer token on the API, else the session
// cookie. A Bearer token that is not valid is refused outright, so an API
// client never silently reads as anonymous.
func (h *Handler) identify(c *fiber.Ctx) error {
	if auth := c.Get(fiber.HeaderAuthorization); isAPI(c) && auth != "" {
		token, ok := strings.CutPrefix(auth, "Bearer ")
		if !ok {
			return failure(fiber.StatusUnauthorized, "error.bad_token")
		}
		u, tok, err := h.store.UserByToken(strings.TrimSpace(token))
		if err != nil {
			if errors.Is(err, models.ErrNotFound) {
				return failure(fiber.StatusUnauthorized, "error.bad_token")
			}
			return err
		}
		c.Locals(localUser, u)
		c.Locals(localBearer, true)
		c.Locals(localReadOnly, tok.ReadOnly)
		return c.Next()
	}
	if token := c.Cookies(sessionCookie); token != "" {
		sess, err := h.store.SessionByToken(token)
		switch {
		case err == nil:
			c.Locals(localUser, &sess.User)
			c.Locals(localSession, sess)
		case !errors.Is(err, models.ErrNotFound):
			return err
		}
	}
	return c.Next()
}

// currentUser is the signed-in user, or nil.
func currentUser(c *fiber.Ctx) *models.User {
	u, _ := c.Locals(localUser).(*models.User)
	return u
}

func currentSession(c *fiber.Ctx) *models.Session {
	s, _ := c.Locals(localSession).(*models.Session)
	return s
}

func viaBearer(c *fiber.Ctx) bool { b, _ := c.Locals(localBearer).(bool); return b }

// require lets a request through when its user has the role the route needs,
// and checks the CSRF token of every state-changing request a browser sends.
// Private mode turns every anonymous route into a viewer's.
func (h *Handler) require(role models.Role) fiber.Handler {
	return func(c *fiber.Ctx) error {
		u := currentUser(c)
		need := role
		if need == models.RoleAnonymous && h.cfg.Private {
			need = models.RoleViewer
		}
		have := models.RoleAnonymous
		if u != nil {
			have = u.Role
		}
		if need != Public && !have.Allows(need) {
			if u == nil {
				if !isAPI(c) && c.Method() == fiber.MethodGet {
					return c.Redirect("/login?next="+url.QueryEscape(c.OriginalURL()), fiber.StatusSeeOther)
				}
				return failure(fiber.StatusUnauthorized, "error.login_required")
			}
			return failure(fiber.StatusForbidden, "error.forbidden")
		}
		if ro, _ := c.Locals(localReadOnly).(bool); ro && c.Method() != fiber.MethodGet && c.Method() != fiber.MethodHead {
			return failure(fiber.StatusForbidden, "error.read_only_token")
		}
		// The API needs no CSRF token where no cookie grants anything: Bearer
		// calls, anonymous calls, and the token endpoint (it takes a password).
		cookieless := viaBearer(c) || (isAPI(c) && (u == nil || role == Public))
		if c.Method() != fiber.MethodGet && c.Method() != fiber.MethodHead && !cookieless {
			if !h.validCSRF(c) {
				return failure(fiber.StatusForbidden, "error.csrf")
			}
		}
		return c.Next()
	}
}

// unscoped lets through only users who may edit every unit: a planner
// scoped to a district cannot change what an indicator means city-wide.
func (h *Handler) unscoped(next fiber.Handler) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if u := currentUser(c); u == nil || u.UnitID != nil {
			return failure(fiber.StatusForbidden, "error.scoped_planner")
		}
		return next(c)
	}
}

// inScope refuses a change to a unit outside the user's scope.
func (h *Handler) inScope(c *fiber.Ctx, unit models.Unit) error {
	u := currentUser(c)
	if u == nil {
		return failure(fiber.StatusUnauthorized, "error.login_required")
	}
	ok, err := h.store.InScope(u, unit.ID)
	if err != nil {
		return err
	}
	if !ok {
		return failure(fiber.StatusForbidden, "error.out_of_scope", unit.Code)
	}
	return nil
}

// csrfToken is the token forms must send back: the session's, or for a
// browser not signed in, one kept in its own cookie (set on first use).
func (h *Handler) csrfToken(c *fiber.Ctx) string {
	if s := currentSession(c); s != nil {
		return s.CSRF
	}
	if v := c.Cookies(csrfCookie); len(v) >= 32 {
		return v
	}
	if v, ok := c.Locals(csrfCookie).(string); ok {
		return v
	}
	v := models.NewPassword() + models.NewPassword()
	c.Locals(csrfCookie, v)
	h.setCookie(c, csrfCookie, v, 0)
	return v
}

func (h *Handler) validCSRF(c *fiber.Ctx) bool {
	want := ""
	if s := currentSession(c); s != nil {
		want = s.CSRF
	} else if v := c.Cookies(csrfCookie); len(v) >= 32 {
		want = v
	}
	// Never from the query string: URLs end up in logs and Referer headers.
	got := c.Get(csrfHeader)
	if got == "" {
		got = bodyValue(c, csrfField)
	}
	return want != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// setCookie sets an HttpOnly, SameSite=Lax cookie, Secure behind HTTPS;
// maxAge 0 lasts the browser session, negative deletes it.
func (h *Handler) setCookie(c *fiber.Ctx, name, value string, maxAge int) {
	ck := &fiber.Cookie{Name: name, Value: value, Path: "/", HTTPOnly: true,
		SameSite: fiber.CookieSameSiteLaxMode, Secure: c.Protocol() == "https"}
	if maxAge < 0 {
		ck.Expires = time.Unix(0, 0)
		ck.MaxAge = -1
	} else {
		ck.MaxAge = maxAge
	}
	c.Cookie(ck)
}

// actor is who makes a change, for the audit log.
func actor(c *fiber.Ctx, via string) models.Actor {
	a := models.Actor{Address: c.IP(), Via: via}
	if u := currentUser(c); u != nil {
		id := u.ID
		a.UserID, a.Username = &id, u.Username
	}
	if viaBearer(c) {
		a.Via = models.ViaAPI
	}
	return a
}

// bodyValue is a field of a form sent in the body (URL-encoded or
// multipart), never of the query string.
func bodyValue(c *fiber.Ctx, key string) string {
	if v := c.Request().PostArgs().Peek(key); len(v) > 0 {
		return string(v)
	}
	if mf, err := c.MultipartForm(); err == nil && len(mf.Value[key]) > 0 {
		return mf.Value[key][0]
	}
	return ""
}
