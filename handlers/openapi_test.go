package handlers_test

import (
	"encoding/json"
	"strings"
	"testing"

	"tiendo/apptest"
	"tiendo/handlers"
)

func TestOpenAPICoversEveryRoute(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	undocumented, stale := s.Handler.APIRoutesDocumented()
	for _, key := range undocumented {
		t.Errorf("route %s has no documentation: add an entry %q to apiDocs in handlers/openapi.go "+
			"(Summary, Tag, Params, Body and BodyExample, Status, Response: the Go value the handler encodes)", key, key)
	}
	for _, key := range stale {
		t.Errorf("apiDocs documents %s, which is not a route of handlers/routes.go: remove or rename its entry", key)
	}
	var doc struct {
		OpenAPI string                    `json:"openapi"`
		Paths   map[string]map[string]any `json:"paths"`
	}
	code, body := s.Get(t, "/api/v1/openapi.json")
	if code != 200 || json.Unmarshal([]byte(body), &doc) != nil || doc.OpenAPI != "3.1.0" {
		t.Fatalf("/api/v1/openapi.json: %d", code)
	}
	n := 0
	for _, r := range s.Handler.Routes() {
		if strings.HasPrefix(r.Path, "/api/v1/") {
			n++
			if doc.Paths[handlers.OpenAPIPath(r.Path)][strings.ToLower(r.Method)] == nil {
				t.Errorf("the served document lacks %s %s", r.Method, r.Path)
			}
		}
	}
	m := 0
	for _, ops := range doc.Paths {
		m += len(ops)
	}
	if m != n {
		t.Errorf("the document has %d operations, the route table %d /api/v1 routes", m, n)
	}
}

func TestAPIPageListsEveryRoute(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	code, body := s.Get(t, "/api?lang=en")
	if code != 200 || !strings.Contains(body, "openapi.json") {
		t.Fatalf("/api: %d", code)
	}
	for _, r := range s.Handler.Routes() {
		if strings.HasPrefix(r.Path, "/api/v1/") && !strings.Contains(body, "<code>"+r.Method+" "+handlers.OpenAPIPath(r.Path)+"</code>") {
			t.Errorf("/api lacks %s %s", r.Method, r.Path)
		}
	}
	if !strings.Contains(body, "GET /api/v1/indicators/dvc-l34-online") || !strings.Contains(body, "Planner") {
		t.Error("/api lacks the examples or the roles")
	}
}
