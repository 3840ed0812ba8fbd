package handlers_test

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"tiendo/apptest"
)

func TestCompletenessAPIAndPage(t *testing.T) {
	s := apptest.Start(t, apptest.Options{Demo: true})
	code, body := s.Get(t, "/api/v1/completeness?unit=VN-SG")
	if code != 200 {
		t.Fatalf("API: %d %s", code, body)
	}
	var got struct {
		Unit      string   `json:"unit"`
		Frequency string   `json:"frequency"`
		Periods   []string `json:"periods"`
		Expected  *int     `json:"expected"`
		Reported  *int     `json:"reported"`
		OnTime    *int     `json:"on_time"`
		Rows      []struct {
			Unit     string `json:"unit"`
			Expected int    `json:"expected"`
			Reported int    `json:"reported"`
			OnTime   int    `json:"on_time"`
		} `json:"rows"`
	}
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatal(err)
	}
	if got.Expected == nil || got.Reported == nil || got.OnTime == nil {
		t.Fatalf("keys expected, reported and on_time missing: %s", body)
	}
	// On 26 November 2026 the last four years due (30 days after each year) are 2022–2025.
	if strings.Join(got.Periods, ",") != "2022,2023,2024,2025" || got.Frequency != "year" {
		t.Errorf("default periods: %s %v", got.Frequency, got.Periods)
	}
	sum := 0
	for _, r := range got.Rows {
		if r.Reported > r.Expected || r.OnTime > r.Reported {
			t.Errorf("row %s: %+v: more reported than expected", r.Unit, r)
		}
		sum += r.Expected
	}
	if sum != *got.Expected || *got.Expected == 0 {
		t.Errorf("the rows' expected counts add up to %d, the total says %d", sum, *got.Expected)
	}

	for _, c := range []struct{ q, lang, want string }{
		{"from=2025-Q5", "vi", "Kỳ “2025-Q5” không hợp lệ"},
		{"from=2025-Q5", "en", "Period “2025-Q5” is not valid"},
		{"from=2024&to=2025-Q1", "en", "must be of the same kind"},
		{"from=2025&to=2020", "vi", "ở sau kỳ cuối"},
		{"from=1990&to=2030", "en", "At most 36 periods"},
		{"pillar=nope", "en", "no pillar"},
	} {
		code, body := s.Get(t, "/api/v1/completeness?"+c.q+"&lang="+c.lang)
		if code != 400 || !strings.Contains(body, c.want) {
			t.Errorf("%s (%s): %d %s, want 400 with %q", c.q, c.lang, code, body, c.want)
		}
	}

	for _, lang := range []string{"vi", "en"} {
		code, page := s.Get(t, "/completeness?unit=VN-SG&lang="+lang)
		if code != 200 {
			t.Fatalf("page (%s): %d", lang, code)
		}
		title := map[string]string{"vi": "Tình hình báo cáo số liệu: TP Hồ Chí Minh", "en": "Reporting completeness: Ho Chi Minh City"}[lang]
		if !strings.Contains(page, title) || !strings.Contains(page, "2025</th>") {
			t.Errorf("page (%s) lacks its title or the column 2025", lang)
		}
	}
}

func TestIndicatorFormKeepsTheDueDelayAndLevels(t *testing.T) {
	s, tm := startTeam(t, apptest.Options{})
	p := tm["planner"]
	p.Get(t, "/edit/indicators/new")
	form := url.Values{"code": {"wifi-coverage"}, "name_vi": {"Phủ sóng wifi"}, "name_en": {"Wifi coverage"},
		"pillar": {"digital-infrastructure"}, "measure": {"%"}, "direction": {"higher"}, "frequency": {"quarter"}, "decimals": {"1"},
		"due_days": {"400"}, "levels": {"ward", "city"}}
	code, body := p.Post(t, "/edit/indicators", form)
	if code != 422 || !strings.Contains(body, "Hạn nộp phải là số ngày từ 0 đến 366") {
		t.Fatalf("a due delay of 400 days: %d, want 422 with the message", code)
	}
	form.Set("due_days", "20")
	if code, _ := p.Post(t, "/edit/indicators", form); code != 303 {
		t.Fatalf("create: %d", code)
	}
	ind, err := s.Store.IndicatorByCode("wifi-coverage")
	if err != nil {
		t.Fatal(err)
	}
	if ind.DueDays != 20 || ind.Levels != "city,ward" {
		t.Errorf("stored due delay %d and levels %q, want 20 and city,ward", ind.DueDays, ind.Levels)
	}
	_, page := p.Get(t, "/edit/indicators/wifi-coverage")
	if !strings.Contains(page, `value="20"`) || !strings.Contains(page, `value="ward" checked`) {
		t.Error("the form does not show the stored due delay and levels")
	}
}
