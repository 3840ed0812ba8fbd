package handlers_test

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"tiendo/apptest"
	"tiendo/models"
)

type apiTexts struct {
	Measure      string `json:"measure"`
	MeasureVI    string `json:"measure_vi"`
	MeasureEN    string `json:"measure_en"`
	DefinitionVI string `json:"definition_vi"`
	DefinitionEN string `json:"definition_en"`
	FormulaEN    string `json:"formula_en"`
	SourceEN     string `json:"source_en"`
}

// The API keeps measure as the symbol and adds its names; the seeded
// indicators carry what the source document says of them.
func TestAPIHasMeasureNamesAndMetadata(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	var got apiTexts
	getJSON(t, s, "/api/v1/indicators/labour-productivity-growth", &got)
	if got.Measure != "%/năm" || got.MeasureVI != "%/năm" || got.MeasureEN != "%/year" {
		t.Errorf("measure %q, names %q / %q", got.Measure, got.MeasureVI, got.MeasureEN)
	}
	if !strings.Contains(got.DefinitionVI, "năng suất lao động hằng năm tăng tối thiểu 9%") || !strings.Contains(got.DefinitionEN, "at least 9%") ||
		!strings.Contains(got.SourceEN, "000_92f0eb13c64fcbd7") {
		t.Errorf("seeded metadata: %+v", got)
	}
	if got.FormulaEN != "" {
		t.Errorf("the source gives no formula for HCMC, got %q", got.FormulaEN)
	}
	var list []apiTexts
	getJSON(t, s, "/api/v1/indicators", &list)
	for _, ind := range list {
		if ind.MeasureVI == "" || ind.MeasureEN == "" {
			t.Errorf("indicator of measure %q without names: %+v", ind.Measure, ind)
		}
	}
}

// The metadata tab shows every label, "not given" where a text is empty,
// and each text in the page's language only.
func TestMetadataTab(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	cases := []struct {
		lang string
		want []string
		not  []string
	}{
		{"vi", []string{"Định nghĩa", "Công thức tính", "Đơn vị đo", "Cơ quan báo cáo", "Nguồn số liệu", "Tần suất", "Ghi chú",
			"Chưa có thông tin", "phổ cập dịch vụ mạng di động 5G", "Hằng năm", `aria-current="page">Thông tin chỉ tiêu`}, []string{"In the source document"}},
		{"en", []string{"Definition", "Formula", "Measure", "Reporting agency", "Source", "Frequency", "Notes",
			"Not given", "universal 5G mobile network service", `aria-current="page">About this indicator`}, []string{"Theo tài liệu nguồn", "Chưa có"}},
	}
	for _, c := range cases {
		code, body := s.Get(t, "/indicators/5g-coverage?unit=VN-SG&tab=about&lang="+c.lang)
		if code != 200 {
			t.Fatalf("%s: %d", c.lang, code)
		}
		hasAndLacks(t, "metadata tab "+c.lang, body, c.want, c.not)
	}
	if code, _ := s.Get(t, "/indicators/5g-coverage?tab=nope"); code != 400 {
		t.Errorf("unknown tab: %d, want 400", code)
	}
	_, body := s.Get(t, "/indicators/5g-coverage?unit=VN-SG")
	if !strings.Contains(body, `tab=about`) || !strings.Contains(body, `class="chart-canvas"`) {
		t.Error("the data tab has no link to the metadata tab, or no chart")
	}
}

// A planner edits the texts in the indicator form and through the API; a
// text too long is refused with a message and changes nothing.
func TestPlannerEditsTexts(t *testing.T) {
	s, tm := startTeam(t, apptest.Options{})
	p := tm["planner"]
	path := "/edit/indicators/poor-households"
	_, form := p.Get(t, path)
	vals := url.Values{}
	for _, f := range []string{"code", "name_vi", "name_en", "pillar", "measure", "direction", "decimals", "frequency", "limit"} {
		vals.Set(f, formValue(t, form, f))
	}
	if vals.Get("pillar") == "" {
		vals.Set("pillar", "poverty-reduction")
	}
	vals.Set("direction", "lower")
	vals.Set("frequency", "year")
	vals.Set("measure_en", "poor households")
	vals.Set("definition_en", "Households below the poverty line.")
	vals.Set("agency_vi", "Sở Lao động – Thương binh và Xã hội")
	long := vals
	long.Set("notes_en", strings.Repeat("x", 4001))
	sum := fileSum(t, s)
	code, body := p.Post(t, path+"?lang=en", long)
	if code != 422 || !strings.Contains(body, "Too long: at most 4000 characters") {
		t.Errorf("a text too long: %d, no message", code)
	}
	if fileSum(t, s) != sum {
		t.Fatal("a refused form changed the database")
	}
	vals.Del("notes_en")
	if code, body := p.Post(t, path, vals); code != 303 {
		t.Fatalf("save: %d %s", code, body)
	}
	_, page := s.Get(t, "/indicators/poor-households?unit=VN-51&tab=about&lang=en")
	for _, w := range []string{"Households below the poverty line.", "poor households"} {
		if !strings.Contains(page, w) {
			t.Errorf("saved text %q not shown", w)
		}
	}
	_, page = s.Get(t, "/indicators/poor-households?unit=VN-51&lang=vi&tab=about")
	if !strings.Contains(page, "Sở Lao động – Thương binh và Xã hội") {
		t.Error("Vietnamese agency not shown")
	}

	token := apiToken(t, s, "planner")
	out := apiDo(t, s, token, "POST", "/api/v1/indicators", `{"code":"ho-moi","name_vi":"Hộ mới","name_en":"New households","pillar":"poverty-reduction",
		"measure":"hộ","direction":"higher","definition_vi":"Định nghĩa","definition_en":"Definition given"}`, 201)
	var got apiTexts
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if got.MeasureVI != "hộ" || got.MeasureEN != "households" || got.DefinitionEN != "Definition given" {
		t.Errorf("API create: %+v", got)
	}
	out = apiDo(t, s, token, "PUT", "/api/v1/indicators/ho-moi", `{"name_vi":"Hộ mới","name_en":"New households","pillar":"poverty-reduction",
		"measure":"hộ","direction":"higher","measure_en":"`+strings.Repeat("h", 65)+`"}`, 422)
	if !strings.Contains(out, "measure_en") {
		t.Errorf("422 without the field: %s", out)
	}
	var ind models.Indicator
	s.Store.DB().Where("code = ?", "ho-moi").First(&ind)
	if ind.DefinitionEN != "Definition given" {
		t.Error("a refused PUT changed the indicator")
	}
}

// formValue reads an input's value from a rendered form.
func formValue(t *testing.T, body, name string) string {
	t.Helper()
	i := strings.Index(body, `name="`+name+`"`)
	if i < 0 {
		return ""
	}
	rest := body[i:]
	j := strings.Index(rest, `value="`)
	if j < 0 || j > strings.Index(rest, ">") {
		return ""
	}
	rest = rest[j+len(`value="`):]
	return rest[:strings.Index(rest, `"`)]
}

// The words around a value are the reader's: units of measure and the
// reform banner.
func TestUnitsOfMeasureAndBannerInTheReadersLanguage(t *testing.T) {
	s := apptest.Start(t, apptest.Options{Demo: true})
	cases := []struct {
		path      string
		want, not []string
	}{
		{"/indicators/labour-productivity-growth?unit=VN-SG&lang=en", []string{"%/year"}, []string{"%/năm"}},
		{"/?unit=VN-51&lang=en", []string{"9,214 households", "3,652 billion VND"}, []string{" hộ", "tỷ đồng", "điểm %"}},
		{"/?unit=VN-51&lang=vi", []string{"9.214 hộ", "3.652 tỷ đồng", "Nghị quyết 202/2025/QH15"}, []string{"National Assembly", " households"}},
		{"/?unit=VN-51&lang=en", []string{"National Assembly Resolution 202/2025/QH15"}, []string{"Nghị quyết"}},
		{"/?unit=VN-SG-760", []string{"cấp huyện chấm dứt hoạt động"}, []string{"two-level"}},
	}
	for _, c := range cases {
		_, body := s.Get(t, c.path)
		hasAndLacks(t, c.path, body, c.want, c.not)
	}
}

// hasAndLacks checks that body has every string of want and none of not.
func hasAndLacks(t *testing.T, what, body string, want, not []string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(body, w) {
			t.Errorf("%s: no %q", what, w)
		}
	}
	for _, w := range not {
		if strings.Contains(body, w) {
			t.Errorf("%s shows %q", what, w)
		}
	}
}

// A viewer downloads the PDF and the workbook of what the pages show, from
// the pages and the API; the analysts' data formats stay theirs.
func TestViewerDownloadsPDFAndXLSX(t *testing.T) {
	_, tm := startTeam(t, apptest.Options{Demo: true})
	v, a := tm["viewer"], tm["analyst"]
	for _, path := range []string{"/?unit=VN-SG&year=2030", "/indicators/5g-coverage?unit=VN-SG", "/briefing?unit=VN-SG&year=2030"} {
		_, body := v.Get(t, path)
		hasAndLacks(t, "viewer's "+path, body, []string{`data-format="pdf"`, `data-format="xlsx"`}, []string{`data-format="csv"`, `data-format="json"`})
		_, body = a.Get(t, path)
		hasAndLacks(t, "analyst's "+path, body, []string{`data-format="csv"`, `data-format="json"`, `data-format="pdf"`}, nil)
	}
	for _, c := range []struct {
		format string
		code   int
		want   string
	}{{"pdf", 200, "%PDF"}, {"xlsx", 200, "PK"}, {"", 200, "%PDF"}, {"csv", 403, "Viewers may download the PDF and Excel"}, {"json", 403, "“json”"}} {
		resp, body := v.Do(t, "GET", "/api/v1/export?unit=VN-SG&year=2030&lang=en&format="+c.format, "", nil)
		if resp.StatusCode != c.code || !strings.HasPrefix(body, c.want) && !strings.Contains(body, c.want) {
			t.Errorf("viewer export %q: %d %.80q", c.format, resp.StatusCode, body)
		}
	}
	if resp, _ := a.Do(t, "GET", "/api/v1/export?unit=VN-SG&format=csv", "", nil); resp.StatusCode != 200 {
		t.Errorf("analyst CSV export: %d", resp.StatusCode)
	}
	if resp, _ := tm["anonymous"].Do(t, "GET", "/api/v1/export?format=pdf", "", nil); !refused(resp) {
		t.Errorf("anonymous export: %d", resp.StatusCode)
	}
}
