package handlers_test

import (
	"net/url"
	"testing"

	"tiendo/apptest"
)

// TestAdminRemovesAPlannersScope: choosing "All units" for a scoped planner
// makes them unscoped, as the page says it did.
func TestAdminRemovesAPlannersScope(t *testing.T) {
	s, tm := startTeam(t, apptest.Options{})
	admin := tm["admin"]
	u, _ := s.Store.UserByUsername("scoped")
	if u.UnitID == nil {
		t.Fatal("the scoped planner has no unit to begin with")
	}
	admin.Get(t, "/admin/users/"+itoa(u.ID))
	if code, _ := admin.Post(t, "/admin/users/"+itoa(u.ID), url.Values{"role": {"planner"}, "unit": {""}}); code != 303 {
		t.Fatalf("update: %d", code)
	}
	after, _ := s.Store.UserByUsername("scoped")
	if after.UnitID != nil || after.Unit != nil {
		t.Errorf("the planner is still scoped to %v", after.Unit)
	}
	if ok, _ := s.Store.InScope(after, 1); !ok {
		t.Error("the planner may not edit the top unit after losing the scope")
	}
}
