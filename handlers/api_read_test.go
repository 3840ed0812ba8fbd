package handlers_test

import (
	"encoding/json"
	"strings"
	"testing"

	"tiendo/apptest"
)

type assessment struct {
	Indicator     string   `json:"indicator"`
	Unit          string   `json:"unit"`
	TargetYear    *int     `json:"target_year"`
	TargetUnit    *string  `json:"target_unit"`
	Status        string   `json:"status"`
	ProgressValue *float64 `json:"progress_value"`
	Score         *float64 `json:"score"`
	BaseYear      *int     `json:"base_year"`
	CurrentYear   *int     `json:"current_year"`
}

func getJSON(t *testing.T, s *apptest.Server, path string, into any) {
	t.Helper()
	code, body := s.Get(t, path)
	if code != 200 {
		t.Fatalf("GET %s: %d %s", path, code, body)
	}
	if err := json.Unmarshal([]byte(body), into); err != nil {
		t.Fatalf("GET %s: %v in %s", path, err, body)
	}
}

func TestAPIReturnsEverySeededTargetWithItsAssessment(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	var inds []struct {
		Code    string `json:"code"`
		Pillar  string `json:"pillar"`
		Targets []struct {
			Unit       string `json:"unit"`
			Year       int    `json:"year"`
			Comparator string `json:"comparator"`
			Source     string `json:"source"`
		} `json:"targets"`
	}
	getJSON(t, s, "/api/v1/indicators", &inds)
	targets := 0
	for _, ind := range inds {
		targets += len(ind.Targets)
		if ind.Pillar == "" {
			t.Errorf("%s has no pillar", ind.Code)
		}
	}
	if targets != 15 {
		t.Fatalf("API lists %d targets, want the 15 of the source document", targets)
	}
	var all []assessment
	getJSON(t, s, "/api/v1/assessments", &all)
	withTarget := 0
	for _, a := range all {
		// Districts are assessed against the city's targets too; the
		// source document's own targets are the city's and the province's.
		if a.TargetYear != nil && *a.TargetUnit == a.Unit {
			withTarget++
		}
		if a.Status == "" {
			t.Errorf("%s/%s has no status", a.Unit, a.Indicator)
		}
	}
	if withTarget != 15 {
		t.Errorf("%d assessments with a target, want 15", withTarget)
	}
	var at2025 []assessment
	getJSON(t, s, "/api/v1/assessments?unit=VN-SG&year=2025", &at2025)
	n := 0
	for _, a := range at2025 {
		if a.TargetYear != nil && *a.TargetYear == 2025 {
			n++
			// No actuals in the source document: nothing can be judged.
			if a.Status != "not_available" {
				t.Errorf("%s: %s without data", a.Indicator, a.Status)
			}
		}
	}
	if n != 3 {
		t.Errorf("%d HCMC targets for 2025, want 3", n)
	}
}

func TestAssessmentsWithDemoData(t *testing.T) {
	s := apptest.Start(t, apptest.Options{Demo: true})
	var rows []assessment
	getJSON(t, s, "/api/v1/assessments?unit=VN-SG&year=2025", &rows)
	status := map[string]string{}
	for _, a := range rows {
		if a.TargetYear != nil && *a.TargetYear == 2025 {
			status[a.Indicator] = a.Status
		}
	}
	// Demo 2025: 98 % of 100 (missed), 100 of 100 and 63 of 60 (achieved).
	want := map[string]string{"dvc-l34-online": "target_missed", "dvc-national-portal": "target_achieved", "systems-connected": "target_achieved"}
	for k, v := range want {
		if status[k] != v {
			t.Errorf("%s: %q, want %q", k, status[k], v)
		}
	}
	var trend []assessment
	getJSON(t, s, "/api/v1/assessments?unit=VN-51", &trend)
	for _, a := range trend {
		if a.Indicator == "gso-poverty-rate" {
			if a.Status != "substantial_progress" || a.ProgressValue == nil || *a.BaseYear != 2015 || *a.CurrentYear != 2016 {
				t.Errorf("Trà Vinh poverty 12.0 (2015) → 10.0 (2016), lower is better: %+v", a)
			}
			return
		}
	}
	t.Error("no assessment of the GSO poverty rate for Trà Vinh")
}

func TestAPIErrors(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	cases := []struct {
		path string
		code int
		msg  string
	}{
		{"/api/v1/indicators/nope", 404, "nope"},
		{"/api/v1/assessments?unit=XX", 404, "XX"},
		{"/api/v1/assessments?year=abc", 400, "abc"},
		{"/api/v1/nothing", 404, ""},
	}
	for _, c := range cases {
		code, body := s.Get(t, c.path)
		var e struct {
			Error string `json:"error"`
		}
		if code != c.code || json.Unmarshal([]byte(body), &e) != nil || e.Error == "" || !strings.Contains(e.Error, c.msg) {
			t.Errorf("GET %s: %d %s, want %d with a JSON message", c.path, code, body, c.code)
		}
	}
}
