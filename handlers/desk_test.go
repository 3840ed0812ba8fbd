package handlers_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"tiendo/apptest"
	"tiendo/handlers"
)

// TestPillarsAddedByAdminsAndUnscopedPlanners: the pillars page adds a
// pillar with the rule imports follow, confirms it after a redirect, and
// the indicator form offers it; a refused one changes nothing.
func TestPillarsAddedByAdminsAndUnscopedPlanners(t *testing.T) {
	s, tm := startTeam(t, apptest.Options{})
	p := tm["planner"]
	code, page := p.Get(t, "/edit/pillars")
	if code != 200 || !strings.Contains(page, "Chính quyền số") || !strings.Contains(page, `action="/edit/pillars"`) {
		t.Fatalf("pillars page: %d", code)
	}
	before := count(t, s, "pillars", "")
	resp, _ := p.Do(t, "POST", "/edit/pillars", url.Values{"csrf": {p.CSRF}, "code": {"xa-hoi-so"}, "name_vi": {"Xã hội số"}, "name_en": {"Digital society"}}.Encode(),
		map[string]string{"Content-Type": "application/x-www-form-urlencoded"})
	if resp.StatusCode != 303 || resp.Header.Get("Location") != "/edit/pillars" {
		t.Fatalf("add pillar: %d to %q, want 303 to the pillars page", resp.StatusCode, resp.Header.Get("Location"))
	}
	_, page = p.Get(t, "/edit/pillars")
	hasAndLacks(t, "pillars page after adding", page, []string{"Đã thêm trụ cột Xã hội số.", "Digital society", "<code>xa-hoi-so</code>"}, nil)
	if _, again := p.Get(t, "/edit/pillars"); strings.Contains(again, "Đã thêm trụ cột") {
		t.Error("the confirmation shows twice")
	}
	if _, form := p.Get(t, "/edit/indicators/new"); !strings.Contains(form, `value="xa-hoi-so"`) {
		t.Error("the indicator form does not offer the new pillar")
	}
	// Refused, in both languages, with nothing stored.
	code, page = p.Post(t, "/edit/pillars", url.Values{"code": {"xa-hoi-so"}, "name_vi": {""}, "name_en": {"X"}})
	hasAndLacks(t, "refused pillar", page, []string{"Chưa lưu", `id="f-code-err"`, `id="f-name_vi-err"`, `value="xa-hoi-so"`}, nil)
	if code != 422 {
		t.Errorf("refused pillar: %d, want 422", code)
	}
	code, page = tm["admin"].Post(t, "/edit/pillars?lang=en", url.Values{"code": {"a b"}, "name_vi": {"X"}, "name_en": {"X"}})
	if code != 422 || !strings.Contains(page, `id="f-code-err"`) || !strings.Contains(page, "Nothing was saved") {
		t.Errorf("refused pillar in English: %d", code)
	}
	if n := count(t, s, "pillars", ""); n != before+1 {
		t.Errorf("%d pillars, want %d", n, before+1)
	}
	if n := count(t, s, "audit_log", "entity = ? AND action = ?", "pillar", "create"); n != 1 {
		t.Errorf("%d audit entries of pillars, want 1", n)
	}
	// The edit home links to the page for those who may use it only.
	_, home := p.Get(t, "/edit")
	_, scoped := tm["scoped"].Get(t, "/edit")
	if !strings.Contains(home, `href="/edit/pillars"`) || strings.Contains(scoped, `href="/edit/pillars"`) {
		t.Error("the edit home's link to the pillars: shown to unscoped planners only")
	}
}

// TestAuditListsAnImportsChanges: an import's entry links to the values it
// changed, before and after, in the page's number format, 50 a page.
func TestAuditListsAnImportsChanges(t *testing.T) {
	_, tm := startTeam(t, apptest.Options{})
	p := tm["planner"]
	first := ownCSV(t, map[string]string{"record": "observation", "indicator": "5g-coverage", "unit": "VN-SG", "period": "2019", "value": "36"})
	if code, r := apiImport(t, p, nil, map[string][]byte{"first.csv": first}); code != 200 || !r.Committed {
		t.Fatalf("first import: %d %+v", code, r)
	}
	rows := []map[string]string{{"record": "observation", "indicator": "5g-coverage", "unit": "VN-SG", "period": "2019", "value": "41.5"}}
	for i := 0; i < 60; i++ {
		rows = append(rows, map[string]string{"record": "observation", "indicator": "fibre-coverage", "unit": "VN-SG", "period": fmt.Sprint(1960 + i), "value": "10"})
	}
	if code, r := apiImport(t, p, nil, map[string][]byte{"second.csv": ownCSV(t, rows...)}); code != 200 || !r.Committed {
		t.Fatalf("second import: %d %+v", code, r)
	}
	a := tm["analyst"]
	_, list := a.Get(t, "/audit?entity=import")
	link := regexp.MustCompile(`<a href="(/audit/\d+)">Danh sách thay đổi \(61\)</a>`).FindStringSubmatch(list)
	if link == nil {
		t.Fatalf("the import's entry has no link to its 61 changes")
	}
	code, vi := a.Get(t, link[1])
	if code != 200 {
		t.Fatalf("entry page: %d", code)
	}
	hasAndLacks(t, "import's changes (vi)", vi, []string{"61 thay đổi", "Trang 1 / 2", `rel="next"`, `title="5g-coverage/VN-SG/2019"`,
		"Phổ cập dịch vụ mạng di động 5G — TP Hồ Chí Minh — 2019", ">36</del>", ">41,5</ins>", "GMT&#43;7", "second.csv"},
		[]string{"41.5<", "map[", `rel="prev"`})
	if n := strings.Count(vi, "<td>Số liệu<br>"); n != 50 {
		t.Errorf("page 1 lists %d changes, want 50", n)
	}
	_, vi2 := a.Get(t, link[1]+"?page=2")
	if n := strings.Count(vi2, "<td>Số liệu<br>"); n != 11 || !strings.Contains(vi2, `rel="prev"`) {
		t.Errorf("page 2 lists %d changes, want 11 and a link back", n)
	}
	_, en := a.Get(t, link[1]+"?lang=en")
	hasAndLacks(t, "import's changes (en)", en, []string{"61 changes", "5G mobile coverage — Ho Chi Minh City — 2019", ">41.5</ins>", "Page 1 of 2"}, []string{"41,5<"})
	for _, bad := range []string{"/audit/999999", "/audit/abc", "/audit/99999999999999999999"} {
		if code, _ := a.Get(t, bad); code != 404 {
			t.Errorf("%s: %d, want 404", bad, code)
		}
	}
}

// TestTimesInTheConfiguredZone: -time-zone sets the zone of the times shown.
func TestTimesInTheConfiguredZone(t *testing.T) {
	s, tm := startTeam(t, apptest.Options{Config: handlers.Config{TimeZone: time.UTC}})
	tm["planner"].Post(t, "/edit/pillars", url.Values{"code": {"xa-hoi-so"}, "name_vi": {"Xã hội số"}, "name_en": {"Digital society"}})
	_, page := tm["analyst"].Get(t, "/audit?entity=pillar")
	_ = s
	hasAndLacks(t, "audit page in UTC", page, []string{"múi giờ UTC", " GMT</td>"}, []string{"GMT&#43;7"})
}

// TestUploadOffersTheCommandLinesChoices: the upload page and the API take
// the indicator of files that name none and a table mapping names to units,
// as `tiendo import --indicator --map` do.
func TestUploadOffersTheCommandLinesChoices(t *testing.T) {
	_, tm := startTeam(t, apptest.Options{})
	p := tm["planner"]
	_, page := p.Get(t, "/import")
	hasAndLacks(t, "upload page", page, []string{`name="indicator"`, `name="map"`, `<option value="fibre-coverage">`, "<code>--map</code>", "<code>--indicator</code>"}, nil)
	gso := []byte("\ufeff\"Fibre coverage by Cities, provincies and Year\"\r\n\r\n\"Cities, provincies\";\"2015\";\"2016\"\r\n\"Saigon\";12.0;15.5\r\n")
	body, ctype := multipartBody(t, map[string]string{"indicator": "fibre-coverage", "map": "Saigon,VN-SG\n", "dry_run": "1"}, map[string][]byte{"fibre.csv": gso})
	resp, js := p.Do(t, "POST", "/api/v1/import?lang=en", body, map[string]string{"Content-Type": ctype, "X-CSRF-Token": p.CSRF})
	var out struct {
		Sample []struct {
			Indicator, Unit, Period string
			Value                   float64
		} `json:"sample"`
		Error string `json:"error"`
	}
	if err := json.Unmarshal([]byte(js), &out); err != nil || resp.StatusCode != 200 {
		t.Fatalf("dry run: %d %v %.300s", resp.StatusCode, err, js)
	}
	if len(out.Sample) != 2 || out.Sample[0].Indicator != "fibre-coverage" || out.Sample[0].Unit != "VN-SG" || out.Sample[1].Value != 15.5 {
		t.Errorf("sample: %+v, want fibre-coverage of VN-SG 2015 and 2016", out.Sample)
	}
	// The page: the preview keeps the choices for the commit.
	body, ctype = multipartBody(t, map[string]string{"csrf": p.CSRF, "indicator": "fibre-coverage", "map": "Saigon,VN-SG", "preview": "1"}, map[string][]byte{"fibre.csv": gso})
	resp, page = p.Do(t, "POST", "/import?lang=vi", body, map[string]string{"Content-Type": ctype})
	hasAndLacks(t, "preview", page, []string{`value="fibre-coverage" list=`, ">Saigon,VN-SG</textarea>", `title="VN-SG">TP Hồ Chí Minh`, "15,5"}, nil)
	if resp.StatusCode != 200 {
		t.Errorf("preview: %d", resp.StatusCode)
	}
	// A bad line and an unknown code are refused, by line and by name.
	body, ctype = multipartBody(t, map[string]string{"map": "Saigon,VN-SG\nHà Nội", "dry_run": "1"}, map[string][]byte{"fibre.csv": gso})
	resp, js = p.Do(t, "POST", "/api/v1/import?lang=en", body, map[string]string{"Content-Type": ctype, "X-CSRF-Token": p.CSRF})
	if resp.StatusCode != 422 || !strings.Contains(js, "Line 2 of the name mapping") {
		t.Errorf("a bad mapping line: %d %s", resp.StatusCode, js)
	}
	body, ctype = multipartBody(t, map[string]string{"csrf": p.CSRF, "map": "Saigon,VN-XX", "indicator": "fibre-coverage", "preview": "1"}, map[string][]byte{"fibre.csv": gso})
	_, page = p.Do(t, "POST", "/import?lang=vi", body, map[string]string{"Content-Type": ctype})
	if !strings.Contains(page, "Bảng đối chiếu gán “Saigon” cho mã đơn vị “VN-XX”") {
		t.Error("an unknown unit code in the mapping is not named")
	}
}
