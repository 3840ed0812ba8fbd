package handlers_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"tiendo/apptest"
	"tiendo/locale"
	"tiendo/models"
	"tiendo/seed"
)

func TestLeadersPagesInBothLanguages(t *testing.T) {
	s := apptest.Start(t, apptest.Options{Demo: true})
	ward := seed.DistrictCode("760") + "-26740"
	cases := []struct {
		path string
		want []string
	}{
		{"/?unit=VN-SG&year=2025", []string{"Tổng quan", "So sánh đơn vị", "Báo cáo tóm tắt", "Cần quan tâm", "Mốc 2025 đã qua", "Đơn vị trực thuộc", "Quận 1", "Huyện Cần Giờ", "Xem dạng bảng", "Tỉnh Bình Dương"}},
		{"/?unit=VN-SG&year=2030&lang=en", []string{"Needs attention", "The 2030 milestone is ahead", "Units below", "District 1", "View as table", "Bà Rịa – Vũng Tàu Province"}},
		{"/?unit=" + seed.DistrictCode("760") + "&lang=en", []string{"District 1", "Ho Chi Minh City", "Target of Ho Chi Minh City", "Computed from the units below: mean of 4 of 4 units", "Bến Nghé Ward", "ceased to exist on 1 Jul 2025"}},
		{"/?unit=" + ward, []string{"Phường Bến Nghé", "Quận 1", "TP Hồ Chí Minh", "Mục tiêu của TP Hồ Chí Minh", "01/07/2025"}},
		{"/?unit=VN-49", []string{"Tỉnh Vĩnh Long", "Lịch sử của đơn vị tiền thân: Tỉnh Trà Vinh", "12/06/2025", "9.214 hộ", "2 – 3 điểm % đến năm 2020"}},
		{"/?unit=VN-51&lang=en", []string{"ceased to exist on 12 Jun 2025", "Succeeded by:", "Vĩnh Long Province", "202/2025/QH15"}},
		{"/compare?unit=VN-SG&year=2030&indicator=5g-coverage", []string{"So sánh các đơn vị trực thuộc TP Hồ Chí Minh", "Phổ cập dịch vụ mạng di động 5G", "Bản đồ nhiệt", "data-links", "Chưa có số liệu:", "Huyện Cần Giờ"}},
		{"/compare?unit=VN-SG&year=2030&lang=en", []string{"Heatmap: units × indicators", "Bar chart ranking 22 units", "View as table"}},
		{"/briefing?unit=VN-SG&year=2025", []string{"Báo cáo tóm tắt: TP Hồ Chí Minh", "Ngày lập: 26/11/2026", "Mốc mục tiêu", "data-print", "&#34;decal&#34;"}},
		{"/briefing?unit=VN-SG&year=2030&lang=en", []string{"Briefing: Ho Chi Minh City", "Prepared on 26 Nov 2026"}},
		{"/embed/indicators/5g-coverage?unit=VN-SG&lang=en", []string{"5G mobile coverage", "Ho Chi Minh City", "≥ 100 % by 2030", "View as table", "48 %"}},
	}
	for _, c := range cases {
		code, body := s.Get(t, c.path)
		if code != 200 {
			t.Errorf("GET %s: %d %s", c.path, code, body)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(body, w) {
				t.Errorf("GET %s: no %q", c.path, w)
			}
		}
		// Every chart has its one-sentence summary and its table.
		charts, tables := strings.Count(body, `class="chart-canvas"`), strings.Count(body, `class="chart-table"`)
		if charts != tables || charts != strings.Count(body, `class="chart-alt"`) || strings.Contains(body, `<figcaption class="chart-alt"></figcaption>`) {
			t.Errorf("GET %s: %d charts, %d tables, %d summaries", c.path, charts, tables, strings.Count(body, `class="chart-alt"`))
		}
	}
	if code, _ := s.Get(t, "/compare?indicator=nope"); code != 404 {
		t.Errorf("compare with an unknown indicator: %d, want 404", code)
	}
	if code, _ := s.Get(t, "/briefing?unit=XX"); code != 404 {
		t.Errorf("briefing of an unknown unit: %d, want 404", code)
	}
}

// The district's value is the mean of its wards' values, computed here from
// what is stored, and the page and API say so.
func TestRollupFromWards(t *testing.T) {
	s := apptest.Start(t, apptest.Options{Demo: true})
	db := s.Store.DB()
	q1, err := s.Store.UnitByCode(seed.DistrictCode("760"))
	if err != nil {
		t.Fatal(err)
	}
	ind, _ := s.Store.IndicatorByCode("fibre-coverage")
	var wardValues []float64
	db.Model(&models.Observation{}).Where("indicator_id = ? AND period = ? AND unit_id IN (?)", ind.ID, "2025",
		db.Model(&models.Unit{}).Select("id").Where("parent_id = ?", q1.ID)).Pluck("value", &wardValues)
	if len(wardValues) != 4 {
		t.Fatalf("%d ward values, want 4", len(wardValues))
	}
	mean := 0.0
	for _, v := range wardValues {
		mean += v / 4
	}
	var rows []struct {
		Indicator    string   `json:"indicator"`
		CurrentValue *float64 `json:"current_value"`
		CurrentYear  *int     `json:"current_year"`
	}
	getJSON(t, s, "/api/v1/assessments?unit="+q1.Code, &rows)
	found := false
	for _, r := range rows {
		if r.Indicator == "fibre-coverage" {
			found = r.CurrentValue != nil && fmt.Sprintf("%.6f", *r.CurrentValue) == fmt.Sprintf("%.6f", mean) && *r.CurrentYear == 2025
		}
	}
	if !found {
		t.Errorf("District 1 fibre coverage 2025 is not the mean %.3f of its wards: %+v", mean, rows)
	}
	_, body := s.Get(t, "/?unit="+q1.Code+"&year=2030")
	want := locale.NumberAuto("vi", mean, 1) + " %"
	if !strings.Contains(body, want) || !strings.Contains(body, "Tính từ đơn vị trực thuộc: trung bình của 4/4 đơn vị") {
		t.Errorf("District 1 page lacks the computed %s and its label", want)
	}
}

// Sum and weighted mean, on figures made for the test in two districts.
func TestRollupSumAndWeighted(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	db := s.Store.DB()
	rate, _ := s.Store.IndicatorByCode("poor-households-rate")
	count, _ := s.Store.IndicatorByCode("poor-households")
	// Two districts of 22 make a value only at a threshold set that low.
	if err := db.Model(rate).Updates(map[string]any{"rollup": "weighted", "rollup_weight": "poor-households", "rollup_threshold": 0.05}).Error; err != nil {
		t.Fatal(err)
	}
	if err := db.Model(count).Update("rollup_threshold", 0.05).Error; err != nil {
		t.Fatal(err)
	}
	for i, f := range []struct{ rate, households float64 }{{2, 300}, {6, 100}} {
		u, _ := s.Store.UnitByCode(seed.DistrictCode([]string{"770", "773"}[i]))
		for _, o := range []models.Observation{
			{IndicatorID: rate.ID, UnitID: u.ID, Period: "2024", Year: 2024, Value: f.rate},
			{IndicatorID: count.ID, UnitID: u.ID, Period: "2024", Year: 2024, Value: f.households},
		} {
			if err := db.Omit("Indicator", "Unit").Create(&o).Error; err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := s.Store.Reassess(); err != nil {
		t.Fatal(err)
	}
	var rows []struct {
		Indicator    string   `json:"indicator"`
		CurrentValue *float64 `json:"current_value"`
	}
	getJSON(t, s, "/api/v1/assessments?unit=VN-SG", &rows)
	got := map[string]float64{}
	for _, r := range rows {
		if r.CurrentValue != nil {
			got[r.Indicator] = *r.CurrentValue
		}
	}
	if got["poor-households"] != 400 {
		t.Errorf("poor households of HCMC = %v, want the sum 400", got["poor-households"])
	}
	if want := (2*300 + 6*100) / 400.0; got["poor-households-rate"] != want {
		t.Errorf("poor-household rate of HCMC = %v, want the weighted mean %v", got["poor-households-rate"], want)
	}
	_, body := s.Get(t, "/?unit=VN-SG&lang=en")
	for _, w := range []string{"400 households", "sum of 2 of 22 units", "weighted mean of 2 of 22 units"} {
		if !strings.Contains(body, w) {
			t.Errorf("HCMC overview lacks %q", w)
		}
	}
}

func TestLeadersURLsReproduceTheView(t *testing.T) {
	s := apptest.Start(t, apptest.Options{Demo: true})
	path := "/compare?indicator=systems-connected&lang=en&pillar=digital-government&unit=VN-SG&year=2025"
	code, body := s.Do(t, "GET", path, "", map[string]string{"Cookie": "lang=vi"})
	if code != 200 || !strings.Contains(body, `lang="en"`) {
		t.Fatalf("an English link opens in English whatever the cookie: %d", code)
	}
	share := strings.ReplaceAll(path, "&", "&amp;")
	if !strings.Contains(body, `href="`+share+`" data-share`) {
		t.Errorf("share link is not the view's own URL %s", share)
	}
	for _, w := range []string{
		`href="/?indicator=systems-connected&amp;lang=en&amp;pillar=digital-government&amp;unit=VN-SG&amp;year=2025"`, // nav keeps the state
		`href="/compare?indicator=systems-connected&amp;lang=en&amp;pillar=digital-government&amp;unit=VN-SG&amp;year=2030"`,
		`/compare?indicator=systems-connected&amp;lang=en&amp;pillar=digital-government&amp;unit=` + seed.DistrictCode("760") + `&amp;year=2025`, // drill down
	} {
		if !strings.Contains(body, w) {
			t.Errorf("compare page lacks link %s", w)
		}
	}
	_, body = s.Get(t, "/?unit="+seed.DistrictCode("760")+"-26740&lang=en&year=2030")
	for _, w := range []string{`href="/?lang=en&amp;unit=VN-SG&amp;year=2030"`, `href="/?lang=en&amp;unit=VN-SG-760&amp;year=2030"`, `aria-current="location">Bến Nghé Ward`} {
		if !strings.Contains(body, w) {
			t.Errorf("ward breadcrumbs lack %s", w)
		}
	}
}

func TestOnlyTheEmbedMayBeFramed(t *testing.T) {
	s := apptest.Start(t, apptest.Options{Demo: true})
	for i := 0; i < 2; i++ { // the second answer comes from the response cache
		resp, err := http.Get(s.URL + "/embed/indicators/dvc-l34-online")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors *") || resp.Header.Get("X-Frame-Options") != "" {
			t.Errorf("embed (request %d): CSP %q, X-Frame-Options %q", i+1, csp, resp.Header.Get("X-Frame-Options"))
		}
	}
	resp, err := http.Get(s.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if strings.Contains(resp.Header.Get("Content-Security-Policy"), "frame-ancestors *") {
		t.Error("the overview must not be framable by any site")
	}
	if code, _ := s.Get(t, "/embed/indicators/nope"); code != 404 {
		t.Errorf("embed of an unknown indicator: %d", code)
	}
}

func TestEmbedShowsTheIndicatorsOwnMilestone(t *testing.T) {
	s := apptest.Start(t, apptest.Options{Demo: true})
	_, body := s.Get(t, "/embed/indicators/systems-connected?unit=VN-SG")
	if !strings.Contains(body, "≥ 60 % đến năm 2025") || !strings.Contains(body, "Đã đạt") {
		t.Errorf("an indicator with a 2025 target only is shown against it, met (63 %% ≥ 60 %%)")
	}
	_, body = s.Get(t, "/embed/indicators/systems-connected?unit=VN-SG&year=2030")
	if !strings.Contains(body, "Chưa có mục tiêu") {
		t.Errorf("at ?year=2030 the 2025 target does not apply")
	}
}
