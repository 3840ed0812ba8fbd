package handlers_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"tiendo/apptest"
	"tiendo/models"
)

// The roll-up rule of an indicator (how a parent's value comes from its
// children's), its weight and its coverage threshold are set in the form and
// through the API, checked by the one rule, and kept by edits that leave
// them out.
func TestRollupRuleEditedInTheFormAndTheAPI(t *testing.T) {
	s, tm := startTeam(t, apptest.Options{})
	p := tm["planner"]
	p.Get(t, "/edit/indicators/new")
	form := url.Values{"code": {"wifi-coverage"}, "name_vi": {"Phủ sóng wifi"}, "name_en": {"Wifi coverage"},
		"pillar": {"digital-infrastructure"}, "measure": {"%"}, "direction": {"higher"}, "frequency": {"year"}, "decimals": {"1"},
		"due_days": {"30"}, "levels": {"city"}, "rollup": {"weighted"}, "rollup_weight": {"no-such-indicator"}, "rollup_threshold": {"150"}}
	code, body := p.Post(t, "/edit/indicators", form)
	if code != 422 || !strings.Contains(body, "no-such-indicator") || !strings.Contains(body, "Ngưỡng bao phủ") ||
		!strings.Contains(body, `value="150"`) {
		t.Fatalf("an unknown weight and a threshold of 150 %%: %d, want 422 naming both and keeping what was typed", code)
	}
	form.Set("rollup_weight", "digital-economy-grdp")
	form.Set("rollup_threshold", "60")
	if code, body := p.Post(t, "/edit/indicators", form); code != 303 {
		t.Fatalf("create: %d %.300s", code, body)
	}
	ind, err := s.Store.IndicatorByCode("wifi-coverage")
	if err != nil {
		t.Fatal(err)
	}
	if ind.Rollup != models.RollupWeighted || ind.RollupWeight != "digital-economy-grdp" || ind.RollupThreshold == nil || *ind.RollupThreshold != 0.6 {
		t.Fatalf("stored roll-up %q by %q threshold %v, want weighted by digital-economy-grdp at 0.6", ind.Rollup, ind.RollupWeight, ind.RollupThreshold)
	}
	if _, page := p.Get(t, "/edit/indicators/wifi-coverage"); !strings.Contains(page, `value="weighted" selected`) || !strings.Contains(page, `value="60"`) {
		t.Error("the form does not show the stored roll-up rule and threshold")
	}

	// The API: a PUT without the fields keeps them, with them changes them.
	planner := apiToken(t, s, "planner")
	base := `{"code":"wifi-coverage","name_vi":"Phủ sóng wifi","name_en":"Wifi coverage","pillar":"digital-infrastructure","measure":"%","direction":"higher","frequency":"year","decimals":1`
	apiDo(t, s, planner, "PUT", "/api/v1/indicators/wifi-coverage", base+`}`, 200)
	var got struct {
		Rollup    string   `json:"rollup"`
		Weight    string   `json:"rollup_weight"`
		Threshold *float64 `json:"rollup_threshold"`
	}
	read := func() {
		t.Helper()
		_, b := apptest.Send(t, http.DefaultClient, "GET", s.URL+"/api/v1/indicators/wifi-coverage", "", nil)
		got.Rollup, got.Weight, got.Threshold = "", "", nil
		if err := json.Unmarshal(b, &got); err != nil {
			t.Fatal(err)
		}
	}
	read()
	if got.Rollup != "weighted" || got.Weight != "digital-economy-grdp" || got.Threshold == nil || *got.Threshold != 0.6 {
		t.Errorf("after a PUT without roll-up fields: %+v, want them kept", got)
	}
	apiDo(t, s, planner, "PUT", "/api/v1/indicators/wifi-coverage", base+`,"rollup":"weighted","rollup_weight":""}`, 422)
	apiDo(t, s, planner, "PUT", "/api/v1/indicators/wifi-coverage", base+`,"rollup":"mean","rollup_threshold":0.5}`, 200)
	read()
	if got.Rollup != "mean" || got.Weight != "" || got.Threshold == nil || *got.Threshold != 0.5 {
		t.Errorf("after a PUT with rollup mean and threshold 0.5: %+v", got)
	}
}
