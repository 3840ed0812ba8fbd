package handlers_test

import (
	"encoding/json"
	"strings"
	"testing"

	"tiendo/apptest"
)

// apiToken signs in through POST /api/v1/auth/token.
func apiToken(t *testing.T, s *apptest.Server, username string) string {
	t.Helper()
	code, body := s.Do(t, "POST", "/api/v1/auth/token", `{"username":"`+username+`","password":"`+testPassword+`"}`,
		map[string]string{"Content-Type": "application/json"})
	var r struct{ Token string }
	if code != 201 || json.Unmarshal([]byte(body), &r) != nil || r.Token == "" {
		t.Fatalf("token for %s: %d %s", username, code, body)
	}
	return r.Token
}

// apiDo sends a JSON request with a Bearer token and checks the status.
func apiDo(t *testing.T, s *apptest.Server, token, method, path, body string, want int) string {
	t.Helper()
	h := map[string]string{"Content-Type": "application/json"}
	if token != "" {
		h["Authorization"] = "Bearer " + token
	}
	code, out := s.Do(t, method, path, body, h)
	if code != want {
		t.Errorf("%s %s %s: %d %s, want %d", method, path, body, code, out, want)
	}
	return out
}

func TestAPIWrites(t *testing.T) {
	s, _ := startTeam(t, apptest.Options{Demo: true})
	planner, scoped, viewer := apiToken(t, s, "planner"), apiToken(t, s, "scoped"), apiToken(t, s, "viewer")
	obs := `{"indicator":"dvc-l4-multidevice","unit":"VN-SG","period":"2026","value":70,"note":"sơ bộ","source":"Sở TTTT"}`
	apiDo(t, s, "", "POST", "/api/v1/observations", obs, 401)
	apiDo(t, s, "tdo_not-a-token", "POST", "/api/v1/observations", obs, 401)
	apiDo(t, s, "tdo_not-a-token", "GET", "/api/v1/units", "", 401)
	apiDo(t, s, viewer, "POST", "/api/v1/observations", obs, 403)
	apiDo(t, s, scoped, "POST", "/api/v1/observations", obs, 403)
	apiDo(t, s, scoped, "POST", "/api/v1/indicators", `{}`, 403)

	out := apiDo(t, s, planner, "POST", "/api/v1/observations", `{"indicator":"dvc-l4-multidevice","unit":"VN-SG","period":"2027","value":170}`, 422)
	var e struct {
		Error  string            `json:"error"`
		Fields map[string]string `json:"fields"`
	}
	json.Unmarshal([]byte(out), &e)
	if !strings.Contains(e.Fields["period"], "2027") || !strings.Contains(e.Fields["value"], "0") {
		t.Errorf("422 without a message per field: %s", out)
	}
	apiDo(t, s, planner, "POST", "/api/v1/observations", `{"indicator":"dvc-l4-multidevice","unit":"VN-SG","period":"2026","value":"70"}`, 422)
	apiDo(t, s, planner, "POST", "/api/v1/observations", `not json`, 400)

	before := status(t, s, "dvc-l4-multidevice", "VN-SG", 2030)
	apiDo(t, s, planner, "POST", "/api/v1/observations", obs, 201)
	apiDo(t, s, planner, "POST", "/api/v1/observations", obs, 422) // exists: PUT changes it
	apiDo(t, s, planner, "PUT", "/api/v1/observations", strings.Replace(obs, `"value":70`, `"value":12`, 1), 200)
	if after := status(t, s, "dvc-l4-multidevice", "VN-SG", 2030); after == before || after != "deterioration" {
		t.Errorf("assessment after the API write: %s → %s, want deterioration at once", before, after)
	}
	apiDo(t, s, planner, "DELETE", "/api/v1/observations", `{"indicator":"dvc-l4-multidevice","unit":"VN-SG","period":"2026"}`, 204)
	apiDo(t, s, planner, "DELETE", "/api/v1/observations", `{"indicator":"dvc-l4-multidevice","unit":"VN-SG","period":"2026"}`, 422)

	// Targets: create, revise with a reason, withdraw; scope enforced.
	tgt := `{"indicator":"digital-economy-grdp","unit":"T-D1","year":2030,"comparator":"at_least","value":30,"source":"QĐ 5/QĐ-UBND"}`
	apiDo(t, s, scoped, "POST", "/api/v1/targets", tgt, 201)
	apiDo(t, s, scoped, "POST", "/api/v1/targets", strings.Replace(tgt, "T-D1", "T-D2", 1), 403)
	apiDo(t, s, scoped, "PUT", "/api/v1/targets", strings.Replace(tgt, `"value":30`, `"value":25`, 1), 422)
	apiDo(t, s, scoped, "PUT", "/api/v1/targets", strings.Replace(tgt, `"value":30`, `"value":25,"reason":"giảm"`, 1), 200)
	apiDo(t, s, planner, "POST", "/api/v1/targets", `{"indicator":"digital-economy-grdp","unit":"T-D2","year":2030,"comparator":"between","value":30,"value_max":20,"source":"x"}`, 422)
	apiDo(t, s, scoped, "DELETE", "/api/v1/targets", `{"indicator":"digital-economy-grdp","unit":"T-D1","year":2030,"reason":"bỏ"}`, 204)
	if n := count(t, s, "targets", "unit_id = (SELECT id FROM units WHERE code = ?)", "T-D1"); n != 2 {
		t.Errorf("%d target revisions kept, want 2", n)
	}

	// Indicators: create, update, retire (never deleted).
	ind := `{"code":"api-ind","name_vi":"Chỉ tiêu API","name_en":"API indicator","pillar":"digital-economy","measure":"%","direction":"higher","frequency":"quarter","decimals":1}`
	apiDo(t, s, planner, "POST", "/api/v1/indicators", ind, 201)
	apiDo(t, s, planner, "POST", "/api/v1/indicators", ind, 422)
	apiDo(t, s, planner, "PUT", "/api/v1/indicators/api-ind", strings.Replace(ind, "Chỉ tiêu API", "Chỉ tiêu qua API", 1), 200)
	apiDo(t, s, planner, "POST", "/api/v1/observations", `{"indicator":"api-ind","unit":"VN-SG","period":"2026-Q3","value":5}`, 201)
	apiDo(t, s, planner, "POST", "/api/v1/observations", `{"indicator":"api-ind","unit":"VN-SG","period":"2026","value":5}`, 422)
	apiDo(t, s, planner, "DELETE", "/api/v1/indicators/api-ind", "", 200)
	if n := count(t, s, "indicators", "code = ? AND retired = ?", "api-ind", true); n != 1 {
		t.Error("DELETE did not retire the indicator, or deleted it")
	}
	var entries int64
	s.Store.DB().Table("audit_log").Where("via = ?", "api").Count(&entries)
	if entries < 12 {
		t.Errorf("%d audit entries via the API", entries)
	}
	apiDo(t, s, viewer, "GET", "/api/v1/audit", "", 403)
	apiDo(t, s, apiToken(t, s, "analyst"), "GET", "/api/v1/audit?from=2020-01-01", "", 200)
}

func status(t *testing.T, s *apptest.Server, indicator, unit string, year int) string {
	t.Helper()
	var rows []assessment
	getJSON(t, s, "/api/v1/assessments?unit="+unit, &rows)
	for _, r := range rows {
		if r.Indicator == indicator && r.TargetYear != nil && *r.TargetYear == year {
			return r.Status
		}
	}
	return ""
}
