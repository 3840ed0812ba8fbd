package handlers_test

import (
	"encoding/csv"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"tiendo/apptest"
	"tiendo/models"
)

type apiValues struct {
	Observations []struct {
		Unit      string  `json:"unit"`
		Period    string  `json:"period"`
		Value     float64 `json:"value"`
		Breakdown *string `json:"breakdown"`
	} `json:"observations"`
}

func getValues(t *testing.T, s *apptest.Server, path string) apiValues {
	t.Helper()
	code, body := s.Get(t, path)
	var v apiValues
	if code != 200 || json.Unmarshal([]byte(body), &v) != nil {
		t.Fatalf("GET %s: %d %s", path, code, body)
	}
	return v
}

// breakdownsOf lists "unit/period/breakdown=value" of the answer's values.
func (v apiValues) list() string {
	var out []string
	for _, o := range v.Observations {
		if o.Breakdown == nil {
			out = append(out, "no breakdown field")
			continue
		}
		out = append(out, o.Unit+"/"+o.Period+"/"+*o.Breakdown+"="+strings.TrimRight(strings.TrimRight(jsonNumber(o.Value), "0"), "."))
	}
	return strings.Join(out, " ")
}

func jsonNumber(f float64) string { b, _ := json.Marshal(f); return string(b) }

// TestBreakdownsThroughTheAPI: a value of a breakdown is written through
// POST /api/v1/observations, beside the total, and read back by
// GET /api/v1/indicators/{code} with every value or one breakdown.
func TestBreakdownsThroughTheAPI(t *testing.T) {
	s, _ := startTeam(t, apptest.Options{})
	ind, err := s.Store.IndicatorByCode("poverty-funds")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Store.SetIndicatorDimensions(models.Actor{Username: "admin"}, *ind, []string{"SEX", "AGE"}); err != nil {
		t.Fatal(err)
	}
	planner := apiToken(t, s, "planner")
	before := getValues(t, s, "/api/v1/indicators/poverty-funds")
	for _, o := range before.Observations {
		if o.Breakdown == nil || *o.Breakdown != "" {
			t.Fatalf("a stored total without breakdown \"\": %s", before.list())
		}
	}

	out := apiDo(t, s, planner, "POST", "/api/v1/observations",
		`{"indicator":"poverty-funds","unit":"VN-SG","period":"2024","value":12,"source":"Sở LĐTBXH","breakdown":"sex=f; age=Y15T24"}`, 201)
	if !strings.Contains(out, `"breakdown":"AGE=Y15T24;SEX=F"`) {
		t.Errorf("the answer does not give the canonical breakdown: %s", out)
	}
	apiDo(t, s, planner, "POST", "/api/v1/observations",
		`{"indicator":"poverty-funds","unit":"VN-SG","period":"2024","value":30,"source":"Sở LĐTBXH","breakdown":"SEX=M"}`, 201)
	out = apiDo(t, s, planner, "POST", "/api/v1/observations",
		`{"indicator":"poverty-funds","unit":"VN-SG","period":"2024","value":3,"source":"x","breakdown":"URBANISATION=U"}`, 422)
	if !strings.Contains(out, "URBANISATION") || !strings.Contains(out, `"breakdown"`) {
		t.Errorf("a dimension the indicator is not broken down by: %s", out)
	}
	apiDo(t, s, planner, "PUT", "/api/v1/observations",
		`{"indicator":"poverty-funds","unit":"VN-SG","period":"2024","value":31,"source":"Sở LĐTBXH","breakdown":"SEX=M"}`, 200)

	all := getValues(t, s, "/api/v1/indicators/poverty-funds")
	if got := all.list(); len(all.Observations) != len(before.Observations)+2 ||
		!strings.HasSuffix(got, "VN-SG/2024/AGE=Y15T24;SEX=F=12 VN-SG/2024/SEX=M=31") {
		t.Errorf("every value: %s", got)
	}
	if got := getValues(t, s, "/api/v1/indicators/poverty-funds?breakdown=SEX%3Dm").list(); got != "VN-SG/2024/SEX=M=31" {
		t.Errorf("?breakdown=SEX=m: %s", got)
	}
	if got := getValues(t, s, "/api/v1/indicators/poverty-funds?breakdown=_T").list(); got != before.list() {
		t.Errorf("?breakdown=_T: %s, want the totals %s", got, before.list())
	}
	code, body := s.Get(t, "/api/v1/indicators/poverty-funds?breakdown=COLOUR%3DRED")
	if code != 400 || !strings.Contains(body, "COLOUR") {
		t.Errorf("unknown dimension: %d %s", code, body)
	}
	// The export over HTTP carries them, with the breakdown column.
	csvOut := apiDo(t, s, planner, "GET", "/api/v1/export?format=csv&indicators=poverty-funds&unit=VN-SG&subtree=0", "", 200)
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(csvOut, "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var parts []string
	for _, r := range recs[1:] {
		if b := r[slices.Index(recs[0], "breakdown")]; b != "" {
			parts = append(parts, b+"="+r[slices.Index(recs[0], "value")])
		}
	}
	if got := strings.Join(parts, " "); got != "AGE=Y15T24;SEX=F=12 SEX=M=31" {
		t.Errorf("CSV export: %s", got)
	}
	apiDo(t, s, planner, "DELETE", "/api/v1/observations", `{"indicator":"poverty-funds","unit":"VN-SG","period":"2024","breakdown":"SEX=M"}`, 204)
	if got := getValues(t, s, "/api/v1/indicators/poverty-funds?breakdown=SEX%3DM").list(); got != "" {
		t.Errorf("after the deletion: %s", got)
	}
}

// TestBreakdownAssessmentsThroughTheAPI: the breakdowns an indicator
// names come under its total in GET /api/v1/assessments, with their own
// status, and follow new values at once (the stored answer is dropped).
func TestBreakdownAssessmentsThroughTheAPI(t *testing.T) {
	s, _ := startTeam(t, apptest.Options{})
	admin := models.Actor{Username: "admin"}
	ind, err := s.Store.IndicatorByCode("dvc-l34-online")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Store.SetIndicatorDimensions(admin, *ind, []string{"SEX"}); err != nil {
		t.Fatal(err)
	}
	if err := s.Store.SetAssessedBreakdowns(admin, *ind, []string{"SEX=F", "SEX=M"}); err != nil {
		t.Fatal(err)
	}
	planner := apiToken(t, s, "planner")
	type entry struct {
		Indicator  string `json:"indicator"`
		Status     string `json:"status"`
		Breakdowns []struct {
			Breakdown string  `json:"breakdown"`
			Indicator string  `json:"indicator"`
			Status    string  `json:"status"`
			Current   float64 `json:"current_value"`
		} `json:"breakdowns"`
	}
	read := func() entry {
		code, body := s.Get(t, "/api/v1/assessments?unit=VN-SG&year=2030")
		var all []entry
		if code != 200 || json.Unmarshal([]byte(body), &all) != nil {
			t.Fatalf("%d %s", code, body)
		}
		for _, e := range all {
			if e.Indicator == "dvc-l34-online" {
				return e
			}
			if len(e.Breakdowns) != 0 {
				t.Errorf("%s: breakdowns it does not name", e.Indicator)
			}
		}
		t.Fatal("no assessment of dvc-l34-online")
		return entry{}
	}
	if e := read(); len(e.Breakdowns) != 0 {
		t.Errorf("breakdowns without values nor target: %+v", e.Breakdowns)
	}
	for i, y := range []string{"2022", "2023", "2024"} {
		for sex, v := range map[string]int{"F": 60 + 10*i, "M": 60 - 5*i} {
			apiDo(t, s, planner, "POST", "/api/v1/observations",
				`{"indicator":"dvc-l34-online","unit":"VN-SG","period":"`+y+`","value":`+jsonNumber(float64(v))+`,"source":"s","breakdown":"SEX=`+sex+`"}`, 201)
		}
	}
	e := read()
	if len(e.Breakdowns) != 2 || e.Breakdowns[0].Breakdown != "SEX=F" || e.Breakdowns[1].Breakdown != "SEX=M" ||
		e.Breakdowns[0].Indicator != "dvc-l34-online" || e.Breakdowns[0].Current != 80 || e.Breakdowns[1].Status != "deterioration" ||
		e.Breakdowns[0].Status == e.Breakdowns[1].Status {
		t.Errorf("breakdowns under the total: %+v", e.Breakdowns)
	}
}
