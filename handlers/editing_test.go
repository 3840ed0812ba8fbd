package handlers_test

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"tiendo/apptest"
	"tiendo/models"
)

func observation(t *testing.T, s *apptest.Server, indicator, unit, period string) *models.Observation {
	t.Helper()
	var o models.Observation
	err := s.Store.DB().Joins("JOIN indicators ON indicators.id = observations.indicator_id").
		Joins("JOIN units ON units.id = observations.unit_id").
		Where("indicators.code = ? AND units.code = ? AND observations.period = ?", indicator, unit, period).First(&o).Error
	if err != nil {
		return nil
	}
	return &o
}

func TestValueFormValidationInBothLanguages(t *testing.T) {
	s, tm := startTeam(t, apptest.Options{})
	p := tm["planner"]
	path := "/edit/indicators/digital-economy-grdp/value"
	cases := []struct {
		lang, unit, period, value string
		want                      []string
	}{
		{"vi", "VN-SG", "2025", "12.5", []string{"Không phải số hợp lệ. Viết số kiểu Việt Nam, ví dụ 12,5", `value="12.5"`}},
		{"en", "VN-SG", "2025", "12,5", []string{"Not a valid number. Write numbers in English notation, e.g. 12.5", `value="12,5"`}},
		{"vi", "VN-SG", "2025", "", []string{"Vui lòng nhập mục này."}},
		{"en", "VN-SG", "2025", "", []string{"Please fill in this field."}},
		{"vi", "VN-SG", "2025", "120", []string{"Giá trị phải từ 0 đến 100."}},
		{"en", "VN-SG", "2025", "-3", []string{"The value must be between 0 and 100."}},
		{"vi", "VN-SG", "2025-05", "12,5", []string{"Chỉ tiêu này báo cáo hằng năm: viết kỳ dạng 2026.", `value="2025-05"`}},
		{"en", "VN-SG", "2025-Q2", "12.5", []string{"This indicator is yearly: write the period as 2026."}},
		{"vi", "VN-SG", "2027", "12,5", []string{"Kỳ 2027 chưa bắt đầu"}},
		{"en", "VN-SG", "20x5", "12.5", []string{"Write the period as 2026, 2026-Q3 or 2026-05."}},
	}
	sum := fileSum(t, s)
	for _, c := range cases {
		p.Get(t, path+"?lang="+c.lang)
		code, body := p.Post(t, path, url.Values{"unit": {c.unit}, "period": {c.period}, "value": {c.value}, "note": {"ghi chú giữ lại"}})
		if code != 422 {
			t.Errorf("%s %q/%q: %d, want 422", c.lang, c.period, c.value, code)
		}
		for _, w := range append(c.want, "ghi chú giữ lại", `aria-invalid="true"`) {
			if !strings.Contains(body, w) {
				t.Errorf("%s %q/%q: no %q in the page", c.lang, c.period, c.value, w)
			}
		}
	}
	if fileSum(t, s) != sum {
		t.Fatal("refused forms changed the database")
	}
	// The same number in each language's notation is accepted.
	for _, c := range []struct{ lang, period, value string }{{"vi", "2024", "1.234,5"}, {"en", "2025", "1,234.5"}} {
		p.Get(t, "/edit/indicators/poverty-funds/value?unit=VN-51&lang="+c.lang)
		if code, body := p.Post(t, "/edit/indicators/poverty-funds/value", url.Values{"unit": {"VN-51"}, "period": {c.period}, "value": {c.value}}); code != 303 {
			t.Fatalf("%s %s: %d %s", c.lang, c.value, code, apptest.Between(body, `class="field-error"`, "</p>"))
		}
		if o := observation(t, s, "poverty-funds", "VN-51", c.period); o == nil || o.Value != 1234.5 {
			t.Errorf("%s %q stored as %+v, want 1234.5", c.lang, c.value, o)
		}
	}
}

func TestIndicatorAndTargetFormsRefuseBadInput(t *testing.T) {
	s, tm := startTeam(t, apptest.Options{})
	p := tm["planner"]
	sum := fileSum(t, s)
	p.Get(t, "/edit/indicators/new")
	code, body := p.Post(t, "/edit/indicators", url.Values{"code": {"dvc-l34-online"}, "name_vi": {"Tên"}, "name_en": {""},
		"pillar": {"digital-government"}, "measure": {"%"}, "direction": {"higher"}, "frequency": {"year"}, "decimals": {"1"}, "limit": {"1,5,0"}})
	for _, w := range []string{"Mã “dvc-l34-online” đã được dùng", "Vui lòng nhập mục này.", "Không phải số hợp lệ", `value="1,5,0"`} {
		if code != 422 || !strings.Contains(body, w) {
			t.Errorf("indicator form: %d, no %q", code, w)
		}
	}
	p.Get(t, "/edit/indicators/new?lang=en")
	_, body = p.Post(t, "/edit/indicators", url.Values{"code": {"Bad Code"}, "pillar": {"nope"}, "direction": {"up"}, "decimals": {"x"}})
	for _, w := range []string{"A code has only letters without accents", "There is no pillar with code “nope”", "Please choose an item", "Please enter a whole number."} {
		if !strings.Contains(body, w) {
			t.Errorf("indicator form in English: no %q", w)
		}
	}
	tp := "/edit/indicators/khmer-poor-rate-reduction/targets"
	p.Get(t, tp+"?unit=VN-51&lang=vi")
	code, body = p.Post(t, tp, url.Values{"unit": {"VN-51"}, "year": {"2025"}, "comparator": {"between"}, "value": {"3"}, "value_max": {"2"}, "source": {""}})
	for _, w := range []string{"Giá trị tối đa phải lớn hơn hoặc bằng giá trị tối thiểu.", "Vui lòng nhập mục này."} {
		if code != 422 || !strings.Contains(body, w) {
			t.Errorf("target form: %d, no %q", code, w)
		}
	}
	// Revising an existing target needs a reason.
	_, body = p.Post(t, tp, url.Values{"unit": {"VN-51"}, "year": {"2020"}, "comparator": {"between"}, "value": {"2"}, "value_max": {"4"}, "source": {"QĐ 1/QĐ-UBND"}})
	if !strings.Contains(body, "Vui lòng ghi lý do thay đổi.") {
		t.Error("a revision without a reason was not refused")
	}
	if fileSum(t, s) != sum {
		t.Fatal("refused forms changed the database")
	}
}

// gridForm is a grid post with the CSRF token and the range.
func gridForm(from, to string, cells map[string]string) url.Values {
	f := url.Values{"from": {from}, "to": {to}}
	for k, v := range cells {
		f.Set(k, v)
	}
	return f
}

// withConfirm ticks the grid's confirmation of deleting stored values.
func withConfirm(f url.Values) url.Values {
	f.Set("confirm_delete", "1")
	return f
}

func TestRejectedGridLeavesTheDatabaseByteForByte(t *testing.T) {
	s, tm := startTeam(t, apptest.Options{Demo: true})
	p := tm["planner"]
	path := "/edit/indicators/digital-economy-grdp/grid"
	if code, body := p.Get(t, path+"?from=2021&to=2026"); code != 200 || !strings.Contains(body, `name="v|VN-SG|2025" value="22"`) {
		t.Fatalf("grid page: %d", code)
	}
	sum := fileSum(t, s)
	code, body := p.Post(t, path, gridForm("2021", "2026", map[string]string{
		"v|VN-SG|2025": "23,5", "v|T-D1|2024": "30", "v|T-D2|2023": "", "v|VN-51|2025": "abc", "v|T-D1-W1|2024": "150",
	}))
	if code != 422 {
		t.Fatalf("grid with bad cells: %d", code)
	}
	for _, w := range []string{"Chưa lưu gì: 2 ô cần sửa", `value="abc"`, `value="23,5"`, `value="150"`, "Giá trị phải từ 0 đến 100."} {
		if !strings.Contains(body, w) {
			t.Errorf("refused grid: no %q", w)
		}
	}
	if fileSum(t, s) != sum {
		t.Fatal("a refused grid changed the database file")
	}
	// The same grid corrected is stored in full, and the dashboard follows.
	code, _ = p.Post(t, path, gridForm("2021", "2026", map[string]string{
		"v|VN-SG|2025": "23,5", "v|T-D1|2024": "30", "v|VN-51|2025": "1,5", "v|T-D1-W1|2024": "15", "v|VN-SG|2020": "99",
		"note": "số liệu sơ bộ", "source": "Báo cáo 12/BC-STTTT",
	}))
	if code != 303 {
		t.Fatalf("corrected grid: %d", code)
	}
	if o := observation(t, s, "digital-economy-grdp", "VN-SG", "2025"); o == nil || o.Value != 23.5 || o.Demo || o.Source != "Báo cáo 12/BC-STTTT" || o.Note != "số liệu sơ bộ" {
		t.Errorf("stored cell: %+v", o)
	}
	if o := observation(t, s, "digital-economy-grdp", "VN-SG", "2020"); o == nil || o.Value != 14.5 {
		t.Errorf("a cell outside the range shown was changed: %+v", o)
	}
	if n := count(t, s, "observation_history", "period = ?", "2025"); n != 1 {
		t.Errorf("%d history rows for the changed 2025 value, want 1", n)
	}
	var a []assessment
	getJSON(t, s, "/api/v1/assessments?unit=VN-SG&year=2030", &a)
	for _, r := range a {
		if r.Indicator == "digital-economy-grdp" && (r.CurrentYear == nil || *r.CurrentYear != 2025) {
			t.Errorf("API assessment not updated: %+v", r)
		}
	}
	var ind struct {
		Observations []struct {
			Unit   string  `json:"unit"`
			Period string  `json:"period"`
			Value  float64 `json:"value"`
		} `json:"observations"`
	}
	getJSON(t, s, "/api/v1/indicators/digital-economy-grdp", &ind)
	found := false
	for _, o := range ind.Observations {
		found = found || (o.Unit == "VN-SG" && o.Period == "2025" && o.Value == 23.5)
	}
	if !found {
		t.Error("the API does not show the new value")
	}
	// Emptying a cell deletes the value only once confirmed (a typo fix
	// once deleted a value silently), names it, and keeps it in the history.
	p.Get(t, path)
	code, body = p.Post(t, path, gridForm("2021", "2026", map[string]string{"v|T-D1|2024": ""}))
	if code != 422 || !strings.Contains(body, "1 ô đã xóa trắng có giá trị đã lưu") || !strings.Contains(body, "2024 (30)") {
		t.Errorf("emptying a cell without confirming: %d", code)
	}
	if observation(t, s, "digital-economy-grdp", "T-D1", "2024") == nil {
		t.Fatal("an unconfirmed deletion deleted")
	}
	if code, _ := p.Post(t, path, withConfirm(gridForm("2021", "2026", map[string]string{"v|T-D1|2024": ""}))); code != 303 {
		t.Fatalf("emptying a cell: %d", code)
	}
	if _, body := p.Get(t, path); !strings.Contains(body, "Đã lưu 1 thay đổi: 0 giá trị mới, 0 giá trị sửa, 1 giá trị xóa.") {
		t.Error("the summary does not name the deletion")
	}
	if observation(t, s, "digital-economy-grdp", "T-D1", "2024") != nil {
		t.Error("the emptied cell's value is still stored")
	}
	var h models.ObservationHistory
	if err := s.Store.DB().Where("change = ? AND period = ?", "delete", "2024").First(&h).Error; err != nil || h.Value != 30 {
		t.Errorf("deleted value not in history: %+v %v", h, err)
	}
}

func TestScopedPlannerEditsOnlyTheirUnits(t *testing.T) {
	s, tm := startTeam(t, apptest.Options{})
	p := tm["scoped"]
	code, body := p.Get(t, "/edit/indicators/digital-economy-grdp/grid")
	if code != 200 || !strings.Contains(body, "v|T-D1|") || !strings.Contains(body, "v|T-D1-W1|") || strings.Contains(body, "v|T-D2|") || strings.Contains(body, "v|VN-SG|") {
		t.Fatalf("scoped grid shows other units (%d)", code)
	}
	// A cell of another unit slipped into the post is ignored, not stored.
	p.Post(t, "/edit/indicators/digital-economy-grdp/grid", gridForm("", "", map[string]string{"v|T-D1-W1|2025": "40", "v|VN-SG|2025": "41"}))
	if observation(t, s, "digital-economy-grdp", "T-D1-W1", "2025") == nil || observation(t, s, "digital-economy-grdp", "VN-SG", "2025") != nil {
		t.Error("scoped grid stored outside the scope, or not inside it")
	}
	for _, path := range []string{"/edit/indicators/digital-economy-grdp/value", "/edit/indicators/digital-economy-grdp/targets"} {
		code, _ := p.Post(t, path, url.Values{"unit": {"T-D2"}, "period": {"2025"}, "value": {"5"}, "year": {"2030"}})
		if code != 403 {
			t.Errorf("%s for a unit outside the scope: %d, want 403", path, code)
		}
	}
	if code, _ := p.Get(t, "/edit/indicators/digital-economy-grdp/value?unit=VN-SG"); code != 403 {
		t.Errorf("value form of the parent unit: %d, want 403", code)
	}
}

func TestRevisionsHistoryAndAuditForEveryChange(t *testing.T) {
	s, tm := startTeam(t, apptest.Options{})
	p := tm["planner"]
	p.Get(t, "/edit/indicators/new")
	code, _ := p.Post(t, "/edit/indicators", url.Values{"code": {"wifi-coverage"}, "name_vi": {"Phủ sóng wifi công cộng"}, "name_en": {"Public wifi coverage"},
		"pillar": {"digital-infrastructure"}, "measure": {"%"}, "direction": {"higher"}, "frequency": {"year"}, "decimals": {"1"}, "limit": {"100"}})
	if code != 303 {
		t.Fatalf("create indicator: %d", code)
	}
	tp := "/edit/indicators/wifi-coverage/targets"
	steps := []url.Values{
		{"unit": {"VN-SG"}, "year": {"2030"}, "comparator": {"at_least"}, "value": {"45"}, "baseline_year": {"2020"}, "baseline_value": {"10"}, "source": {"Quyết định 100/QĐ-UBND ngày 2/1/2024"}},
		{"unit": {"VN-SG"}, "year": {"2030"}, "comparator": {"at_least"}, "value": {"40"}, "baseline_year": {"2020"}, "baseline_value": {"10"}, "source": {"Quyết định 200/QĐ-UBND ngày 5/6/2026"}, "reason": {"điều chỉnh theo nguồn lực"}},
		{"unit": {"VN-SG"}, "year": {"2030"}, "comparator": {"at_least"}, "value": {"50"}, "baseline_year": {"2020"}, "baseline_value": {"10"}, "source": {"Quyết định 300/QĐ-UBND"}, "reason": {"nâng mục tiêu"}},
	}
	for i, f := range steps {
		p.Get(t, tp+"?unit=VN-SG")
		if code, body := p.Post(t, tp, f); code != 303 {
			t.Fatalf("target step %d: %d %s", i, code, apptest.Between(body, `class="field-error"`, "</p>"))
		}
	}
	var revs []models.Target
	s.Store.DB().Joins("JOIN indicators ON indicators.id = targets.indicator_id").Where("indicators.code = ?", "wifi-coverage").Order("revision").Find(&revs)
	if len(revs) != 3 || revs[0].SupersededAt == nil || revs[1].SupersededAt == nil || revs[2].SupersededAt != nil ||
		revs[2].Revision != 3 || revs[1].Reason != "điều chỉnh theo nguồn lực" || revs[0].Value != 45 {
		t.Fatalf("revisions: %+v", revs)
	}
	today := "26/11/2026"
	_, body := s.Get(t, "/indicators/wifi-coverage?unit=VN-SG")
	for _, w := range []string{"Lịch sử mục tiêu", "Hạ từ 45 % xuống 40 % (mốc 2030) ngày " + today, "Nâng từ 40 % lên 50 %", "lý do: điều chỉnh theo nguồn lực", "Quyết định 200/QĐ-UBND"} {
		if !strings.Contains(body, w) {
			t.Errorf("indicator page: no %q", w)
		}
	}
	_, body = s.Get(t, "/indicators/wifi-coverage?unit=VN-SG&lang=en")
	if !strings.Contains(body, "Lowered from 45 % to 40 % (milestone 2030) on 26 Nov 2026") {
		t.Error("English target history missing")
	}
	// Withdraw, then values by form, grid and API.
	p.Post(t, tp+"/withdraw", url.Values{"unit": {"VN-SG"}, "year": {"2030"}, "reason": {"thay bằng chỉ tiêu khác"}})
	p.Get(t, "/edit/indicators/wifi-coverage/value")
	p.Post(t, "/edit/indicators/wifi-coverage/value", url.Values{"unit": {"VN-SG"}, "period": {"2024"}, "value": {"30"}})
	p.Post(t, "/edit/indicators/wifi-coverage/value", url.Values{"unit": {"VN-SG"}, "period": {"2024"}, "value": {"31"}, "note": {"sửa"}})
	p.Post(t, "/edit/indicators/wifi-coverage/grid", withConfirm(gridForm("2021", "2026", map[string]string{"v|VN-SG|2025": "35", "v|VN-SG|2024": ""})))
	api := apiToken(t, s, "planner")
	apiDo(t, s, api, "POST", "/api/v1/observations", `{"indicator":"wifi-coverage","unit":"VN-SG","period":"2026","value":38,"note":"API"}`, 201)
	p.Post(t, "/edit/indicators/wifi-coverage/retire", nil)

	var entries []models.AuditEntry
	s.Store.DB().Where("entity IN ?", []string{"indicator", "target", "observation"}).Order("id").Find(&entries)
	var got []string
	for _, e := range entries {
		got = append(got, e.Entity+":"+e.Action+":"+e.Via)
		if e.Username != "planner" || e.Address != "127.0.0.1" || e.At.IsZero() {
			t.Errorf("audit entry without who/where/when: %+v", e)
		}
	}
	want := []string{"indicator:create:form", "target:create:form", "target:update:form", "target:update:form", "target:delete:form",
		"observation:create:form", "observation:update:form", "observation:delete:grid", "observation:create:grid",
		"observation:create:api", "indicator:retire:form"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("audit log:\n got %v\nwant %v", got, want)
	}
	upd := entries[6]
	if !strings.Contains(upd.Before, `"value":30`) || !strings.Contains(upd.After, `"value":31`) {
		t.Errorf("update entry lacks before/after: %+v", upd)
	}
	if n := count(t, s, "observation_history", ""); n != 2 {
		t.Errorf("%d history rows, want 2 (one change, one deletion)", n)
	}
	// The audit page filters and never offers to edit.
	a := tm["analyst"]
	code, body = a.Get(t, "/audit?user=planner&entity=observation&action=update&from=2020-01-01&to=2100-01-01")
	if code != 200 || !strings.Contains(body, "wifi-coverage/VN-SG/2024") || strings.Contains(body, "target/") || strings.Contains(body, `method="post" action="/audit`) {
		t.Errorf("filtered audit page: %d", code)
	}
	if !strings.Contains(body, "1 mục") || !strings.Contains(body, "Biểu mẫu") {
		t.Error("audit page: count or via missing")
	}
	// Readable: names with the codes on hover, numbers in the page's format,
	// comparators and booleans in words, times with their zone.
	_, vi := a.Get(t, "/audit?entity=target")
	_, en := a.Get(t, "/audit?entity=target&lang=en")
	for _, c := range []struct {
		page        string
		has, hasNot []string
	}{
		{vi, []string{`title="wifi-coverage/VN-SG/2030"`, "TP Hồ Chí Minh — 2030", "Ít nhất (≥)", "GMT&#43;7", "múi giờ Asia/Ho_Chi_Minh", "Loại mục tiêu", "Mỗi năm"},
			[]string{"at_least", "map[", ">comparator<", "</span>true<", "</span>false<"}},
		{en, []string{"Ho Chi Minh City — 2030", "At least (≥)", "GMT&#43;7", "Asia/Ho_Chi_Minh time zone", "Kind of target"}, []string{"at_least", "map["}},
	} {
		hasAndLacks(t, "audit page", c.page, c.has, c.hasNot)
	}
	_, obs := a.Get(t, "/audit?entity=observation&action=update")
	if !strings.Contains(obs, "<del><span class=\"sr-only\">trước: </span>30</del>") && !strings.Contains(obs, ">30</del>") {
		t.Errorf("audit page: the old value is not shown as a number")
	}
	var log struct {
		Entries []models.AuditEntry `json:"entries"`
		Total   int                 `json:"total"`
	}
	resp, raw := a.Do(t, "GET", "/api/v1/audit?entity=target", "", nil)
	if json.Unmarshal([]byte(raw), &log); resp.StatusCode != 200 || log.Total != 4 {
		t.Errorf("audit API: %d, %d target entries, want 4", resp.StatusCode, log.Total)
	}
}
