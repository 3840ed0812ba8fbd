package handlers_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"tiendo/apptest"
)

// An admin keeps a unit's names and life and the indicators it reports
// beyond its level's; a bad date or an end before the start is refused
// beside its field with what was typed kept, and nothing changes.
func TestUnitPageEditsLifeAndAssignments(t *testing.T) {
	s, tm := startTeam(t, apptest.Options{})
	a := tm["admin"]
	if code, page := a.Get(t, "/admin/units"); code != 200 || !strings.Contains(page, "Đơn vị hành chính") || !strings.Contains(page, "VN-SG") {
		t.Fatalf("units page: %d", code)
	}
	_, page := a.Get(t, "/admin/units/VN-51")
	if !strings.Contains(page, `name="assigned"`) {
		t.Fatal("the unit page offers no indicators to assign")
	}
	ind, err := s.Store.IndicatorByCode("digital-economy-grdp")
	if err != nil {
		t.Fatal(err)
	}
	unit, err := s.Store.UnitByCode("VN-51")
	if err != nil {
		t.Fatal(err)
	}
	if ind.ReportedAt(unit.Level) {
		t.Fatalf("digital-economy-grdp is reported at %s's level already: pick another indicator for this test", unit.Level)
	}
	form := url.Values{"name_vi": {unit.NameVI}, "name_en": {unit.NameEN}, "started_on": {"2026-13-01"}, "ended_on": {"2020-01-01"},
		"ended_basis": {"Nghị quyết 1687/NQ-UBTVQH15"}, "assigned": {strconv.FormatUint(uint64(ind.ID), 10)}}
	code, body := a.Post(t, "/admin/units/VN-51", form)
	if code != 422 || !strings.Contains(body, "2026-13-01") || !strings.Contains(body, "Ngày không hợp lệ") {
		t.Fatalf("a bad start date: %d, want 422 keeping it with the message", code)
	}
	form.Set("started_on", "2021-01-01")
	if code, body := a.Post(t, "/admin/units/VN-51", form); code != 422 || !strings.Contains(body, "Ngày kết thúc phải sau ngày bắt đầu") {
		t.Fatalf("an end before the start: %d", code)
	}
	if got, _ := s.Store.AssignedIndicators(unit.ID); len(got) != 0 {
		t.Fatal("a refused form assigned an indicator")
	}
	form.Set("ended_on", "2025-07-01")
	if code, _ := a.Post(t, "/admin/units/VN-51", form); code != 303 {
		t.Fatalf("save: %d", code)
	}
	after, err := s.Store.UnitByCode("VN-51")
	if err != nil {
		t.Fatal(err)
	}
	if after.StartedOn == nil || after.StartedOn.Format("2006-01-02") != "2021-01-01" || after.EndedOn == nil ||
		after.EndedOn.Format("2006-01-02") != "2025-07-01" || after.EndedBasis != "Nghị quyết 1687/NQ-UBTVQH15" {
		t.Errorf("stored life: %v %v %q", after.StartedOn, after.EndedOn, after.EndedBasis)
	}
	if _, b := apptest.Send(t, http.DefaultClient, "GET", s.URL+"/api/v1/units", "", nil); !strings.Contains(string(b),
		`"code":"VN-51","name_vi":"`+unit.NameVI+`","name_en":"`+unit.NameEN+`","level":"province","parent":"VN","started_on":"2021-01-01","ended_on":"2025-07-01"`) {
		t.Errorf("the API does not give the unit's life as the page saved it: %.400s", b)
	}
	if got, _ := s.Store.AssignedIndicators(unit.ID); !got[ind.ID] || len(got) != 1 {
		t.Errorf("assignments after saving: %v, want only %d", got, ind.ID)
	}
	if _, page := a.Get(t, "/admin/units/VN-51"); !strings.Contains(page, `value="2025-07-01"`) || !strings.Contains(page, "Đã lưu đơn vị VN-51") {
		t.Error("after saving, the page shows neither the stored end nor the confirmation")
	}
	// Unticking ends the assignment; both are in the audit log.
	form.Del("assigned")
	if code, _ := a.Post(t, "/admin/units/VN-51", form); code != 303 {
		t.Fatalf("save: %d", code)
	}
	if got, _ := s.Store.AssignedIndicators(unit.ID); len(got) != 0 {
		t.Errorf("assignments after unticking: %v", got)
	}
	for _, action := range []string{"assign", "unassign"} {
		if n := count(t, s, "audit_log", "action = ? AND entity = ? AND entity_key = ?", action, "indicator", ind.Code); n != 1 {
			t.Errorf("%d audit entries %q, want 1", n, action)
		}
	}
	if code, _ := tm["planner"].Get(t, "/admin/units/VN-51"); code != 403 {
		t.Errorf("a planner on the units page: %d", code)
	}
}
