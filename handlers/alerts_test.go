package handlers_test

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"tiendo/apptest"
	"tiendo/models"
)

func TestAlertRulesInboxAndBell(t *testing.T) {
	s, tm := startTeam(t, apptest.Options{})
	planner, scoped, viewer := tm["planner"], tm["scoped"], tm["viewer"]

	// Bad input: a clear message in each language, nothing stored.
	for _, c := range []struct {
		form url.Values
		lang string
		want string
	}{
		{url.Values{"kind": {"status_worse"}, "unit": {"NOPE"}}, "vi", "NOPE"},
		{url.Values{"kind": {"sometimes"}, "unit": {"VN-SG"}}, "en", "Choose"},
		{url.Values{"kind": {"below_path"}, "unit": {"VN-SG"}, "margin": {"-2"}}, "en", "Must not be negative"},
	} {
		planner.Get(t, "/alerts?lang="+c.lang)
		code, body := planner.Post(t, "/alerts", c.form)
		if code != 422 || !strings.Contains(body, c.want) {
			t.Errorf("rule %v (%s): %d, want 422 with %q", c.form, c.lang, code, c.want)
		}
	}
	// A planner scoped to a district may not watch the city.
	code, body := scoped.Post(t, "/alerts", url.Values{"kind": {"status_worse"}, "unit": {"VN-SG"}})
	if code != 422 || !strings.Contains(body, "VN-SG") {
		t.Errorf("scoped planner, rule on the city: %d", code)
	}
	if rules, _ := s.Store.AlertRules(); len(rules) != 0 {
		t.Fatalf("refused rules were stored: %d", len(rules))
	}
	code, _ = planner.Post(t, "/alerts", url.Values{"kind": {"status_worse"}, "indicator": {"digital-economy-grdp"}, "unit": {"VN-SG"}})
	if code != 303 {
		t.Fatalf("create rule: %d", code)
	}
	rules, _ := s.Store.AlertRules()
	id := rules[0].ID
	if code, _ := viewer.Post(t, "/alerts/"+itoa(id)+"/subscribe", url.Values{"on": {"1"}}); code != 303 {
		t.Fatalf("viewer subscribes: %d", code)
	}
	// The scoped planner does not even see the city's rule.
	if _, page := scoped.Get(t, "/alerts"); strings.Contains(page, "/alerts/"+itoa(id)+"/subscribe") {
		t.Error("a district planner sees a rule on the city")
	}

	// A rise then a drop: the status worsens once.
	s.SaveValues(t, "digital-economy-grdp", "VN-SG", "2020", 10.0)
	s.SaveValues(t, "digital-economy-grdp", "VN-SG", "2024", 30.0)
	s.SaveValues(t, "digital-economy-grdp", "VN-SG", "2025", 12.0)
	_, page := viewer.Get(t, "/")
	if !strings.Contains(page, `<span class="bell-count">1<`) {
		t.Error("the bell does not count one notification")
	}
	_, js := viewer.Get(t, "/api/v1/notifications?lang=en")
	var inbox struct {
		Unread        int `json:"unread"`
		Notifications []struct {
			ID    uint   `json:"id"`
			Title string `json:"title"`
			Link  string `json:"link"`
		} `json:"notifications"`
	}
	if err := json.Unmarshal([]byte(js), &inbox); err != nil {
		t.Fatal(err)
	}
	if inbox.Unread != 1 || len(inbox.Notifications) != 1 ||
		!strings.HasPrefix(inbox.Notifications[0].Title, "Digital economy share of GRDP — Ho Chi Minh City: status got worse, now “") ||
		inbox.Notifications[0].Link != "/indicators/digital-economy-grdp?unit=VN-SG" {
		t.Fatalf("inbox: %s", js)
	}
	if code, _ := viewer.Get(t, inbox.Notifications[0].Link); code != 200 {
		t.Errorf("the notification's link answers %d", code)
	}
	viewer.Post(t, "/notifications/read", url.Values{"id": {itoa(inbox.Notifications[0].ID)}})
	if _, page := viewer.Get(t, "/notifications"); strings.Contains(page, "bell-count") {
		t.Error("a read notification still counts on the bell")
	}
	// The planner who made the rule heard too; the scoped planner did not.
	if n, _ := s.Store.UnreadCount(userID(t, s, "planner")); n != 1 {
		t.Errorf("the rule's author has %d notifications, want 1", n)
	}
	if n, _ := s.Store.UnreadCount(userID(t, s, "scoped")); n != 0 {
		t.Errorf("the scoped planner has %d notifications, want 0", n)
	}
	// Editing and deleting.
	if code, _ := planner.Post(t, "/alerts/"+itoa(id), url.Values{"kind": {"below_path"}, "indicator": {"digital-economy-grdp"}, "unit": {"VN-SG"}, "margin": {"2.5"}}); code != 303 {
		t.Errorf("edit rule: %d", code)
	}
	if rules, _ := s.Store.AlertRules(); rules[0].Kind != models.AlertBelowPath || rules[0].Margin != 2.5 {
		t.Errorf("edited rule: %+v", rules[0])
	}
	if code, _ := scoped.Post(t, "/alerts/"+itoa(id)+"/delete", nil); code != 403 {
		t.Errorf("a scoped planner deletes the city's rule: %d, want 403", code)
	}
	if code, _ := planner.Post(t, "/alerts/"+itoa(id)+"/delete", nil); code != 303 {
		t.Errorf("delete rule: %d", code)
	}
}

func userID(t *testing.T, s *apptest.Server, name string) uint {
	t.Helper()
	u, err := s.Store.UserByUsername(name)
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}
