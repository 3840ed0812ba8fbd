package handlers_test

import (
	"encoding/json"
	"net/http"
	"regexp"
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

func TestHealthz(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	code, body := s.Get(t, "/healthz")
	if code != 200 || !strings.Contains(body, `"ok"`) {
		t.Fatalf("healthz: %d %s", code, body)
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

var externalURL = regexp.MustCompile(`(?i)(src|href)="(https?:)?//`)

func TestPagesInBothLanguages(t *testing.T) {
	s := apptest.Start(t, apptest.Options{Demo: true})
	cases := []struct {
		path string
		want []string
	}{
		{"/", []string{"TP Hồ Chí Minh", "Đúng tiến độ", "Mốc mục tiêu", "minh họa", "≥ 95 % đến năm 2030", "data-chart"}},
		{"/?lang=en", []string{"Ho Chi Minh City", "On track", "Milestone", "demo", "≥ 95 % by 2030"}},
		{"/?unit=VN-51&year=2020", []string{"Tỉnh Trà Vinh", "2 – 3 điểm % đến năm 2020", "20 – 30 % đến năm 2020"}},
		{"/indicators/poor-households?unit=VN-51", []string{"9.214 hộ", "Số hộ nghèo"}},
		{"/indicators/poor-households?unit=VN-51&lang=en", []string{"9,214 households", "Poor households"}},
		{"/indicators/poverty-funds", []string{"3.652 tỷ đồng", "hơn (over)"}},
		{"/indicators/gso-poverty-rate?unit=VN-51", []string{"10 %", "2016", "sơ bộ", "Tổng cục Thống kê", "data-chart"}},
		{"/indicators/digital-economy-grdp", []string{"≥ 40 % đến năm 2030", "tài liệu nguồn", "22 %", "3,6 điểm %"}},
		{"/indicators/digital-economy-grdp?lang=en", []string{"≥ 40 % by 2030", "3.6 pp"}},
	}
	for _, c := range cases {
		code, body := s.Get(t, c.path)
		if code != 200 {
			t.Errorf("GET %s: %d", c.path, code)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(body, w) {
				t.Errorf("GET %s: no %q", c.path, w)
			}
		}
		if m := externalURL.FindString(body); m != "" {
			t.Errorf("GET %s links outside the app: %s", c.path, m)
		}
	}
	if code, body := s.Get(t, "/indicators/nope"); code != 404 || !strings.Contains(body, "nope") {
		t.Errorf("unknown indicator page: %d", code)
	}
	if code, _ := s.Get(t, "/?year=20x"); code != 400 {
		t.Errorf("bad year: %d, want 400", code)
	}
}

func TestLanguageIsRemembered(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	code, body := s.Do(t, "GET", "/", "", map[string]string{"Cookie": "lang=en"})
	if code != 200 || !strings.Contains(body, `lang="en"`) {
		t.Errorf("lang cookie not honoured")
	}
}

func TestStaticAssetsServedLocally(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	for _, p := range []string{"/static/js/charts.js", "/static/css/app.css"} {
		code, body := s.Get(t, p)
		if code != 200 || len(body) < 100 {
			t.Errorf("GET %s: %d (%d bytes)", p, code, len(body))
		}
	}
	if code, _ := s.Get(t, "/static/templates/layout.html"); code != 404 {
		t.Errorf("templates must not be served: %d", code)
	}
}

// The pages load the light ECharts bundle (only what they draw) by its
// hashed name, and it is cached for a year.
func TestEChartsBundleIsLightAndImmutable(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	for _, page := range []string{"/", "/embed/indicators/dvc-l34-online?unit=VN-SG"} {
		_, body := s.Get(t, page)
		src := regexp.MustCompile(`<script src="(/static/vendor/echarts\.[0-9a-f]{12}\.js)"></script>`).FindStringSubmatch(body)
		if src == nil {
			t.Fatalf("%s does not load the hashed ECharts bundle", page)
		}
		resp, b := apptest.Send(t, http.DefaultClient, "GET", s.URL+src[1], "", nil)
		if resp.StatusCode != 200 || len(b) < 100000 {
			t.Fatalf("GET %s: %d, %d bytes; run `make assets`", src[1], resp.StatusCode, len(b))
		}
		if len(b) > 650000 {
			t.Errorf("ECharts bundle is %d bytes, more than 650 000", len(b))
		}
		if cc := resp.Header.Get("Cache-Control"); !strings.Contains(cc, "immutable") || !strings.Contains(cc, "max-age=31536000") {
			t.Errorf("bundle Cache-Control %q, want a year, immutable", cc)
		}
	}
	if code, _ := s.Get(t, "/static/vendor/echarts.min.js"); code != 404 {
		t.Errorf("the whole ECharts library is still served: %d", code)
	}
}
