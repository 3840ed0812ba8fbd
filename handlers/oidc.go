package handlers

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/gofiber/fiber/v2"
	"golang.org/x/oauth2"

	"tiendo/models"
)

// OIDCSettings are the identity provider's settings (TIENDO_OIDC_*).
type OIDCSettings struct {
	Issuer, ClientID, ClientSecret, RedirectURL string
	Scopes                                      []string
	RoleClaim                                   string     // a claim holding the user's groups, e.g. "groups"
	RoleMap                                     []RoleRule // first match wins; empty: roles are set in Tiến độ
	UnitClaim                                   string     // a claim holding a unit code, for a planner's scope
	AutoCreate                                  bool       // a first sign-in creates an active account
	AllowedDomains                              []string   // e-mail domains let in; empty: any
}

// RoleRule maps a group of the provider to a role of Tiến độ.
type RoleRule struct {
	Group string
	Role  models.Role
}

// ParseRoleMap reads "group=role,group=role" (TIENDO_OIDC_ROLE_MAP).
func ParseRoleMap(s string) ([]RoleRule, error) {
	var rules []RoleRule
	for _, pair := range strings.Split(s, ",") {
		if pair = strings.TrimSpace(pair); pair == "" {
			continue
		}
		group, role, ok := strings.Cut(pair, "=")
		r := models.Role(strings.TrimSpace(role))
		if !ok || strings.TrimSpace(group) == "" || !r.Valid() {
			return nil, fmt.Errorf("TIENDO_OIDC_ROLE_MAP: %q is not group=role with a role among viewer, analyst, planner, admin", pair)
		}
		rules = append(rules, RoleRule{Group: strings.TrimSpace(group), Role: r})
	}
	return rules, nil
}

// OIDC is a discovered identity provider, ready for sign-ins.
type OIDC struct {
	settings OIDCSettings
	oauth    oauth2.Config
	verifier *oidc.IDTokenVerifier
	client   *http.Client
}

// NewOIDC discovers the provider at settings.Issuer. The caller bounds the
// wait with ctx: a wrong issuer stops the start with a message naming
// TIENDO_OIDC_ISSUER, never a silent fallback to passwords.
func NewOIDC(ctx context.Context, settings OIDCSettings) (*OIDC, error) {
	if settings.ClientID == "" || settings.RedirectURL == "" {
		return nil, errors.New("TIENDO_OIDC_ISSUER is set: TIENDO_OIDC_CLIENT_ID and TIENDO_OIDC_REDIRECT_URL are needed too")
	}
	client := &http.Client{Timeout: 20 * time.Second}
	provider, err := oidc.NewProvider(oidc.ClientContext(ctx, client), settings.Issuer)
	if err != nil {
		return nil, fmt.Errorf("TIENDO_OIDC_ISSUER %q: no OpenID provider answers there (its /.well-known/openid-configuration): %w", settings.Issuer, err)
	}
	if len(settings.Scopes) == 0 {
		settings.Scopes = []string{oidc.ScopeOpenID, "profile", "email"}
	}
	return &OIDC{settings: settings, client: client,
		oauth: oauth2.Config{ClientID: settings.ClientID, ClientSecret: settings.ClientSecret, RedirectURL: settings.RedirectURL,
			Endpoint: provider.Endpoint(), Scopes: settings.Scopes},
		verifier: provider.Verifier(&oidc.Config{ClientID: settings.ClientID})}, nil
}

// oidcCookie binds a started sign-in to the browser that started it, so a
// callback URL sent to someone else signs nobody in.
const oidcCookie = "tiendo_oidc"

// oidcStart sends the browser to the provider: authorization code flow with
// PKCE (S256), a state and a nonce, all kept until the callback.
func (h *Handler) oidcStart(c *fiber.Ctx) error {
	o := h.cfg.OIDC
	if o == nil {
		return failure(fiber.StatusNotFound, "error.not_found")
	}
	state, nonce, verifier := models.NewPassword()+models.NewPassword(), models.NewPassword()+models.NewPassword(), oauth2.GenerateVerifier()
	if err := h.store.SaveOIDCLogin(state, nonce, verifier, safeNext(c.Query("next"))); err != nil {
		return err
	}
	h.setCookie(c, oidcCookie, state, int(models.OIDCLoginLifetime.Seconds()))
	return c.Redirect(o.oauth.AuthCodeURL(state, oidc.Nonce(nonce), oauth2.S256ChallengeOption(verifier)), fiber.StatusSeeOther)
}

// oidcCallback finishes a sign-in: the state must be this browser's and
// unused, the code is exchanged with the PKCE verifier, the ID token is
// verified (signature, issuer, audience, expiry) and must carry the nonce.
// Every refusal is a 4xx page and signs nobody in.
func (h *Handler) oidcCallback(c *fiber.Ctx) error {
	o := h.cfg.OIDC
	if o == nil {
		return failure(fiber.StatusNotFound, "error.not_found")
	}
	state := c.Query("state")
	cookie := c.Cookies(oidcCookie)
	h.setCookie(c, oidcCookie, "", -1)
	if e := c.Query("error"); e != "" {
		return failure(fiber.StatusUnauthorized, "signin.provider_refused", e)
	}
	if state == "" || subtle.ConstantTimeCompare([]byte(state), []byte(cookie)) != 1 {
		return failure(fiber.StatusBadRequest, "signin.bad_state")
	}
	login, err := h.store.TakeOIDCLogin(state)
	if errors.Is(err, models.ErrNotFound) {
		return failure(fiber.StatusBadRequest, "signin.bad_state")
	} else if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(oidc.ClientContext(context.Background(), o.client), 30*time.Second)
	defer cancel()
	tok, err := o.oauth.Exchange(ctx, c.Query("code"), oauth2.VerifierOption(login.Verifier))
	if err != nil {
		h.log.Warn("sign-in: the provider refused the code", "error", err)
		return failure(fiber.StatusUnauthorized, "signin.bad_code")
	}
	raw, _ := tok.Extra("id_token").(string)
	idt, err := o.verifier.Verify(ctx, raw)
	if err != nil {
		h.log.Warn("sign-in: ID token refused", "error", err)
		return failure(fiber.StatusUnauthorized, "signin.bad_token")
	}
	if subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(login.Nonce)) != 1 {
		return failure(fiber.StatusUnauthorized, "signin.bad_token")
	}
	var claims map[string]any
	if err := idt.Claims(&claims); err != nil {
		return failure(fiber.StatusUnauthorized, "signin.bad_token")
	}
	id, err := o.identity(idt.Issuer, idt.Subject, claims)
	if err != nil {
		return err
	}
	a := models.Actor{Address: c.IP(), Via: models.ViaOIDC}
	u, err := h.store.SignInOIDC(a, id, o.settings.AutoCreate)
	switch {
	case errors.Is(err, models.ErrAccountDisabled):
		return failure(fiber.StatusForbidden, "signin.disabled")
	case errors.Is(err, models.ErrAccountPending):
		return failure(fiber.StatusForbidden, "signin.pending", u.Username)
	case err != nil:
		var p models.Problems
		if errors.As(err, &p) {
			return failure(fiber.StatusForbidden, "signin.unknown_unit", *id.UnitCode)
		}
		return err
	}
	return h.startSession(c, u, models.SignInOIDC, login.Next)
}

// identity reads who signed in from the verified claims and applies the
// instance's rules: verified e-mail, allowed domains, role map, unit claim.
func (o *OIDC) identity(issuer, subject string, claims map[string]any) (models.OIDCIdentity, error) {
	id := models.OIDCIdentity{Issuer: issuer, Subject: subject}
	id.Username, _ = claims["preferred_username"].(string)
	id.Email, _ = claims["email"].(string)
	verified, _ := claims["email_verified"].(bool)
	s := o.settings
	// An e-mail is relied on for the username or the domain check: only a
	// verified one (an absent email_verified counts as not verified).
	if id.Email != "" && !verified {
		return id, failure(fiber.StatusForbidden, "signin.unverified_email", id.Email)
	}
	if len(s.AllowedDomains) > 0 {
		_, domain, _ := strings.Cut(strings.ToLower(id.Email), "@")
		ok := false
		for _, d := range s.AllowedDomains {
			ok = ok || (domain != "" && domain == strings.ToLower(strings.TrimPrefix(d, "@")))
		}
		if !ok {
			return id, failure(fiber.StatusForbidden, "signin.domain", id.Email, strings.Join(s.AllowedDomains, ", "))
		}
	}
	if len(s.RoleMap) > 0 {
		groups := claimStrings(claims[s.RoleClaim])
		for _, r := range s.RoleMap {
			if groups[r.Group] {
				id.Role = r.Role
				break
			}
		}
		if id.Role == "" {
			var names []string
			for _, r := range s.RoleMap {
				names = append(names, r.Group)
			}
			return id, failure(fiber.StatusForbidden, "signin.no_group", strings.Join(names, ", "))
		}
	}
	if s.UnitClaim != "" {
		code, _ := claims[s.UnitClaim].(string)
		code = strings.TrimSpace(code)
		id.UnitCode = &code
	}
	return id, nil
}

// claimStrings reads a claim that is a list of strings or one string.
func claimStrings(v any) map[string]bool {
	out := map[string]bool{}
	switch x := v.(type) {
	case string:
		out[x] = true
	case []any:
		for _, e := range x {
			if s, ok := e.(string); ok {
				out[s] = true
			}
		}
	}
	return out
}

// startSession signs a user in on this browser: a new session (and so a
// new id) at every sign-in, then on to next or the user's start page.
func (h *Handler) startSession(c *fiber.Ctx, u *models.User, method, next string) error {
	if old := c.Cookies(sessionCookie); old != "" {
		if err := h.store.DeleteSession(old); err != nil {
			return err
		}
	}
	token, _, err := h.store.CreateSessionVia(u.ID, c.IP(), method)
	if err != nil {
		return err
	}
	h.setCookie(c, sessionCookie, token, int(models.SessionLifetime.Seconds()))
	if next == "" {
		next = "/"
		if u.Role.Allows(models.RolePlanner) {
			next = "/edit"
		}
	}
	return c.Redirect(next, fiber.StatusSeeOther)
}

// apiMe tells an API client (or a page's script) who it is.
func (h *Handler) apiMe(c *fiber.Ctx) error {
	u := currentUser(c)
	method := models.SignInToken
	if s := currentSession(c); s != nil && !viaBearer(c) {
		method = s.Method
	}
	var unit *string
	if u.Unit != nil {
		unit = &u.Unit.Code
	}
	return c.JSON(meAnswer{Username: u.Username, Role: u.Role, Unit: unit, SignedInWith: method, Email: u.Email, Lang: u.Lang, MailOff: u.MailOff})
}
