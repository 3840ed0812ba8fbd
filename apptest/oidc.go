package apptest

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/oauth2-proxy/mockoidc"

	"tiendo/handlers"
)

// Provider is a real OpenID Connect provider on 127.0.0.1 (mockoidc): it
// signs ID tokens with its own RSA key and publishes discovery and JWKS.
// Its authorization endpoint signs in, at once, the next queued OIDCUser.
type Provider struct {
	*mockoidc.MockOIDC
}

// StartProvider runs a provider until the test ends.
func StartProvider(t testing.TB) *Provider {
	t.Helper()
	m, err := mockoidc.Run()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = m.Shutdown() })
	return &Provider{m}
}

// Settings are the app's settings for this provider, calling back to the
// app at appURL.
func (p *Provider) Settings(appURL string) handlers.OIDCSettings {
	return handlers.OIDCSettings{Issuer: p.Issuer(), ClientID: p.ClientID, ClientSecret: p.ClientSecret,
		RedirectURL: appURL + "/auth/oidc/callback", RoleClaim: "groups", AutoCreate: true}
}

// Config discovers the provider as the server does at start.
func (p *Provider) Config(t testing.TB, settings handlers.OIDCSettings) *handlers.OIDC {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	o, err := handlers.NewOIDC(ctx, settings)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// OIDCUser is who the provider signs in next: its claims as given, and
// the ID token's registered claims changed where a test needs a bad token.
type OIDCUser struct {
	Subject  string
	Extra    map[string]any // preferred_username, email, email_verified, groups, …
	Audience string         // "": the app's client id
	Expired  bool           // the ID token expired an hour ago
}

// ID is the subject.
func (u *OIDCUser) ID() string { return u.Subject }

// Userinfo answers the userinfo endpoint.
func (u *OIDCUser) Userinfo([]string) ([]byte, error) {
	m := map[string]any{"sub": u.Subject}
	for k, v := range u.Extra {
		m[k] = v
	}
	return json.Marshal(m)
}

// Claims are the ID token's claims.
func (u *OIDCUser) Claims(_ []string, base *mockoidc.IDTokenClaims) (jwt.Claims, error) {
	b, err := json.Marshal(base)
	if err != nil {
		return nil, err
	}
	m := jwt.MapClaims{}
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	for k, v := range u.Extra {
		m[k] = v
	}
	if u.Audience != "" {
		m["aud"] = []string{u.Audience}
	}
	if u.Expired {
		m["exp"] = time.Now().Add(-time.Hour).Unix()
		m["iat"] = time.Now().Add(-2 * time.Hour).Unix()
		m["nbf"] = time.Now().Add(-2 * time.Hour).Unix()
	}
	return m, nil
}

// SignIn runs the whole code flow for c with u at the provider, and
// returns the app's answer to the callback and the callback's URL.
func (p *Provider) SignIn(t testing.TB, c *Client, u *OIDCUser) (*http.Response, string, string) {
	t.Helper()
	callback := p.Authorize(t, c, u)
	resp, body := c.Do(t, "GET", callback, "", nil)
	return resp, body, callback
}

// Authorize starts a sign-in at the app and goes through the provider; it
// returns the callback path (with its query) the provider sends back.
func (p *Provider) Authorize(t testing.TB, c *Client, u *OIDCUser) string {
	t.Helper()
	resp, _ := c.Do(t, "GET", "/auth/oidc", "", nil)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("GET /auth/oidc: %d", resp.StatusCode)
	}
	p.QueueUser(u)
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	at, _ := Send(t, noFollow, "GET", resp.Header.Get("Location"), "", nil)
	loc, err := url.Parse(at.Header.Get("Location"))
	if at.StatusCode != http.StatusFound || err != nil {
		t.Fatalf("provider's authorization: %d %q", at.StatusCode, at.Header.Get("Location"))
	}
	return loc.RequestURI()
}
