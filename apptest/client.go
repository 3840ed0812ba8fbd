package apptest

import (
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"testing"

	"tiendo/models"
)

// Client is a browser-like HTTP client: it keeps cookies, does not follow
// redirects, and sends the CSRF token of the last page it read with forms.
type Client struct {
	S    *Server
	HTTP *http.Client
	CSRF string
}

var csrfPattern = regexp.MustCompile(`name="csrf(?:-token)?" (?:value|content)="([^"]+)"`)

// NewClient returns a client with an empty cookie jar.
func (s *Server) NewClient(t testing.TB) *Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &Client{S: s, HTTP: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

// AddUser creates an account straight in the store (unit "" for all units).
func (s *Server) AddUser(t testing.TB, username string, role models.Role, unit, password string) *models.User {
	t.Helper()
	u, err := s.Store.CreateUser(models.Actor{Username: "test", Via: models.ViaSystem},
		models.UserInput{Username: username, Role: role, UnitCode: unit, Password: password})
	if err != nil {
		t.Fatalf("add user %s: %v", username, err)
	}
	return u
}

// Do sends a request and returns the response with its body read.
func (c *Client) Do(t testing.TB, method, path, body string, headers map[string]string) (*http.Response, string) {
	t.Helper()
	resp, b := Send(t, c.HTTP, method, c.S.URL+path, body, headers)
	if m := csrfPattern.FindSubmatch(b); m != nil {
		c.CSRF = string(m[1])
	}
	return resp, string(b)
}

// Get fetches a page.
func (c *Client) Get(t testing.TB, path string) (int, string) {
	t.Helper()
	resp, body := c.Do(t, "GET", path, "", nil)
	return resp.StatusCode, body
}

// Post sends a form with the CSRF token the client holds (unless the form
// has its own "csrf").
func (c *Client) Post(t testing.TB, path string, form url.Values) (int, string) {
	t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if _, ok := form["csrf"]; !ok {
		form.Set("csrf", c.CSRF)
	}
	resp, body := c.Do(t, "POST", path, form.Encode(), map[string]string{"Content-Type": "application/x-www-form-urlencoded"})
	return resp.StatusCode, body
}

// Login signs in through the form and fails the test if refused.
func (c *Client) Login(t testing.TB, username, password string) {
	t.Helper()
	c.Get(t, "/login")
	code, body := c.Post(t, "/login", url.Values{"username": {username}, "password": {password}})
	if code != http.StatusSeeOther {
		t.Fatalf("login %s: %d %s", username, code, body)
	}
	c.Get(t, "/account/tokens") // a signed-in page: the session's CSRF token
}

// Cookie returns the value of a cookie the client holds for the server.
func (c *Client) Cookie(name string) string {
	u, _ := url.Parse(c.S.URL)
	for _, ck := range c.HTTP.Jar.Cookies(u) {
		if ck.Name == name {
			return ck.Value
		}
	}
	return ""
}
