package handlers_test

import (
	"fmt"
	"testing"

	"tiendo/apptest"
)

// The answers an instance keeps and patches through writes and an import
// are exactly those a fresh instance computes from the database: for every
// unit of the tree, at both milestones, the API's rows are the same bytes.
func TestStoredAnswersAfterWritesEqualFreshOnes(t *testing.T) {
	a, tm := startTeam(t, apptest.Options{Demo: true})
	var units []struct {
		Code string `json:"code"`
	}
	getJSON(t, a, "/api/v1/units", &units)
	answers := func(s *apptest.Server) map[string]string {
		out := map[string]string{}
		for _, year := range []int{2025, 2030} {
			for _, u := range units {
				path := fmt.Sprintf("/api/v1/assessments?unit=%s&year=%d", u.Code, year)
				code, body := s.Get(t, path)
				if code != 200 {
					t.Fatalf("%s: %d", path, code)
				}
				out[path] = body
			}
		}
		return out
	}
	answers(a) // every answer is now stored
	planner := tm["planner"]
	for _, w := range []string{
		`{"indicator":"5g-coverage","unit":"T-D1-W1","period":"2025","value":12.5}`,
		`{"indicator":"5g-coverage","unit":"T-D1","period":"2024","value":30}`,
		`{"indicator":"fibre-coverage","unit":"VN-SG","period":"2026","value":91}`,
	} {
		resp, body := planner.Do(t, "POST", "/api/v1/observations", w, map[string]string{"Content-Type": "application/json", "X-CSRF-Token": planner.CSRF})
		if resp.StatusCode/100 != 2 {
			t.Fatalf("write %s: %d %s", w, resp.StatusCode, body)
		}
	}
	obs := func(unit, period, value string) map[string]string {
		return map[string]string{"record": "observation", "indicator": "dossiers-ward", "unit": unit, "period": period, "value": value, "source": "test"}
	}
	code, reply := apiImport(t, tm["admin"], map[string]string{"commit": "1"},
		map[string][]byte{"values.csv": ownCSV(t, obs("T-D1-W1", "2024", "40"), obs("T-D2", "2025", "55"))})
	if code/100 != 2 || !reply.Committed {
		t.Fatalf("import: %d %+v", code, reply)
	}
	kept := answers(a)
	fresh := answers(apptest.Start(t, apptest.Options{DSN: a.DSN}))
	for path, want := range fresh {
		if kept[path] != want {
			t.Errorf("%s: the kept answer differs from a fresh instance's\n%s\n%s", path, kept[path], want)
		}
	}
	if len(fresh) < 10 {
		t.Fatalf("only %d answers compared", len(fresh))
	}
}
