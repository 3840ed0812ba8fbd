package handlers_test

import (
	"encoding/json"
	"html"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"tiendo/apptest"
	"tiendo/models"
	"tiendo/seed"
)

var chartOptions = regexp.MustCompile(`id="(trajectory|embed-chart|ranked)" data-chart data-options="([^"]*)"`)

// seriesNames are the names of the series of the page's first chart with
// one of the ids above.
func seriesNames(t *testing.T, page string) []string {
	t.Helper()
	m := chartOptions.FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no chart on the page")
	}
	var o struct {
		Series []struct {
			Name string `json:"name"`
		} `json:"series"`
	}
	if err := json.Unmarshal([]byte(html.UnescapeString(m[2])), &o); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, s := range o.Series {
		names = append(names, s.Name)
	}
	return names
}

var valueRow = regexp.MustCompile(`<tr><th scope="row">([^<]+)</th><td>([^<]*)</td><td class="num">([^<]+)`)

// tableRows are the rows of the values table with a breakdown column:
// "period | breakdown | value".
func tableRows(page string) []string {
	var rows []string
	for _, m := range valueRow.FindAllStringSubmatch(page, -1) {
		rows = append(rows, m[1]+" | "+m[2]+" | "+m[3])
	}
	return rows
}

func explorerPath(lang string, values ...string) string {
	q := url.Values{"unit": {"VN-51"}, "lang": {lang}, "bd": values}
	return "/indicators/gso-poverty-rate?" + q.Encode()
}

// TestExplorerDrawsAndListsTheChosenBreakdowns: every stored breakdown
// whose values are all ticked is a series beside the total and rows of the
// table, named in the page's language, numbers in its notation.
func TestExplorerDrawsAndListsTheChosenBreakdowns(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	s.AddTestBreakdowns(t)

	code, page := s.Get(t, explorerPath("vi"))
	if code != 200 {
		t.Fatalf("%d", code)
	}
	for _, want := range []string{`data-explorer`, `<legend>Giới tính</legend>`, `<legend>Thành thị/nông thôn</legend>`,
		`name="bd" value="SEX=F"`, `name="bd" value="URBANISATION=R"`, "Giá trị đã chọn: 0 · phân tổ đang hiển thị: 0", "<th scope=\"col\">Phân tổ</th>"} {
		if !strings.Contains(page, want) {
			t.Errorf("nothing chosen: no %s", want)
		}
	}
	if got := seriesNames(t, page); len(got) != 1 {
		t.Errorf("nothing chosen: series %q, want the total's", got)
	}
	if rows := tableRows(page); len(rows) == 0 || strings.Contains(strings.Join(rows, "\n"), "Nông thôn") {
		t.Errorf("nothing chosen: rows %q", rows)
	}

	for _, tc := range []struct {
		lang   string
		chosen []string
		series []string // beside the total
		rows   []string // some rows of the table, in order
		count  string
	}{
		{"vi", []string{"URBANISATION=U", "URBANISATION=R"}, []string{"Thành thị", "Nông thôn"},
			[]string{"2015 | Tổng | 12 %", "2015 | Thành thị | 7,2", "2015 | Nông thôn | 13,5", "2014 | Tổng | 13,9"}, "Giá trị đã chọn: 2 · phân tổ đang hiển thị: 2"},
		{"en", []string{"URBANISATION=R", "SEX=F"}, []string{"Female", "Rural", "Female · Rural"},
			[]string{"2015 | Total | 12 %", "2015 | Female | 12.4", "2015 | Rural | 13.5", "2015 | Female · Rural | 14.1"}, "Values chosen: 2 · breakdowns shown: 3"},
		{"vi", []string{"sex=m"}, []string{"Nam"}, []string{"2015 | Tổng | 12 %", "2015 | Nam | 11,6"}, "Giá trị đã chọn: 1 · phân tổ đang hiển thị: 1"},
	} {
		code, page := s.Get(t, explorerPath(tc.lang, tc.chosen...))
		if code != 200 {
			t.Fatalf("%v: %d", tc.chosen, code)
		}
		got := seriesNames(t, page)
		if len(got) < 1+len(tc.series) || strings.Join(got[1:1+len(tc.series)], "|") != strings.Join(tc.series, "|") {
			t.Errorf("%s %v: series %q, want the total then %q", tc.lang, tc.chosen, got, tc.series)
		}
		rows := strings.Join(tableRows(page), "\n")
		at := 0
		for _, r := range tc.rows {
			i := strings.Index(rows[at:], r)
			if i < 0 {
				t.Errorf("%s %v: no row %q after the rows before it in\n%s", tc.lang, tc.chosen, r, rows)
				break
			}
			at += i
		}
		if !strings.Contains(page, tc.count) {
			t.Errorf("%s %v: no %q", tc.lang, tc.chosen, tc.count)
		}
		for _, v := range tc.chosen {
			if !regexp.MustCompile(`(?i)value="` + regexp.QuoteMeta(v) + `" checked`).MatchString(page) {
				t.Errorf("%s: %s not ticked", tc.lang, v)
			}
		}
	}
}

// TestExplorerChoiceIsPartOfTheStoredAnswer: the same choice in any order
// is one stored answer, another choice another, and a new breakdown value
// shows at once.
func TestExplorerChoiceIsPartOfTheStoredAnswer(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	s.AddTestBreakdowns(t)
	_, a := s.Get(t, "/indicators/gso-poverty-rate?unit=VN-51&bd=SEX%3DF&bd=SEX%3DM")
	_, b := s.Get(t, "/indicators/gso-poverty-rate?bd=SEX%3DM&unit=VN-51&bd=SEX%3DF&x=1")
	_, c := s.Get(t, "/indicators/gso-poverty-rate?unit=VN-51&bd=SEX%3DF")
	if a != b {
		t.Error("the same choice in another order gave another answer")
	}
	if a == c || len(seriesNames(t, c)) != 2 || len(seriesNames(t, a)) != 3 {
		t.Errorf("F and M: %q; F: %q", seriesNames(t, a), seriesNames(t, c))
	}
	s.AddBreakdowns(t, "gso-poverty-rate", []string{"SEX", "URBANISATION"},
		apptest.Part{Unit: "VN-51", Period: "2016", Breakdown: "SEX=F", Value: 10.26})
	if _, page := s.Get(t, "/indicators/gso-poverty-rate?unit=VN-51&bd=SEX%3DF"); !strings.Contains(strings.Join(tableRows(page), "\n"), "2016 | Nữ | 10,3") {
		t.Errorf("the new value is not shown: %q", tableRows(page))
	}
}

// TestExplorerRefusesUnknownValues: a value the indicator is not broken
// down by is refused with a message in the reader's language.
func TestExplorerRefusesUnknownValues(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	s.AddTestBreakdowns(t)
	for _, tc := range []struct{ path, want string }{
		{explorerPath("vi", "SEX=X"), "Chỉ tiêu này không có giá trị phân tổ “SEX=X”."},
		{explorerPath("en", "AGE=Y15T24"), "This indicator has no breakdown value “AGE=Y15T24”."},
		{explorerPath("en", "SEX"), "This indicator has no breakdown value “SEX”."},
		{"/indicators/5g-coverage?unit=VN-SG&bd=SEX%3DF&lang=en", "This indicator has no breakdown value “SEX=F”."},
	} {
		code, page := s.Get(t, tc.path)
		if code != 400 || !strings.Contains(page, tc.want) {
			t.Errorf("%s: %d, want 400 saying %q", tc.path, code, tc.want)
		}
	}
}

// TestPagesWithoutBreakdownsStayAsTheyWere: an indicator with no
// breakdown has no explorer and no breakdown column.
func TestPagesWithoutBreakdownsStayAsTheyWere(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	s.AddTestBreakdowns(t)
	for _, path := range []string{"/indicators/gso-poverty-rate?unit=VN-SG", "/indicators/khmer-poor-households-rate?unit=VN-51",
		"/embed/indicators/gso-poverty-rate?unit=VN-SG"} {
		code, page := s.Get(t, path)
		if code != 200 || strings.Contains(page, "data-explorer ") || strings.Contains(page, "breakdown-values") {
			t.Errorf("%s: %d, with an explorer or a breakdown column", path, code)
		}
	}
}

// TestEmbedDrawsTheChosenBreakdowns: the embed honours the same choice and
// carries it to the full page it links to.
func TestEmbedDrawsTheChosenBreakdowns(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	s.AddTestBreakdowns(t)
	code, page := s.Get(t, "/embed/indicators/gso-poverty-rate?unit=VN-51&lang=en&bd=URBANISATION%3DR")
	if code != 200 {
		t.Fatalf("%d", code)
	}
	if got := seriesNames(t, page); len(got) < 2 || got[1] != "Rural" {
		t.Errorf("series %q", got)
	}
	if !strings.Contains(page, `bd=URBANISATION%3DR`) || !strings.Contains(page, `data-explorer`) {
		t.Error("the embed's link or explorer lost the choice")
	}
}

// TestCompareRanksUnitsOnOneBreakdown: the compare page offers the
// indicator's breakdowns and ranks the units having a value of the one
// chosen, without the total's target and statuses.
func TestCompareRanksUnitsOnOneBreakdown(t *testing.T) {
	s := apptest.Start(t, apptest.Options{Demo: true})
	s.AddBreakdowns(t, "fibre-coverage", []string{"URBANISATION"},
		apptest.Part{Unit: seed.DistrictCode("764"), Period: "2024", Breakdown: "URBANISATION=U", Value: 97},
		apptest.Part{Unit: seed.DistrictCode("764"), Period: "2024", Breakdown: "URBANISATION=R", Value: 80.5},
		apptest.Part{Unit: seed.DistrictCode("783"), Period: "2025", Breakdown: "URBANISATION=R", Value: 60.2})
	base := "/compare?unit=VN-SG&year=2030&indicator=fibre-coverage&lang=vi"
	code, page := s.Get(t, base)
	if code != 200 {
		t.Fatalf("%d", code)
	}
	for _, want := range []string{`<select id="breakdown" name="breakdown"`, `<option value="" selected>Tổng</option>`,
		`<option value="URBANISATION=U">Thành thị</option>`, `<option value="URBANISATION=R">Nông thôn</option>`} {
		if !strings.Contains(page, want) {
			t.Errorf("totals: no %s", want)
		}
	}
	totalBars := rankedUnits(t, page)
	code, page = s.Get(t, base+"&breakdown=URBANISATION%3DR")
	if code != 200 {
		t.Fatalf("%d", code)
	}
	got := rankedUnits(t, page)
	if len(got) != 2 || !strings.Contains(got[0], "Gò Vấp") || !strings.Contains(got[1], "Củ Chi") || len(totalBars) <= 2 {
		t.Errorf("ranked on rural: %q (totals: %q)", got, totalBars)
	}
	for _, want := range []string{`<option value="URBANISATION=R" selected>Nông thôn</option>`, "Xếp hạng theo phân tổ Nông thôn", "80,5 % (2024)"} {
		if !strings.Contains(page, want) {
			t.Errorf("rural: no %s", want)
		}
	}
	if share := regexp.MustCompile(`<a href="([^"]*)" data-share>`).FindStringSubmatch(page); share == nil || !strings.Contains(share[1], "breakdown=URBANISATION%3DR") {
		t.Errorf("the link to share loses the breakdown: %q", share)
	}
	if strings.Contains(page, `"markLine"`) {
		t.Error("a breakdown is ranked against the total's target")
	}
	code, page = s.Get(t, base+"&breakdown=URBANISATION%3DX")
	if code != 400 || !strings.Contains(page, "Chỉ tiêu này không có phân tổ “URBANISATION=X”.") {
		t.Errorf("an unknown breakdown: %d", code)
	}
}

// rankedUnits are the categories of the ranked bars, best first.
func rankedUnits(t *testing.T, page string) []string {
	t.Helper()
	m := regexp.MustCompile(`id="ranked" data-chart data-options="([^"]*)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no ranked chart")
	}
	var o struct {
		YAxis []struct {
			Data []string `json:"data"`
		} `json:"yAxis"`
	}
	if err := json.Unmarshal([]byte(html.UnescapeString(m[1])), &o); err != nil {
		t.Fatal(err)
	}
	return o.YAxis[0].Data
}

// TestValueFormAndGridEnterABreakdown: the planner's picker sends a value
// to its breakdown, beside the total; a value the dimension does not have
// is refused by the model's one rule, with a message, storing nothing.
func TestValueFormAndGridEnterABreakdown(t *testing.T) {
	s, tm := startTeam(t, apptest.Options{})
	s.AddTestBreakdowns(t)
	planner := tm["planner"]
	ind, _ := s.Store.IndicatorByCode("gso-poverty-rate")
	unit, _ := s.Store.UnitByCode("VN-51")
	stored := func(breakdown, period string) (float64, bool) {
		vals, err := s.Store.BreakdownValues(ind.ID, unit.ID, breakdown)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range vals {
			if v.Breakdown == breakdown && v.Period == period {
				return v.Value, true
			}
		}
		return 0, false
	}
	total := func() float64 {
		obs, err := s.Store.ObservationsOf(ind.ID)
		if err != nil {
			t.Fatal(err)
		}
		return obs[unit.ID]["2015"].Value
	}

	code, page := planner.Get(t, "/edit/indicators/gso-poverty-rate/value?unit=VN-51&period=2015&bd_URBANISATION=R")
	if code != 200 || !strings.Contains(page, `value="13,46"`) || !strings.Contains(page, `<option value="R" selected>Nông thôn</option>`) {
		t.Fatalf("value form of a breakdown: %d, not filled with 13,46 and Nông thôn", code)
	}
	if !strings.Contains(page, "Đây là lịch sử của số liệu tổng") {
		t.Error("the total's history is not said to be the total's")
	}
	code, _ = planner.Post(t, "/edit/indicators/gso-poverty-rate/value", url.Values{"unit": {"VN-51"}, "period": {"2015"},
		"value": {"13,2"}, "bd_URBANISATION": {"R"}, "bd_SEX": {"F"}})
	if v, ok := stored("SEX=F;URBANISATION=R", "2015"); code != 303 || !ok || v != 13.2 || total() != 12 {
		t.Errorf("saved: %d, women in rural areas %v (%v), total %v", code, v, ok, total())
	}
	code, page = planner.Post(t, "/edit/indicators/gso-poverty-rate/value", url.Values{"unit": {"VN-51"}, "period": {"2015"},
		"value": {"1"}, "bd_URBANISATION": {"Z"}, "lang": {"en"}})
	if _, ok := stored("URBANISATION=Z", "2015"); code != 422 || ok || !strings.Contains(page, `id="f-breakdown-err"`) {
		t.Errorf("an unknown value: %d, stored %v", code, ok)
	}

	code, page = planner.Get(t, "/edit/indicators/gso-poverty-rate/grid?from=2014&to=2016&bd_URBANISATION=R")
	if code != 200 || !strings.Contains(page, `name="v|VN-51|2015" value="13,46"`) || !strings.Contains(page, "Phân tổ đang nhập: Nông thôn") ||
		!strings.Contains(page, `<input type="hidden" name="bd_URBANISATION" value="R">`) {
		t.Fatalf("grid of a breakdown: %d", code)
	}
	code, _ = planner.Post(t, "/edit/indicators/gso-poverty-rate/grid", url.Values{"from": {"2014"}, "to": {"2016"},
		"bd_URBANISATION": {"R"}, "v|VN-51|2016": {"11,3"}})
	if v, ok := stored("URBANISATION=R", "2016"); code != 303 || !ok || v != 11.3 || total() != 12 {
		t.Errorf("grid saved: %d, rural 2016 %v (%v), total %v", code, v, ok, total())
	}
}

// TestIndicatorPageShowsAssessedBreakdownsAndSumsThatDoNotAddUp: the
// breakdowns an indicator names get their status under the total's; the
// parts of a sum that miss the stored total are flagged, and the flag goes
// when they add up.
func TestIndicatorPageShowsAssessedBreakdownsAndSumsThatDoNotAddUp(t *testing.T) {
	s := apptest.Start(t, apptest.Options{Demo: true})
	s.AddBreakdowns(t, "fibre-coverage", []string{"URBANISATION"},
		apptest.Part{Unit: "VN-SG", Period: "2021", Breakdown: "URBANISATION=R", Value: 50},
		apptest.Part{Unit: "VN-SG", Period: "2023", Breakdown: "URBANISATION=R", Value: 58.5})
	ind, _ := s.Store.IndicatorByCode("fibre-coverage")
	if err := s.Store.SetAssessedBreakdowns(models.Actor{Username: "test"}, *ind, []string{"URBANISATION=R"}); err != nil {
		t.Fatal(err)
	}
	code, page := s.Get(t, "/indicators/fibre-coverage?unit=VN-SG&lang=vi")
	part := regexp.MustCompile(`<h3 class="part-statuses-h">Phân tổ được đánh giá</h3>\s*<dl class="facts part-statuses"><dt>Nông thôn</dt><dd><span class="status[^"]*"[^>]*>(.*?)</span> <span class="muted">58,5 % \(2023\)</span>`)
	if n := len(part.FindAllString(page, -1)); code != 200 || n == 0 {
		t.Errorf("assessed breakdown: %d, %d statuses of Nông thôn under the totals'", code, n)
	}
	if strings.Contains(page, "sum-warnings") {
		t.Error("a warning on an indicator that is not a sum")
	}

	s.AddBreakdowns(t, "poor-households", []string{"URBANISATION", "SEX"},
		apptest.Part{Unit: "VN-51", Period: "2020", Breakdown: "URBANISATION=U", Value: 2000},
		apptest.Part{Unit: "VN-51", Period: "2020", Breakdown: "URBANISATION=R", Value: 7000},
		apptest.Part{Unit: "VN-51", Period: "2020", Breakdown: "SEX=F", Value: 100}) // men not given: not compared
	for lang, want := range map[string]string{
		"vi": "2020: các phân tổ theo Thành thị/nông thôn cộng lại được 9.000 hộ, khác số liệu tổng 9.214 hộ.",
		"en": "2020: the breakdowns by Urban/rural add up to 9,000 households, not to the total 9,214 households.",
	} {
		_, page = s.Get(t, "/indicators/poor-households?unit=VN-51&lang="+lang)
		if !strings.Contains(page, want) || strings.Count(page, "<li>2020:") != 1 {
			t.Errorf("%s: no single warning %q", lang, want)
		}
	}
	// The text alternative of a chart without a target ends its sentence once.
	if alt := regexp.MustCompile(`<figcaption class="chart-alt">([^<]*)</figcaption>`).FindStringSubmatch(page); alt == nil || strings.Contains(alt[1], "..") {
		t.Errorf("chart alt: %q", alt)
	}
	s.AddBreakdowns(t, "poor-households", []string{"URBANISATION", "SEX"},
		apptest.Part{Unit: "VN-51", Period: "2020", Breakdown: "URBANISATION=U", Value: 2214})
	if _, page = s.Get(t, "/indicators/poor-households?unit=VN-51"); strings.Contains(page, "sum-warnings") {
		t.Error("parts that add up are flagged")
	}
}

// TestExplorerMarksVietnameseNames: an ethnic group's name, the same in
// both languages, is marked Vietnamese on the English page.
func TestExplorerMarksVietnameseNames(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	s.AddBreakdowns(t, "gso-poverty-rate", []string{"ETHNICITY"},
		apptest.Part{Unit: "VN-51", Period: "2015", Breakdown: "ETHNICITY=KHMER", Value: 20.5},
		apptest.Part{Unit: "VN-51", Period: "2015", Breakdown: "ETHNICITY=TAY", Value: 18})
	_, en := s.Get(t, "/indicators/gso-poverty-rate?unit=VN-51&lang=en")
	_, vi := s.Get(t, "/indicators/gso-poverty-rate?unit=VN-51&lang=vi")
	if !strings.Contains(en, `<span lang="vi">Tày</span>`) || !strings.Contains(vi, `> <span>Tày</span>`) {
		t.Error("Tày is not marked Vietnamese on the English page only")
	}
}
