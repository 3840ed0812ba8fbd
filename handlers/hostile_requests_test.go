package handlers_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"mime/multipart"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"tiendo/apptest"
	"tiendo/handlers"
	"tiendo/models"
	"tiendo/seed"
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
	h, err := handlers.New(store, handlers.Config{DefaultUnit: seed.UnitHCMC}, slog.New(slog.NewTextHandler(&logs, nil)), "test")
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

// rawRequest sends head (request line and headers, without the blank line)
// and the first part of a body it announces as much longer, then reads the
// answer: the server must answer without waiting for the rest.
func rawRequest(t *testing.T, base, head string, part []byte) (*http.Response, string, net.Conn) {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	// One write, done before the server can answer and close.
	if _, err := conn.Write(append([]byte(head+"\r\n\r\n"), part...)); err != nil {
		t.Fatal(err)
	}
	_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	br := bufio.NewReader(conn)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatalf("%s: no answer before the body was sent: %v", strings.SplitN(head, "\r\n", 2)[0], err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	// The rest of the body is never read: the connection must not be reused.
	if _, err := br.ReadByte(); err == nil {
		t.Errorf("%s: the connection stays open with an unread body", strings.SplitN(head, "\r\n", 2)[0])
	}
	return resp, string(b), conn
}

// TestBodiesRefusedBeforeReading: every route takes at most 1 MB, the
// upload routes more; a larger Content-Length is refused before a byte of
// the body is read, and an upload from someone who may not upload is
// refused before its body is read too.
func TestBodiesRefusedBeforeReading(t *testing.T) {
	s, _ := startTeam(t, apptest.Options{})
	planner := apiToken(t, s, "planner")
	viewer := apiToken(t, s, "viewer")
	// 16 kB of a body announced as megabytes: fasthttp reads ahead at most
	// 8 kB, so an answer proves the rest was never waited for.
	part := bytes.Repeat([]byte("a"), 16<<10)
	apiError := func(what string, resp *http.Response, body string, status int) {
		t.Helper()
		var e struct {
			Error     string `json:"error"`
			RequestID string `json:"request_id"`
		}
		if resp.StatusCode != status || json.Unmarshal([]byte(body), &e) != nil || e.Error == "" ||
			e.RequestID == "" || e.RequestID != resp.Header.Get("X-Request-Id") {
			t.Errorf("%s: %d %q, want %d with a JSON error and the request id", what, resp.StatusCode, body, status)
		}
	}
	for _, path := range []string{"/login", "/logout", "/admin/users", "/api/v1/auth/token", "/", "/no-such-page"} {
		resp, body, _ := rawRequest(t, s.URL, "POST "+path+" HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 48000000", part)
		want := http.StatusRequestEntityTooLarge
		if path == "/" || path == "/no-such-page" {
			want = map[string]int{"/": http.StatusMethodNotAllowed, "/no-such-page": http.StatusNotFound}[path]
		}
		if resp.StatusCode != want || want == http.StatusRequestEntityTooLarge && !strings.Contains(body, "1 MB") {
			t.Errorf("POST %s with 48 MB: %d %.200s", path, resp.StatusCode, body)
		}
	}
	resp, body, _ := rawRequest(t, s.URL, "POST /api/v1/observations HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "+planner+
		"\r\nContent-Type: application/json\r\nContent-Length: 2000000", part)
	apiError("2 MB of JSON", resp, body, http.StatusRequestEntityTooLarge)
	// Uploads: under the upload limit, but from nobody or a viewer.
	upload := "Content-Type: multipart/form-data; boundary=b\r\nContent-Length: 30000000"
	resp, body, _ = rawRequest(t, s.URL, "POST /api/v1/import HTTP/1.1\r\nHost: x\r\n"+upload, part)
	apiError("anonymous upload", resp, body, http.StatusUnauthorized)
	resp, body, _ = rawRequest(t, s.URL, "POST /api/v1/import HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "+viewer+"\r\n"+upload, part)
	apiError("viewer's upload", resp, body, http.StatusForbidden)
	resp, _, _ = rawRequest(t, s.URL, "POST /import HTTP/1.1\r\nHost: x\r\n"+upload, part)
	if resp.StatusCode != http.StatusSeeOther && resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("anonymous upload on the import page: %d", resp.StatusCode)
	}
	resp, body, _ = rawRequest(t, s.URL, "POST /api/v1/import HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "+planner+
		"\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: 60000000", part)
	apiError("60 MB upload", resp, body, http.StatusRequestEntityTooLarge)
	// A body without a length cannot be bounded before it is read.
	resp, body, _ = rawRequest(t, s.URL, "POST /api/v1/observations HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "+planner+
		"\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked", []byte("4000\r\n"))
	apiError("chunked body", resp, body, http.StatusLengthRequired)

	// A planner's upload over 1 MB is still read, and a broken one answered in JSON.
	var mp bytes.Buffer
	w := multipart.NewWriter(&mp)
	_ = w.WriteField("padding", strings.Repeat("x", 1500000))
	fw, _ := w.CreateFormFile("file", "t.csv")
	_, _ = io.WriteString(fw, "record,pillar\n")
	w.Close()
	r, b := apptest.Send(t, http.DefaultClient, "POST", s.URL+"/api/v1/import?dry_run=1", mp.String(),
		map[string]string{"Authorization": "Bearer " + planner, "Content-Type": w.FormDataContentType()})
	if r.StatusCode == http.StatusRequestEntityTooLarge || r.StatusCode >= 500 {
		t.Errorf("a 1.5 MB upload: %d %.300s", r.StatusCode, b)
	}
	r, b = apptest.Send(t, http.DefaultClient, "POST", s.URL+"/api/v1/import", "--b\r\nnot a part",
		map[string]string{"Authorization": "Bearer " + planner, "Content-Type": "multipart/form-data; boundary=b"})
	apiError("broken multipart", r, string(b), http.StatusBadRequest)
	// Ordinary requests on a kept-alive connection still work.
	for i := 0; i < 3; i++ {
		if code, body := s.Do(t, "POST", "/api/v1/auth/token", `{"username":"viewer","password":"`+testPassword+`"}`,
			map[string]string{"Content-Type": "application/json"}); code != http.StatusCreated {
			t.Fatalf("token: %d %s", code, body)
		}
	}
}

// startLogged serves the app with cfg, its log kept for the test.
func startLogged(t *testing.T, cfg handlers.Config) (string, *syncBuffer, *handlers.Handler) {
	t.Helper()
	logs := &syncBuffer{}
	store := apptest.OpenStore(t, apptest.DSN(t))
	store.SetClock(func() time.Time { return apptest.Today })
	cfg.DefaultUnit = seed.UnitHCMC
	h, err := handlers.New(store, cfg, slog.New(slog.NewTextHandler(logs, nil)), "test")
	if err != nil {
		t.Fatal(err)
	}
	app := h.App()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = app.Listener(ln) }()
	t.Cleanup(func() { _ = app.ShutdownWithTimeout(5 * time.Second) })
	return "http://" + ln.Addr().String(), logs, h
}

// TestNoStoredPageHoldsARequestsHost: a Host or X-Forwarded-Host sent by
// one reader never reaches the briefing others get; its printed link is
// the configured public URL, or relative.
func TestNoStoredPageHoldsARequestsHost(t *testing.T) {
	for _, public := range []string{"", "https://tiendo.example.gov.vn"} {
		base, _, _ := startLogged(t, handlers.Config{PublicURL: public, TrustedProxies: []string{"127.0.0.1"}})
		for _, hdr := range []map[string]string{{"X-Forwarded-Host": "evil.example"}, {"Host": "evil.example"}, {"X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "https"}} {
			req, _ := http.NewRequest("GET", base+"/briefing?unit=VN-SG", nil)
			for k, v := range hdr {
				req.Header.Set(k, v)
			}
			if h, ok := hdr["Host"]; ok {
				req.Host = h
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if strings.Contains(string(b), "evil.example") {
				t.Errorf("public=%q %v: the answer holds the request's host", public, hdr)
			}
		}
		_, body := get(t, base+"/briefing?unit=VN-SG", nil)
		link := regexp.MustCompile(`briefing-foot">[^<]*· ([^<]*)</p>`).FindStringSubmatch(body)
		if link == nil {
			t.Fatalf("public=%q: no printed link in %.500s", public, body)
		}
		if want := public + "/briefing?"; !strings.HasPrefix(link[1], want) || strings.Contains(body, "evil.example") {
			t.Errorf("public=%q: printed link %q, want it to start with %q", public, link[1], want)
		}
	}
}

// TestForwardedHeadersOnlyFromTrustedProxies: X-Forwarded-For and
// -Proto count only when the peer is a configured proxy; the client is the
// nearest address a trusted proxy did not add itself, so a client cannot
// pick its own address by sending X-Forwarded-For.
func TestForwardedHeadersOnlyFromTrustedProxies(t *testing.T) {
	if _, err := handlers.New(apptest.OpenStore(t, apptest.DSN(t)), handlers.Config{DefaultUnit: seed.UnitHCMC, TrustedProxies: []string{"10.0.0.0/33"}},
		slog.New(slog.NewTextHandler(io.Discard, nil)), "test"); err == nil {
		t.Error("a bad trusted proxy range is accepted")
	}
	for _, tc := range []struct {
		trusted []string
		xff     string
		want    string
	}{
		{nil, "203.0.113.9", "127.0.0.1"},
		{[]string{"10.0.0.0/8"}, "203.0.113.9", "127.0.0.1"},
		{[]string{"127.0.0.1"}, "203.0.113.9", "203.0.113.9"},
		{[]string{"127.0.0.0/8", "10.0.0.0/8"}, "198.51.100.1, 203.0.113.9, 10.1.2.3", "203.0.113.9"},
		{[]string{"127.0.0.1"}, "not-an-address", "127.0.0.1"},
		{[]string{"::1", "127.0.0.1"}, "2001:db8::7", "2001:db8::7"},
	} {
		base, logs, _ := startLogged(t, handlers.Config{TrustedProxies: tc.trusted})
		resp, _ := get(t, base+"/healthz", map[string]string{"X-Forwarded-For": tc.xff, "X-Forwarded-Proto": "https"})
		id := resp.Header.Get("X-Request-Id")
		var line string
		for _, l := range strings.Split(logs.String(), "\n") {
			if strings.Contains(l, "request_id="+id) {
				line = l
			}
		}
		if !strings.Contains(line, " ip="+tc.want) {
			t.Errorf("trusted %v, X-Forwarded-For %q: logged %q, want ip=%s", tc.trusted, tc.xff, line, tc.want)
		}
		hsts := resp.Header.Get("Strict-Transport-Security") != ""
		if trusted := tc.want != "127.0.0.1" || tc.xff == "not-an-address"; hsts != trusted {
			t.Errorf("trusted %v: X-Forwarded-Proto https counted: %v", tc.trusted, hsts)
		}
	}
}

// TestJunkParametersHitTheStoredAnswer: the cache keys on the parameters
// the pages read, canonicalised, so adding &x=<random> (or reordering, or
// writing 02030 for 2030) serves the stored answer instead of building it
// again. Counted by the cache's hit and miss counters in /metrics.
func TestJunkParametersHitTheStoredAnswer(t *testing.T) {
	s := apptest.Start(t, apptest.Options{Demo: true})
	m := apptest.StartMetrics(t, s)
	counter := func(name string) int {
		_, body := m.Get(t, "/metrics")
		v := regexp.MustCompile(`(?m)^` + name + ` (\d+)`).FindStringSubmatch(body)
		if v == nil {
			t.Fatalf("no %s in /metrics", name)
		}
		n, _ := strconv.Atoi(v[1])
		return n
	}
	first := "/?unit=VN-SG&year=2030&lang=en"
	code, want := s.Get(t, first)
	if code != 200 {
		t.Fatalf("%s: %d", first, code)
	}
	hits, misses := counter("tiendo_response_cache_hits_total"), counter("tiendo_response_cache_misses_total")
	variants := []string{first + "&x=1", first + "&x=2&utm_source=mail", "/?year=2030&lang=en&unit=VN-SG", "/?lang=EN&unit=VN-SG&year=02030&x=" + strings.Repeat("z", 300)}
	for _, v := range variants {
		code, body := s.Get(t, v)
		if code != 200 || body != want {
			t.Errorf("%s: %d, not the stored answer", v, code)
		}
	}
	if h, m := counter("tiendo_response_cache_hits_total")-hits, counter("tiendo_response_cache_misses_total")-misses; h != len(variants) || m != 0 {
		t.Errorf("junk parameters: %d hits and %d misses, want %d and 0", h, m, len(variants))
	}
	// A parameter the page reads still makes its own answer.
	if code, body := s.Get(t, "/?unit=VN-SG&year=2025&lang=en"); code != 200 || body == want {
		t.Errorf("year=2025 served the 2030 answer")
	}
}

// TestHandlersReadOnlyKnownParameters: the response cache drops every query
// parameter it does not know, so a parameter a page reads must be known to
// it, or the page would never see it. This reads the handlers' and
// templates' source for the parameters they read.
func TestHandlersReadOnlyKnownParameters(t *testing.T) {
	// Read only by routes never stored (signed-in pages, exports, audit).
	private := map[string]bool{"user": true, "entity": true, "action": true, "page": true, "format": true, "subtree": true,
		"indicators": true, "saved": true, "period": true, "next": true, "v": true,
		"code": true, "state": true, "error": true, // the identity provider's answer (Public routes)
		"done": true, "reset": true, // the password pages
		"excel": true, // the export
		"token": true} // the one-click unsubscribe link (a Public route, never stored)
	known := handlers.PublicParams()
	read := regexp.MustCompile(`(?:c\.Query|Query\.Get|QueryArgs\(\)\.Peek(?:Multi)?)\(?\s*"([a-z_]+)"`)
	files, _ := filepath.Glob("*.go")
	tmpl, _ := filepath.Glob("../static/templates/*/*.html")
	for _, f := range append(files, tmpl...) {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range read.FindAllStringSubmatch(string(src), -1) {
			if !known[m[1]] && !private[m[1]] {
				t.Errorf("%s reads ?%s=, unknown to the response cache: add it to publicParams (cache.go), or here if no stored page reads it", f, m[1])
			}
		}
	}
}

// TestExportFileNamesStayInsideTheHeader: a download's name is built from
// a safe alphabet (the exact name in filename*, RFC 5987), says what the
// file holds (unit, milestone, language), and no unit code breaks out of
// Content-Disposition.
func TestExportFileNamesStayInsideTheHeader(t *testing.T) {
	s, tm := startTeam(t, apptest.Options{})
	evil := `Q1"; filename=report.html; x="Quận Một`
	addUnit(t, s, evil, models.LevelDistrict, "VN-SG")
	for _, tc := range []struct{ query, want, exact string }{
		{"format=xlsx&unit=VN-SG&year=2030&lang=vi", "tiendo-VN-SG-2030-vi.xlsx", ""},
		{"format=csv&unit=VN-SG&lang=en", "tiendo-VN-SG-en.csv", ""},
		{"format=json&lang=en", "tiendo-en.json", ""},
		{"format=csv&year=2025&lang=vi&unit=" + url.QueryEscape(evil), "tiendo-Q1___filename_report.html__x__Qu_n_M_t-2025-vi.csv", "tiendo-" + evil + "-2025-vi.csv"},
	} {
		resp, body := tm["analyst"].Do(t, "GET", "/api/v1/export?"+tc.query, "", nil)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d %.200s", tc.query, resp.StatusCode, body)
		}
		cd := resp.Header.Get("Content-Disposition")
		plain := regexp.MustCompile(`^attachment; filename="([A-Za-z0-9._-]+)"(; filename\*=UTF-8''[A-Za-z0-9%._~-]+)?$`).FindStringSubmatch(cd)
		if plain == nil || plain[1] != tc.want {
			t.Errorf("%s: Content-Disposition %q, want filename %q", tc.query, cd, tc.want)
			continue
		}
		// mime decodes filename* (into "filename") when it is there.
		typ, params, err := mime.ParseMediaType(cd)
		exact := tc.exact
		if exact == "" {
			exact = tc.want
		}
		if err != nil || typ != "attachment" || params["filename"] != exact || (tc.exact == "") != (plain[2] == "") {
			t.Errorf("%s: Content-Disposition %q decodes to %q (%v), want %q", tc.query, cd, params["filename"], err, exact)
		}
	}
}

// TestImportEchoesAreBounded: a 30 MB one-line CSV, or one with thousands
// of bad rows, answers with the first problems, their total, and short
// quotes, never megabytes; previews waiting for their commit are bounded
// in bytes, the oldest dropped first.
func TestImportEchoesAreBounded(t *testing.T) {
	s, tm := startTeam(t, apptest.Options{})
	planner := apiToken(t, s, "planner")
	post := func(name string, data []byte) (*http.Response, []byte) {
		body, ctype := multipartBody(t, map[string]string{"dry_run": "1"}, map[string][]byte{name: data})
		return apptest.Send(t, http.DefaultClient, "POST", s.URL+"/api/v1/import", body,
			map[string]string{"Authorization": "Bearer " + planner, "Content-Type": ctype})
	}
	oneLine := bytes.Repeat([]byte("x,"), 15<<20)
	var rows bytes.Buffer
	rows.WriteString("record,indicator,unit,period,value\n")
	for i := 0; i < 5000; i++ {
		fmt.Fprintf(&rows, "observation,no-such-%d-%s,VN-SG,2024,1\n", i, strings.Repeat("y", 300))
	}
	for name, data := range map[string][]byte{"one-line.csv": oneLine, "many.csv": rows.Bytes()} {
		resp, b := post(name, data)
		var out struct {
			Problems      []json.RawMessage `json:"problems"`
			ProblemsTotal int               `json:"problems_total"`
		}
		if err := json.Unmarshal(b, &out); err != nil {
			t.Fatalf("%s: %d %v %.300s", name, resp.StatusCode, err, b)
		}
		if len(b) > 256<<10 || len(out.Problems) > 100 || out.ProblemsTotal < len(out.Problems) {
			t.Errorf("%s: %d bytes of answer, %d problems shown of %d", name, len(b), len(out.Problems), out.ProblemsTotal)
		}
		// The import page, too.
		page := tm["planner"]
		page.Get(t, "/import")
		body, ctype := multipartBody(t, map[string]string{"csrf": page.CSRF, "preview": "1"}, map[string][]byte{name: data})
		resp, html := page.Do(t, "POST", "/import", body, map[string]string{"Content-Type": ctype})
		if resp.StatusCode != 200 || len(html) > 256<<10 {
			t.Errorf("%s: the import page answers %d with %d bytes", name, resp.StatusCode, len(html))
		}
	}
	// Previews waiting for their commit: 20 MB each, at most 64 MB together.
	page := tm["planner"]
	var tokens []string
	for i := 0; i < 4; i++ {
		page.Get(t, "/import")
		data := append([]byte(fmt.Sprintf("record,indicator\nobservation,x%d\n", i)), bytes.Repeat([]byte("#"), 20<<20)...)
		body, ctype := multipartBody(t, map[string]string{"csrf": page.CSRF, "preview": "1"}, map[string][]byte{"big.csv": data})
		_, html := page.Do(t, "POST", "/import", body, map[string]string{"Content-Type": ctype})
		m := regexp.MustCompile(`name="token" value="([0-9a-f]+)"`).FindStringSubmatch(html)
		if m == nil {
			t.Fatalf("preview %d: no token", i)
		}
		tokens = append(tokens, m[1])
	}
	if n := s.Handler.PendingImportBytes(); n > 64<<20 {
		t.Errorf("previews hold %d bytes", n)
	}
	page.Get(t, "/import")
	if code, _ := page.Post(t, "/import", url.Values{"token": {tokens[0]}, "preview": {"1"}}); code != http.StatusGone {
		t.Errorf("the oldest preview is still held: %d", code)
	}
	page.Get(t, "/import")
	if code, _ := page.Post(t, "/import", url.Values{"token": {tokens[3]}, "preview": {"1"}}); code != http.StatusOK {
		t.Errorf("the newest preview is gone: %d", code)
	}
}

// TestHugeIntegerParametersAreBounded: ?page= and other integers at the
// edge of int64 do not overflow into a negative offset or a 500.
func TestHugeIntegerParametersAreBounded(t *testing.T) {
	_, tm := startTeam(t, apptest.Options{})
	for _, path := range []string{"/audit?page=9223372036854775807", "/api/v1/audit?page=9223372036854775807",
		"/audit?page=-9223372036854775808", "/api/v1/audit?page=99999999999999999999", "/?year=9223372036854775807",
		"/api/v1/assessments?year=9223372036854775807", "/edit/indicators/fibre-coverage/targets?unit=VN-SG&year=9223372036854775807",
		"/edit/indicators/fibre-coverage/grid?saved=9223372036854775807", "/admin/users/18446744073709551615", "/admin/users/9223372036854775808"} {
		resp, body := tm["admin"].Do(t, "GET", path, "", nil)
		if resp.StatusCode >= 500 {
			t.Errorf("%s: %d %.300s", path, resp.StatusCode, body)
		}
	}
	for _, path := range []string{"/admin/users/18446744073709551615", "/account/tokens/18446744073709551615/revoke", "/admin/users/9223372036854775808"} {
		if code, body := tm["admin"].Post(t, path, url.Values{"role": {"viewer"}}); code >= 500 {
			t.Errorf("POST %s: %d %.300s", path, code, body)
		}
	}
	// A page past the end is empty, not the first page again (an offset
	// that overflowed to a negative number reads from the start).
	_, body := tm["admin"].Do(t, "GET", "/api/v1/audit?page=9223372036854775807", "", nil)
	var out struct {
		Entries []json.RawMessage `json:"entries"`
		Page    int64             `json:"page"`
	}
	if err := json.Unmarshal([]byte(body), &out); err != nil || len(out.Entries) != 0 || out.Page < 2 {
		t.Errorf("page 9223372036854775807: %d entries, page %d (%v)", len(out.Entries), out.Page, err)
	}
}

// TestHTTPLayerErrorsOnTheAPIAreJSON: what fasthttp refuses before any
// route runs (a request it cannot read) still answers JSON with a request
// id.
func TestHTTPLayerErrorsOnTheAPIAreJSON(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	resp, body, _ := rawRequest(t, s.URL, "POST /api/v1/units HTTP/1.1\r\nHost: x\r\nContent-Length: twelve", nil)
	var e struct {
		Error     string `json:"error"`
		RequestID string `json:"request_id"`
	}
	if resp.StatusCode != http.StatusBadRequest || json.Unmarshal([]byte(body), &e) != nil || e.RequestID == "" || e.RequestID != resp.Header.Get("X-Request-Id") {
		t.Errorf("an unreadable request: %d %q", resp.StatusCode, body)
	}
}

// TestResetLinkUnderThePublicURL: a password reset link is built from the
// configured public URL when there is one, not from the request's Host.
func TestResetLinkUnderThePublicURL(t *testing.T) {
	s := apptest.Start(t, apptest.Options{Config: handlers.Config{PublicURL: "https://tiendo.example.gov.vn"}})
	s.AddUser(t, "admin", models.RoleAdmin, "", testPassword)
	planner := s.AddUser(t, "planner", models.RolePlanner, "", testPassword)
	a := s.NewClient(t)
	a.Login(t, "admin", testPassword)
	form := url.Values{"csrf": {a.CSRF}}
	req, _ := http.NewRequest("POST", s.URL+"/admin/users/"+strconv.Itoa(int(planner.ID))+"/reset", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := a.HTTP.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	_, b := a.Get(t, resp.Header.Get("Location"))
	link := regexp.MustCompile(`id="reset-link">([^<]+)<`).FindStringSubmatch(b)
	if link == nil || !strings.HasPrefix(link[1], "https://tiendo.example.gov.vn/password/reset/") {
		t.Errorf("reset link: %d %v", resp.StatusCode, link)
	}
}

// TestExpectContinueRefusedWithoutTheBody: a client that asks before sending
// ("Expect: 100-continue") a body over the route's limit is refused at once
// (417: fasthttp's only answer there), without being invited to send it; one
// under the limit is invited.
func TestExpectContinueRefusedWithoutTheBody(t *testing.T) {
	s, _ := startTeam(t, apptest.Options{})
	for _, c := range []struct {
		head string
		want int
	}{
		{"POST /login HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 48000000", http.StatusExpectationFailed},
		{"POST /api/v1/import HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: 600000000", http.StatusExpectationFailed},
		{"POST /api/v1/import HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: 3000000", http.StatusContinue},
		{"POST /login HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 10", http.StatusContinue},
	} {
		resp, _, _ := rawRequest(t, s.URL, c.head, nil)
		if resp.StatusCode != c.want {
			t.Errorf("%s: %d, want %d", strings.SplitN(c.head, "\r\n", 2)[0]+" "+c.head[strings.LastIndex(c.head, " ")+1:], resp.StatusCode, c.want)
		}
	}
}
