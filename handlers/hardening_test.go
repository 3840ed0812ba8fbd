package handlers_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"tiendo/apptest"
	"tiendo/handlers"
	"tiendo/models"
)

// syncBuffer is a log the server writes while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestPanicsAnswer500AndTheServerLives: a panic in a handler is a logged
// 500 with the request id (JSON under /api/); a panic in a streamed body
// cuts the download (the client sees it fail, not end) and is logged; the
// server keeps serving.
func TestPanicsAnswer500AndTheServerLives(t *testing.T) {
	var logs syncBuffer
	store := apptest.OpenStore(t, apptest.DSN(t))
	h, err := handlers.New(store, handlers.Config{}, slog.New(slog.NewTextHandler(&logs, nil)), "test")
	if err != nil {
		t.Fatal(err)
	}
	app := h.App()
	handlers.AddPanicRoutes(h, app)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = app.Listener(ln) }()
	t.Cleanup(func() { _ = app.ShutdownWithTimeout(5 * time.Second) })
	base := "http://" + ln.Addr().String()

	resp, body := get(t, base+"/test/panic", nil)
	id := resp.Header.Get("X-Request-Id")
	if resp.StatusCode != 500 || id == "" || !strings.Contains(body, id) {
		t.Errorf("panic in a page: %d id=%q %.300s", resp.StatusCode, id, body)
	}
	if !strings.Contains(logs.String(), "request_id="+id) || !strings.Contains(logs.String(), "boom in a handler") {
		t.Errorf("the panic is not logged with its request id %s:\n%s", id, logs.String())
	}
	resp, body = get(t, base+"/api/test/panic", nil)
	var e struct {
		Error     string `json:"error"`
		RequestID string `json:"request_id"`
	}
	if resp.StatusCode != 500 || json.Unmarshal([]byte(body), &e) != nil || e.RequestID != resp.Header.Get("X-Request-Id") || e.Error == "" {
		t.Errorf("panic in the API: %d %s", resp.StatusCode, body)
	}

	r, err := http.Get(base + "/api/test/panic-stream")
	if err != nil {
		t.Fatal(err)
	}
	_, err = io.ReadAll(r.Body)
	r.Body.Close()
	if err == nil {
		t.Error("a stream that panicked ended as if complete")
	}
	id = r.Header.Get("X-Request-Id")
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(logs.String(), "boom in a stream writer") && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if l := logs.String(); !strings.Contains(l, "boom in a stream writer") || !strings.Contains(l, "request_id="+id) {
		t.Errorf("the stream's panic is not logged with its request id %s:\n%s", id, l)
	}
	if resp, body := get(t, base+"/healthz", nil); resp.StatusCode != 200 {
		t.Errorf("after the panics: %d %s", resp.StatusCode, body)
	}
}

// TestHealthzSaysOnlyOK: the liveness probe tells nobody what runs.
func TestHealthzSaysOnlyOK(t *testing.T) {
	for _, private := range []bool{false, true} {
		s := apptest.Start(t, apptest.Options{Config: handlers.Config{Private: private}})
		if code, body := s.Get(t, "/healthz"); code != 200 || strings.TrimSpace(body) != `{"status":"ok"}` {
			t.Errorf("private=%v: %d %s", private, code, body)
		}
	}
}

// TestRequestValuesNeverReachHeadersRaw: a ?lang= with CR/LF, or a unit
// code with a newline, never ends up raw in Location or Set-Cookie.
func TestRequestValuesNeverReachHeadersRaw(t *testing.T) {
	s, tm := startTeam(t, apptest.Options{})
	planner := tm["planner"]
	evil := "en\r\nSet-Cookie: planted=1"
	check := func(what string, resp *http.Response) {
		t.Helper()
		for _, v := range resp.Header.Values("Set-Cookie") {
			if strings.Contains(v, "planted") {
				t.Errorf("%s: injected cookie %s", what, v)
			}
		}
		if loc := resp.Header.Get("Location"); strings.ContainsAny(loc, "\r\n ") || strings.Count(loc, "?") > 1 {
			t.Errorf("%s: Location %q", what, loc)
		}
	}
	resp, _ := planner.Do(t, "GET", "/?lang="+url.QueryEscape(evil), "", nil)
	check("GET /", resp)
	for _, ck := range resp.Cookies() {
		if ck.Name == "lang" && ck.Value != "vi" && ck.Value != "en" {
			t.Errorf("lang cookie %q", ck.Value)
		}
	}
	form := url.Values{"csrf": {planner.CSRF}}
	resp, _ = planner.Do(t, "POST", "/edit/indicators/digital-economy-grdp/retire?lang="+url.QueryEscape(evil), form.Encode(),
		map[string]string{"Content-Type": "application/x-www-form-urlencoded"})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/edit?lang=vi" {
		t.Errorf("retire: %d Location %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	check("retire", resp)

	// A unit code as an older import could store it, newline and all.
	addUnit(t, s, "T-X\r\nSet-Cookie: planted=1", models.LevelDistrict, "VN-SG")
	form = url.Values{"csrf": {planner.CSRF}, "unit": {"T-X\r\nSet-Cookie: planted=1"}, "year": {"2030"}, "comparator": {"at_least"},
		"value": {"30"}, "source": {"x"}}
	resp, body := planner.Do(t, "POST", "/edit/indicators/fibre-coverage/targets?lang=en", form.Encode(),
		map[string]string{"Content-Type": "application/x-www-form-urlencoded"})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("target: %d %.300s", resp.StatusCode, body)
	}
	check("target", resp)
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || loc.Query().Get("unit") != "T-X\r\nSet-Cookie: planted=1" || loc.Query().Get("lang") != "en" {
		t.Errorf("target: Location %q", resp.Header.Get("Location"))
	}
}

// TestLoginNeverRedirectsToAnotherSite: next= keeps the user in the app,
// whatever a browser would make of tabs, backslashes and schemes.
func TestLoginNeverRedirectsToAnotherSite(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	s.AddUser(t, "viewer", models.RoleViewer, "", testPassword)
	for next, want := range map[string]string{
		"/%09/evil.example":           "/",
		"/\t/evil.example":            "/",
		"/\n/evil.example":            "/",
		"//evil.example":              "/",
		"/\\evil.example":             "/",
		"\\/evil.example":             "/",
		"https://evil.example/":       "/",
		"javascript:alert(1)":         "/",
		"/ /evil.example":             "/%20/evil.example", // a path, not a host
		"/indicators/fibre-coverage":  "/indicators/fibre-coverage",
		"/compare?unit=VN-SG&lang=en": "/compare?lang=en&unit=VN-SG", // rebuilt from its parts
	} {
		c := s.NewClient(t)
		if _, page := c.Get(t, "/login?next="+url.QueryEscape(next)); want == "/" && regexp.MustCompile(`name="next" value="[^"]*evil`).MatchString(page) {
			t.Errorf("the login form keeps next=%q", next)
		}
		form := url.Values{"username": {"viewer"}, "password": {testPassword}, "next": {next}, "csrf": {c.CSRF}}
		resp, body := c.Do(t, "POST", "/login", form.Encode(), map[string]string{"Content-Type": "application/x-www-form-urlencoded"})
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != want {
			t.Errorf("login next=%q: %d Location %q, want %q %.200s", next, resp.StatusCode, resp.Header.Get("Location"), want, body)
		}
	}
}

// TestCSRFTokenNotFromTheQuery: a token in the URL (logged, leaked by
// Referer) is not accepted; the body and the header are.
func TestCSRFTokenNotFromTheQuery(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	s.AddUser(t, "viewer", models.RoleViewer, "", testPassword)
	c := s.NewClient(t)
	c.Login(t, "viewer", testPassword)
	form := map[string]string{"Content-Type": "application/x-www-form-urlencoded"}
	if resp, _ := c.Do(t, "POST", "/account/tokens?csrf="+url.QueryEscape(c.CSRF), "name=x", form); resp.StatusCode != http.StatusForbidden {
		t.Errorf("CSRF token from the query string: %d", resp.StatusCode)
	}
	if resp, _ := c.Do(t, "POST", "/account/tokens", "name=x", map[string]string{"Content-Type": form["Content-Type"], "X-CSRF-Token": c.CSRF}); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("CSRF token in the header: %d", resp.StatusCode)
	}
	if resp, _ := c.Do(t, "POST", "/account/tokens", "name=y&csrf="+url.QueryEscape(c.CSRF), form); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("CSRF token in the body: %d", resp.StatusCode)
	}
}
