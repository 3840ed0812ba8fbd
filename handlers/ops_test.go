package handlers_test

import (
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"tiendo/apptest"
	"tiendo/models"
)

func get(t *testing.T, url string, header map[string]string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

// headerPaths are pages and API answers every header test walks through.
var headerPaths = []string{"/", "/?lang=en", "/indicators/digital-economy-grdp", "/api/v1/indicators", "/no-such-page", "/healthz"}

func TestSecurityHeadersOnEveryResponse(t *testing.T) {
	s := apptest.Start(t, apptest.Options{Demo: true})
	for _, p := range headerPaths {
		resp, _ := get(t, s.URL+p, nil)
		csp := resp.Header.Get("Content-Security-Policy")
		scriptSrc := regexp.MustCompile(`script-src ([^;]*)`).FindStringSubmatch(csp)
		if scriptSrc == nil || strings.Contains(scriptSrc[1], "unsafe") || !strings.Contains(csp, "frame-ancestors 'none'") || !strings.Contains(csp, "object-src 'none'") {
			t.Errorf("%s: Content-Security-Policy %q", p, csp)
		}
		for h, want := range map[string]string{
			"X-Content-Type-Options": "nosniff",
			"X-Frame-Options":        "DENY",
			"Referrer-Policy":        "strict-origin-when-cross-origin",
		} {
			if got := resp.Header.Get(h); got != want {
				t.Errorf("%s: %s = %q, want %q", p, h, got, want)
			}
		}
		if !strings.Contains(resp.Header.Get("Permissions-Policy"), "camera=()") {
			t.Errorf("%s: Permissions-Policy %q", p, resp.Header.Get("Permissions-Policy"))
		}
	}
	// Pages meant for other sites' frames may be framed, and only those.
	resp, _ := get(t, s.URL+"/embed/anything", nil)
	if resp.Header.Get("X-Frame-Options") != "" || !strings.Contains(resp.Header.Get("Content-Security-Policy"), "frame-ancestors *") {
		t.Errorf("/embed/: X-Frame-Options %q, CSP %q", resp.Header.Get("X-Frame-Options"), resp.Header.Get("Content-Security-Policy"))
	}
}

// TestPagesHaveNothingTheCSPBlocks: no inline script, no event handler
// attribute, no style attribute, no javascript: URL in any page we write.
func TestPagesHaveNothingTheCSPBlocks(t *testing.T) {
	s := apptest.Start(t, apptest.Options{Demo: true})
	inline := regexp.MustCompile(`(?i)<script(?:\s[^>]*)?>[^<]+</script>|<script(?:(?:\s+[a-z-]+(?:="[^"]*")?)*)\s*>\s*</script>|\son[a-z]+\s*=|\sstyle\s*=|javascript:`)
	srcScript := regexp.MustCompile(`<script src="/static/[^"]+"></script>`)
	for _, p := range []string{"/", "/?lang=en", "/?unit=VN-51&year=2020", "/indicators/digital-economy-grdp", "/indicators/gso-poverty-rate?unit=VN-51&lang=en", "/no-such-page"} {
		_, body := get(t, s.URL+p, nil)
		rest := srcScript.ReplaceAllString(body, "")
		if m := inline.FindString(rest); m != "" {
			t.Errorf("%s: %q would be blocked by the CSP", p, m)
		}
		if !strings.Contains(body, `<script src="/static/js/charts.js`) {
			t.Errorf("%s: charts.js is not loaded", p)
		}
	}
}

func TestRequestIDs(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	resp, _ := get(t, s.URL+"/healthz", nil)
	if id := resp.Header.Get("X-Request-Id"); !regexp.MustCompile(`^[0-9a-f]{16}$`).MatchString(id) {
		t.Errorf("generated request id %q", id)
	}
	resp, _ = get(t, s.URL+"/healthz", map[string]string{"X-Request-Id": "proxy-abc.123"})
	if id := resp.Header.Get("X-Request-Id"); id != "proxy-abc.123" {
		t.Errorf("a proxy's request id came back as %q", id)
	}
	resp, _ = get(t, s.URL+"/healthz", map[string]string{"X-Request-Id": "evil\" level=ERROR msg=forged"})
	if id := resp.Header.Get("X-Request-Id"); strings.Contains(id, "evil") {
		t.Errorf("a forged request id was kept: %q", id)
	}
}

func TestHealthAndReadiness(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	code, body := s.Get(t, "/healthz")
	if code != 200 || strings.TrimSpace(body) != `{"status":"ok"}` {
		t.Errorf("healthz: %d %s", code, body)
	}
	code, body = s.Get(t, "/readyz")
	if code != 200 || !strings.Contains(body, `"ready"`) {
		t.Errorf("readyz: %d %s", code, body)
	}
	// A database that lost a migration is not ready.
	s.Store.DB().Exec("DELETE FROM schema_migrations WHERE version = (SELECT MAX(version) FROM schema_migrations)")
	if code, body = s.Get(t, "/readyz"); code != 503 || !strings.Contains(body, "schema") {
		t.Errorf("readyz with a missing migration: %d %s", code, body)
	}
	// A closed database: neither healthy nor ready.
	sqlDB, _ := s.Store.DB().DB()
	sqlDB.Close()
	if code, _ = s.Get(t, "/healthz"); code != 503 {
		t.Errorf("healthz with the database closed: %d", code)
	}
	if code, _ = s.Get(t, "/readyz"); code != 503 {
		t.Errorf("readyz with the database closed: %d", code)
	}
}

func TestMetrics(t *testing.T) {
	s := apptest.Start(t, apptest.Options{Demo: true})
	// The main listener keeps metrics for admins.
	if code, body := s.NewClient(t).Get(t, "/metrics"); code == 200 || strings.Contains(body, "tiendo_http") {
		t.Errorf("anonymous /metrics on the public listener: %d", code)
	}
	s.AddUser(t, "metrics-admin", models.RoleAdmin, "", "a long enough password 1")
	s.AddUser(t, "metrics-planner", models.RolePlanner, "", "a long enough password 2")
	planner := s.NewClient(t)
	planner.Login(t, "metrics-planner", "a long enough password 2")
	if code, body := planner.Get(t, "/metrics"); code == 200 || strings.Contains(body, "tiendo_http") {
		t.Errorf("a planner's /metrics: %d", code)
	}
	admin := s.NewClient(t)
	admin.Login(t, "metrics-admin", "a long enough password 1")
	if code, body := admin.Get(t, "/metrics"); code != 200 || !strings.Contains(body, "tiendo_http_requests_total") {
		t.Errorf("an admin's /metrics: %d", code)
	}
	s.Get(t, "/")
	s.Get(t, "/indicators/digital-economy-grdp")
	s.Get(t, "/indicators/no-such")
	s.Get(t, "/wp-login.php")
	s.Store.DB().Exec("INSERT INTO audit_log (at, username, action, entity, entity_key, via) VALUES ('2026-11-20 10:00:00', 'x', 'import', 'import', 'f.csv', 'import')")
	m := apptest.StartMetrics(t, s)
	code, body := m.Get(t, "/metrics")
	if code != 200 {
		t.Fatalf("/metrics: %d %s", code, body)
	}
	for _, want := range []string{
		`tiendo_http_requests_total{method="GET",route="/",status="200"} 1`,
		`tiendo_http_requests_total{method="GET",route="/indicators/:code",status="200"} 1`,
		`tiendo_http_requests_total{method="GET",route="/indicators/:code",status="404"} 1`,
		`tiendo_http_requests_total{method="GET",route="unmatched",status="404"} 1`,
		`tiendo_http_request_duration_seconds_bucket{method="GET",route="/",status="200",le="+Inf"} 1`,
		`tiendo_database_size_bytes `,
		`tiendo_last_import_timestamp_seconds 1.7951688e+09`,
		`tiendo_build_info{version="test"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	if strings.Contains(body, "wp-login") {
		t.Error("an unknown path became a metric label")
	}
}
