package handlers_test

import (
	"regexp"
	"strings"
	"testing"

	"tiendo/apptest"
)

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

var externalURL = regexp.MustCompile(`(?i)(src|href)="(https?:)?//`)
