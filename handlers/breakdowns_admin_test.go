package handlers_test

import (
	"net/url"
	"strings"
	"testing"

	"tiendo/apptest"
)

// TestBreakdownsAdminPage: a planner adds a dimension and a value, and
// says which dimensions an indicator is broken down by and which
// breakdowns are assessed beside its total; bad input comes back with a
// message beside its field and changes nothing.
func TestBreakdownsAdminPage(t *testing.T) {
	s, tm := startTeam(t, apptest.Options{})
	c := tm["planner"]
	code, body := c.Get(t, "/edit/breakdowns")
	if code != 200 || !strings.Contains(body, "Giới tính") || !strings.Contains(body, "KHMER") || !strings.Contains(body, "Y15T24") {
		t.Fatalf("page: %d", code)
	}
	post := func(path string, form url.Values, want int) string {
		t.Helper()
		code, body := c.Post(t, path, form)
		if code != want {
			t.Fatalf("POST %s %v: %d, want %d", path, form, code, want)
		}
		return body
	}
	post("/edit/breakdowns/dimensions", url.Values{"code": {"DISABILITY"}, "name_vi": {"Khuyết tật"}, "name_en": {"Disability"}}, 303)
	body = post("/edit/breakdowns/dimensions", url.Values{"code": {"disability"}, "name_vi": {"X"}, "name_en": {"X"}}, 422)
	if !strings.Contains(body, `id="dim-code-err"`) || !strings.Contains(body, `value="disability"`) {
		t.Errorf("a duplicate code without its message beside the field")
	}
	post("/edit/breakdowns/values", url.Values{"dimension": {"DISABILITY"}, "code": {"PWD"}, "name_vi": {"Người khuyết tật"}, "name_en": {"Persons with disability"}}, 303)
	body = post("/edit/breakdowns/values", url.Values{"dimension": {"DISABILITY"}, "code": {"_T"}, "name_vi": {"Tổng"}, "name_en": {"Total"}}, 422)
	if !strings.Contains(body, `id="val-code-err"`) {
		t.Errorf("_T as a value code without a message")
	}
	post("/edit/breakdowns/values", url.Values{"dimension": {""}, "code": {"X"}, "name_vi": {"X"}, "name_en": {"X"}}, 422)

	form := url.Values{"indicator": {"dvc-l34-online"}, "dimensions": {"SEX", "DISABILITY"}, "assessed": {"sex=f\r\nSEX=M\r\n"}}
	post("/edit/breakdowns/indicator", form, 303)
	_, body = c.Get(t, "/edit/breakdowns?indicator=dvc-l34-online")
	for _, want := range []string{`value="SEX" checked`, `value="DISABILITY" checked`, "SEX=F\nSEX=M</textarea>", "Người khuyết tật"} {
		if !strings.Contains(body, want) {
			t.Errorf("the indicator's breakdowns: no %q", want)
		}
	}
	if strings.Contains(body, `value="AGE" checked`) {
		t.Error("AGE ticked")
	}
	body = post("/edit/breakdowns/indicator", url.Values{"indicator": {"dvc-l34-online"}, "dimensions": {"SEX"}, "assessed": {"AGE=Y15T24"}}, 422)
	if !strings.Contains(body, `id="bd-assessed-err"`) || !strings.Contains(body, "AGE=Y15T24</textarea>") {
		t.Errorf("an assessed breakdown of a dimension not ticked")
	}
	if n := count(t, s, "audit_log", "entity IN (?, ?, ?)", "dimension", "dimension_value", "indicator_dimensions"); n < 3 {
		t.Errorf("%d audit entries", n)
	}
	// In English too.
	_, body = c.Get(t, "/edit/breakdowns?lang=en")
	if !strings.Contains(body, "Add a dimension") || !strings.Contains(body, "Urban/rural") {
		t.Error("English page")
	}
}

func TestDimensionsAPI(t *testing.T) {
	s, _ := startTeam(t, apptest.Options{})
	planner := apiToken(t, s, "planner")
	out := apiDo(t, s, "", "GET", "/api/v1/dimensions", "", 200)
	if !strings.Contains(out, `"code":"SEX"`) || !strings.Contains(out, `"code":"Q5"`) {
		t.Errorf("dimensions: %.200s", out)
	}
	apiDo(t, s, planner, "POST", "/api/v1/dimensions", `{"code":"DISABILITY","name_vi":"Khuyết tật","name_en":"Disability"}`, 201)
	apiDo(t, s, planner, "POST", "/api/v1/dimensions", `{"code":"DISABILITY","name_vi":"Khuyết tật","name_en":"Disability"}`, 422)
	apiDo(t, s, planner, "POST", "/api/v1/dimensions/DISABILITY/values", `{"code":"PWD","name_vi":"Người khuyết tật","name_en":"Persons with disability"}`, 201)
	apiDo(t, s, planner, "POST", "/api/v1/dimensions/NOPE/values", `{"code":"A","name_vi":"A","name_en":"A"}`, 404)
	if out := apiDo(t, s, "", "GET", "/api/v1/dimensions", "", 200); !strings.Contains(out, `"code":"PWD"`) {
		t.Error("the new value is not listed")
	}
}
