package handlers_test

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sort"
	"strings"
	"testing"

	"tiendo/apptest"
	"tiendo/handlers"
	"tiendo/models"
	"tiendo/seed"
)

// leastSubject is, for every route, the least subject (see subjects) the
// server must let through. A route missing here fails the test, so a new
// route cannot be added without deciding who may use it.
var leastSubject = map[string]string{
	"GET /healthz":                                 "anonymous",
	"GET /readyz":                                  "anonymous",
	"GET /metrics":                                 "admin",
	"GET /login":                                   "anonymous",
	"POST /login":                                  "anonymous",
	"POST /api/v1/auth/token":                      "anonymous",
	"GET /auth/oidc":                               "anonymous",
	"GET /auth/oidc/callback":                      "anonymous",
	"GET /api/v1/me":                               "viewer",
	"GET /api/v1/openapi.json":                     "anonymous",
	"GET /api":                                     "anonymous",
	"GET /password/reset/:token":                   "anonymous",
	"POST /password/reset/:token":                  "anonymous",
	"GET /account/password":                        "viewer",
	"POST /account/password":                       "viewer",
	"POST /admin/users/:id/reset":                  "admin",
	"POST /logout":                                 "viewer",
	"POST /logout/everywhere":                      "viewer",
	"GET /":                                        "anonymous",
	"GET /indicators/:code":                        "anonymous",
	"GET /compare":                                 "anonymous",
	"GET /briefing":                                "anonymous",
	"GET /embed/indicators/:code":                  "anonymous",
	"GET /api/v1/units":                            "anonymous",
	"GET /api/v1/indicators":                       "anonymous",
	"GET /api/v1/indicators/:code":                 "anonymous",
	"GET /api/v1/assessments":                      "anonymous",
	"GET /completeness":                            "anonymous",
	"GET /api/v1/completeness":                     "anonymous",
	"GET /account/tokens":                          "viewer",
	"POST /account/tokens":                         "viewer",
	"POST /account/tokens/:id/revoke":              "viewer",
	"GET /notifications":                           "viewer",
	"POST /notifications/read":                     "viewer",
	"GET /api/v1/notifications":                    "viewer",
	"GET /alerts":                                  "viewer",
	"POST /alerts/:id/subscribe":                   "viewer",
	"POST /alerts":                                 "scoped",
	"GET /alerts/:id":                              "scoped",
	"POST /alerts/:id":                             "scoped",
	"POST /alerts/:id/delete":                      "scoped",
	"GET /account/settings":                        "viewer",
	"POST /account/settings":                       "viewer",
	"GET /digest":                                  "viewer",
	"GET /unsubscribe":                             "anonymous",
	"GET /admin/outbox":                            "admin",
	"POST /admin/outbox/:id/retry":                 "admin",
	"GET /audit":                                   "analyst",
	"GET /audit/:id":                               "analyst",
	"GET /api/v1/export":                           "viewer",
	"GET /import":                                  "scoped",
	"POST /import":                                 "scoped",
	"GET /import/template.csv":                     "scoped",
	"POST /api/v1/import":                          "scoped",
	"GET /api/v1/audit":                            "analyst",
	"GET /edit":                                    "scoped",
	"GET /edit/pillars":                            "planner",
	"POST /edit/pillars":                           "planner",
	"GET /edit/indicators/new":                     "planner",
	"POST /edit/indicators":                        "planner",
	"GET /edit/indicators/:code":                   "planner",
	"POST /edit/indicators/:code":                  "planner",
	"POST /edit/indicators/:code/retire":           "planner",
	"GET /edit/indicators/:code/targets":           "scoped",
	"POST /edit/indicators/:code/targets":          "scoped",
	"POST /edit/indicators/:code/targets/withdraw": "scoped",
	"GET /edit/indicators/:code/grid":              "scoped",
	"POST /edit/indicators/:code/grid":             "scoped",
	"GET /edit/indicators/:code/value":             "scoped",
	"POST /edit/indicators/:code/value":            "scoped",
	"GET /edit/breakdowns":                         "planner",
	"POST /edit/breakdowns/dimensions":             "planner",
	"POST /edit/breakdowns/values":                 "planner",
	"POST /edit/breakdowns/indicator":              "planner",
	"GET /api/v1/dimensions":                       "anonymous",
	"POST /api/v1/dimensions":                      "planner",
	"POST /api/v1/dimensions/:code/values":         "planner",
	"POST /api/v1/indicators":                      "planner",
	"PUT /api/v1/indicators/:code":                 "planner",
	"DELETE /api/v1/indicators/:code":              "planner",
	"POST /api/v1/targets":                         "scoped",
	"PUT /api/v1/targets":                          "scoped",
	"DELETE /api/v1/targets":                       "scoped",
	"POST /api/v1/observations":                    "scoped",
	"PUT /api/v1/observations":                     "scoped",
	"DELETE /api/v1/observations":                  "scoped",
	"GET /admin/units":                             "admin",
	"GET /admin/units/:code":                       "admin",
	"POST /admin/units/:code":                      "admin",
	"GET /admin/users":                             "admin",
	"POST /admin/users":                            "admin",
	"GET /admin/users/:id":                         "admin",
	"POST /admin/users/:id":                        "admin",
}

// roleOf is the route-table role each least subject stands for.
var roleOf = map[string][]models.Role{
	"anonymous": {models.RoleAnonymous, handlers.Public}, "viewer": {models.RoleViewer}, "analyst": {models.RoleAnalyst},
	"scoped": {models.RolePlanner}, "planner": {models.RolePlanner}, "admin": {models.RoleAdmin},
}

func rank(subject string) int {
	for i, s := range subjects {
		if s == subject {
			return i
		}
	}
	panic(subject)
}

func routeTable(t *testing.T, s *apptest.Server, cfg handlers.Config) []handlers.Route {
	t.Helper()
	cfg.DefaultUnit = seed.UnitHCMC
	h, err := handlers.New(s.Store, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), "test")
	if err != nil {
		t.Fatal(err)
	}
	routes := h.Routes()
	// Sign-outs last: they end the session the other requests use.
	out := func(r handlers.Route) bool { return strings.HasPrefix(r.Path, "/logout") }
	sort.SliceStable(routes, func(i, j int) bool { return out(routes[j]) && !out(routes[i]) })
	return routes
}

// refused reports whether the server turned the request away for who asked:
// 401, 403, or a page redirecting to the sign-in form.
func refused(resp *http.Response) bool {
	return resp.StatusCode == 401 || resp.StatusCode == 403 ||
		(resp.StatusCode == 303 && strings.HasPrefix(resp.Header.Get("Location"), "/login"))
}

// request sends a harmless request to a route: placeholders filled, an
// empty form or JSON object, the CSRF token of the subject's session.
func request(t *testing.T, s *apptest.Server, c *apptest.Client, r handlers.Route, userID uint) *http.Response {
	path := strings.NewReplacer(":code", "dvc-l34-online", ":id", fmt.Sprint(userID)).Replace(r.Path)
	if strings.HasPrefix(r.Path, "/account/tokens/") {
		path = "/account/tokens/999999/revoke"
	}
	body, headers := "", map[string]string{}
	if r.Method != "GET" {
		headers["X-CSRF-Token"] = c.CSRF
		switch {
		case r.Path == "/api/v1/auth/token":
			body, headers["Content-Type"] = `{"username":"viewer","password":"`+testPassword+`"}`, "application/json"
		case strings.HasPrefix(r.Path, "/api/"):
			body, headers["Content-Type"] = "{}", "application/json"
		default:
			body, headers["Content-Type"] = "csrf="+c.CSRF, "application/x-www-form-urlencoded"
		}
	}
	resp, _ := c.Do(t, r.Method, path, body, headers)
	return resp
}

func TestEveryRouteForEveryRole(t *testing.T) {
	s, tm := startTeam(t, apptest.Options{Demo: true})
	viewer, err := s.Store.UserByUsername("viewer")
	if err != nil {
		t.Fatal(err)
	}
	routes := routeTable(t, s, handlers.Config{})
	seen := map[string]bool{}
	for _, r := range routes {
		key := r.Method + " " + r.Path
		seen[key] = true
		least, ok := leastSubject[key]
		if !ok {
			t.Errorf("route %s is not in leastSubject: decide who may use it", key)
			continue
		}
		roleOK := false
		for _, role := range roleOf[least] {
			roleOK = roleOK || r.Role == role
		}
		if !roleOK {
			t.Errorf("%s: route table says %q, expectations say %s", key, r.Role, least)
		}
	}
	for key := range leastSubject {
		if !seen[key] {
			t.Errorf("expectation for %s, which is not a route", key)
		}
	}
	for _, subject := range subjects {
		for _, r := range routes {
			key := r.Method + " " + r.Path
			want := rank(subject) >= rank(leastSubject[key])
			c := tm[subject]
			if r.Path == "/logout/everywhere" && subject != "anonymous" {
				// /logout, just before, ended the team's session: sign in afresh.
				c = s.NewClient(t)
				c.Login(t, subject, testPassword)
			}
			resp := request(t, s, c, r, viewer.ID)
			if got := !refused(resp); got != want {
				t.Errorf("%s as %s: %d (location %q), want allowed=%v", key, subject, resp.StatusCode, resp.Header.Get("Location"), want)
			}
		}
	}
}

func TestPrivateModeClosesEverythingButSignIn(t *testing.T) {
	s := apptest.Start(t, apptest.Options{Config: handlers.Config{Private: true}})
	s.AddUser(t, "viewer", models.RoleViewer, "", testPassword)
	anon := s.NewClient(t)
	anon.Get(t, "/login")
	for _, r := range routeTable(t, s, handlers.Config{Private: true}) {
		resp := request(t, s, anon, r, 1)
		if want := r.Role != handlers.Public; refused(resp) != want {
			t.Errorf("private mode, %s %s as anonymous: %d, want refused=%v", r.Method, r.Path, resp.StatusCode, want)
		}
	}
	v := s.NewClient(t)
	v.Login(t, "viewer", testPassword)
	for _, p := range []string{"/", "/indicators/dvc-l34-online", "/api/v1/assessments"} {
		if code, _ := v.Get(t, p); code != 200 {
			t.Errorf("private mode, %s as viewer: %d", p, code)
		}
	}
	if code, _ := anon.Get(t, "/static/css/app.css"); code != 200 {
		t.Errorf("private mode must still serve static files: %d", code)
	}
}
