package handlers_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"tiendo/apptest"
	"tiendo/importer"
	"tiendo/models"
)

// ownCSV writes rows of our long format (column → cell) as a CSV file.
func ownCSV(t *testing.T, rows ...map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write(importer.OwnColumns)
	for _, r := range rows {
		line := make([]string, len(importer.OwnColumns))
		for i, c := range importer.OwnColumns {
			line[i] = r[c]
		}
		w.Write(line)
	}
	w.Flush()
	return buf.Bytes()
}

type importReply struct {
	Committed bool
	Problems  []struct {
		File, Column, Message string
		Row                   int
	}
	Error string
}

// apiImport posts files to the import API as c and decodes the answer.
func apiImport(t *testing.T, c *apptest.Client, fields map[string]string, files map[string][]byte) (int, importReply) {
	t.Helper()
	body, ctype := multipartBody(t, fields, files)
	resp, js := c.Do(t, "POST", "/api/v1/import?lang=en", body, map[string]string{"Content-Type": ctype, "X-CSRF-Token": c.CSRF})
	var out importReply
	if err := json.Unmarshal([]byte(js), &out); err != nil {
		t.Fatalf("import answer: %d %v %.300s", resp.StatusCode, err, js)
	}
	return resp.StatusCode, out
}

// TestImportRefusesWhatFormsRefuse: every record of a file meets the rules
// of the forms and the API; a file with one bad record imports nothing, and
// the message names the row, the column and what is wrong.
func TestImportRefusesWhatFormsRefuse(t *testing.T) {
	s, tm := startTeam(t, apptest.Options{})
	admin := tm["admin"]
	ind := func(code, decimals, limit string) map[string]string {
		return map[string]string{"record": "indicator", "indicator": code, "indicator_vi": "Chỉ tiêu " + code, "indicator_en": "Indicator " + code,
			"pillar": "digital-government", "measure": "%", "direction": "higher", "decimals": decimals, "limit": limit}
	}
	obs := func(code, period, value string) map[string]string {
		return map[string]string{"record": "observation", "indicator": code, "unit": "VN-SG", "period": period, "value": value, "source": "test"}
	}
	unit := func(code, level, parent string) map[string]string {
		return map[string]string{"record": "unit", "unit": code, "unit_vi": "Đơn vị " + code, "unit_en": "Unit " + code, "level": level, "parent": parent}
	}
	long := strings.Repeat("ư", 201)
	cases := []struct {
		name   string
		row    map[string]string
		column string
		says   string
	}{
		{"decimals 1000000000", ind("new-a", "1000000000", ""), "decimals", "between 0 and 6"},
		{"decimals -7", ind("new-b", "-7", ""), "decimals", "between 0 and 6"},
		{"limit -5", ind("new-c", "1", "-5"), "limit", "greater than 0"},
		{"code with a slash", ind("Bad Code/../x?y", "1", ""), "indicator", "only letters"},
		{"150 % on a coverage rate", obs("fibre-coverage", "2024", "150"), "value", "between 0 and 100"},
		{"-40 % on a coverage rate", obs("fibre-coverage", "2024", "-40"), "value", "between 0 and 100"},
		{"a period to come", obs("fibre-coverage", "2099", "50"), "period", "has not started"},
		{"a quarter of a yearly indicator", obs("fibre-coverage", "2020-Q2", "50"), "period", "yearly"},
		{"target 500 %", map[string]string{"record": "target", "indicator": "fibre-coverage", "unit": "VN-SG", "period": "2030", "value": "500", "source": "x"}, "value", "between 0 and 100"},
		{"level galaxy", unit("GAL-1", "galaxy", "VN-SG"), "level", "Unknown level"},
		{"a quote in a unit code", unit(`A"B`, "ward", "VN-SG"), "unit", "only letters"},
		{"a newline in a unit code", unit("A\nB", "ward", "VN-SG"), "unit", "only letters"},
		{"markup in a unit code", unit("<svg onload=alert(1)>", "ward", "VN-SG"), "unit", "only letters"},
		{"a name too long", map[string]string{"record": "unit", "unit": "LONG-1", "unit_vi": long, "level": "ward", "parent": "VN-SG"}, "unit_vi", "at most 200 characters"},
		{"a note too long", map[string]string{"record": "observation", "indicator": "fibre-coverage", "unit": "VN-SG", "period": "2024", "value": "50", "note": strings.Repeat("x", 2001)}, "note", "at most 2000"},
		{"a newline in a name", map[string]string{"record": "unit", "unit": "NL-1", "unit_vi": "a\nb", "level": "ward", "parent": "VN-SG"}, "unit_vi", "control characters"},
		{"a unit its own parent", unit("CYC-A", "ward", "CYC-A"), "parent", "below itself"},
		{"the city under its own district", unit("VN-SG", "city", "VN-SG-760"), "parent", "below itself"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := fileSum(t, s)
			file := ownCSV(t, obs("fibre-coverage", "2023", "61.5"), tc.row)
			for _, fields := range []map[string]string{nil, {"skip_invalid": "1", "missing": "create"}} {
				code, out := apiImport(t, admin, fields, map[string][]byte{"bad.csv": file})
				var found bool
				for _, p := range out.Problems {
					found = found || (p.Row == 3 && p.Column == tc.column && strings.Contains(p.Message, tc.says))
				}
				if !found {
					t.Errorf("%v: no problem at row 3, column %s saying %q: %d %+v", fields, tc.column, tc.says, code, out.Problems)
				}
				if fields == nil && (code != http.StatusUnprocessableEntity || out.Committed) {
					t.Errorf("a file with a bad row: %d committed=%v", code, out.Committed)
				}
				if fields == nil && fileSum(t, s) != before {
					t.Fatal("a refused import changed the database")
				}
			}
		})
	}
	var stored int64
	s.Store.DB().Model(&models.Indicator{}).Where("decimals > 6 OR decimals < 0").Count(&stored)
	if stored > 0 {
		t.Errorf("%d indicators with impossible decimals stored", stored)
	}
}

// TestPublishedCodesAreAccepted: the codes published sources use pass
// every door, and an indicator without a limit takes negative values.
func TestPublishedCodesAreAccepted(t *testing.T) {
	s, tm := startTeam(t, apptest.Options{})
	file := ownCSV(t,
		map[string]string{"record": "indicator", "indicator": "SI.POV.NAHC", "indicator_vi": "Tỷ lệ nghèo", "indicator_en": "Poverty headcount",
			"pillar": "poverty-reduction", "measure": "%", "direction": "lower", "decimals": "2"},
		map[string]string{"record": "observation", "indicator": "SI.POV.NAHC", "unit": "VN-SG", "period": "2022", "value": "-3.25", "source": "WB"})
	if code, out := apiImport(t, tm["planner"], nil, map[string][]byte{"wb.csv": file}); code != 200 || !out.Committed {
		t.Fatalf("published code: %d %+v", code, out)
	}
	body := `{"code":"3.2.1","name_vi":"Tử vong trẻ em","name_en":"Under-five mortality","pillar":"poverty-reduction","measure":"‰","direction":"lower","frequency":"year"}`
	resp, js := tm["planner"].Do(t, "POST", "/api/v1/indicators", body, map[string]string{"Content-Type": "application/json", "X-CSRF-Token": tm["planner"].CSRF})
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("API create 3.2.1: %d %s", resp.StatusCode, js)
	}
	if code, _ := s.Get(t, "/indicators/SI.POV.NAHC"); code != 200 {
		t.Errorf("the imported indicator's page: %d", code)
	}
}

// TestOnlyAdminsChangeTheUnitTree: a planner who could move a unit under
// their own would widen their scope; creating or moving units by import is
// for admins (and the command line), refused by name otherwise, even when
// told to skip bad rows, and the admin's changes are audited.
func TestOnlyAdminsChangeTheUnitTree(t *testing.T) {
	s, tm := startTeam(t, apptest.Options{})
	move := ownCSV(t, map[string]string{"record": "unit", "unit": "VN-SG-770", "unit_vi": "Quận 3", "unit_en": "District 3", "level": "district", "parent": "VN-SG-760"})
	create := ownCSV(t, map[string]string{"record": "unit", "unit": "NEW-W", "unit_vi": "Phường mới", "unit_en": "New ward", "level": "ward", "parent": "T-D1"})
	byName := ownCSV(t, map[string]string{"record": "observation", "indicator": "fibre-coverage", "unit": "BRAND-NEW", "unit_vi": "Phường hoàn toàn mới", "period": "2024", "value": "50", "source": "x"})
	for _, who := range []string{"planner", "scoped"} {
		tm[who].Get(t, "/edit")
	}
	for name, file := range map[string][]byte{"move": move, "create": create, "create by name": byName} {
		before := fileSum(t, s)
		code, out := apiImport(t, tm["planner"], map[string]string{"skip_invalid": "1", "missing": "create"}, map[string][]byte{"units.csv": file})
		if code != http.StatusUnprocessableEntity || out.Committed || len(out.Problems) == 0 || !strings.Contains(out.Problems[0].Message, "only an administrator") {
			t.Errorf("%s by a planner: %d %+v", name, code, out)
		}
		if fileSum(t, s) != before {
			t.Errorf("%s by a planner changed the database", name)
		}
	}
	// A planner may still rename a unit, in place.
	rename := ownCSV(t, map[string]string{"record": "unit", "unit": "VN-SG-770", "unit_vi": "Quận Ba", "unit_en": "District 3", "level": "district", "parent": "VN-SG"})
	if code, out := apiImport(t, tm["planner"], nil, map[string][]byte{"rename.csv": rename}); code != 200 || !out.Committed {
		t.Errorf("rename by a planner: %d %+v", code, out)
	}
	if code, out := apiImport(t, tm["admin"], nil, map[string][]byte{"units.csv": move}); code != 200 || !out.Committed {
		t.Fatalf("move by an admin: %d %+v", code, out)
	}
	if n := count(t, s, "audit_log", "entity = ? AND entity_key = ? AND username = ?", "unit", "VN-SG-770", "admin"); n != 1 {
		t.Errorf("the move is audited %d times", n)
	}
	// The scoped planner of VN-SG-760 does not gain VN-SG-770 by the move of a planner.
	u, _ := s.Store.UserByUsername("planner")
	moved, _ := s.Store.UnitByCode("VN-SG-770")
	if moved.Parent == nil || moved.Parent.Code != "VN-SG-760" || u.UnitID != nil {
		t.Errorf("after the admin's move: parent %+v", moved.Parent)
	}
	// The template of the upload page is a clean import for an admin.
	_, tmpl := tm["admin"].Get(t, "/import/template.csv")
	if code, out := apiImport(t, tm["admin"], map[string]string{"dry_run": "1"}, map[string][]byte{"template.csv": []byte(tmpl)}); code != 200 || len(out.Problems) > 0 {
		t.Errorf("the template: %d %+v", code, out)
	}
}

// TestScopedPlannerImportsWithinScope: a planner scoped to a district
// imports the values of that district and its wards; a file with one row of
// another unit, or one that changes an indicator's definition, is refused
// by name and imports nothing.
func TestScopedPlannerImportsWithinScope(t *testing.T) {
	s, tm := startTeam(t, apptest.Options{})
	scoped := tm["scoped"] // T-D1 and its ward T-D1-W1
	row := func(unit, period, value string) map[string]string {
		return map[string]string{"record": "observation", "indicator": "5g-coverage", "unit": unit, "period": period, "value": value}
	}
	before := count(t, s, "observations", "1=1")

	code, out := apiImport(t, scoped, nil, map[string][]byte{"v.csv": ownCSV(t, row("T-D1", "2024", "41.5"), row("T-D2", "2024", "12"))})
	if code != http.StatusUnprocessableEntity || out.Committed || !mentions(out, "T-D2") {
		t.Fatalf("a row of another district: %d %+v", code, out)
	}
	def := map[string]string{"record": "indicator", "indicator": "5g-coverage", "indicator_vi": "Đổi tên", "indicator_en": "Renamed",
		"measure": "%", "direction": "higher", "decimals": "1", "frequency": "year", "pillar": "digital-infrastructure"}
	code, out = apiImport(t, scoped, nil, map[string][]byte{"v.csv": ownCSV(t, def, row("T-D1", "2024", "41.5"))})
	if code != http.StatusUnprocessableEntity || out.Committed || !mentions(out, "5g-coverage") {
		t.Fatalf("an indicator's definition: %d %+v", code, out)
	}
	if n := count(t, s, "observations", "1=1"); n != before {
		t.Fatalf("refused imports stored %d values", n-before)
	}

	code, out = apiImport(t, scoped, nil, map[string][]byte{"v.csv": ownCSV(t, row("T-D1", "2024", "41.5"), row("T-D1-W1", "2024", "38"))})
	if code != http.StatusOK || !out.Committed {
		t.Fatalf("values of the planner's own units: %d %+v", code, out)
	}
	if n := count(t, s, "observations", "1=1"); n != before+2 {
		t.Errorf("%d values stored, want 2", n-before)
	}
}

// mentions reports whether an import answer names code in a problem.
func mentions(r importReply, code string) bool {
	for _, p := range r.Problems {
		if strings.Contains(p.Message, code) {
			return true
		}
	}
	return strings.Contains(r.Error, code)
}
