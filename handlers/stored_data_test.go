package handlers_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"tiendo/apptest"
	"tiendo/models"
)

// TestBadStoredDataDoesNotTakeTheServerDown: what was stored before
// imports were checked (a cycle in the unit tree, a billion decimals) is
// answered like any other data, in bounded time and memory.
func TestBadStoredDataDoesNotTakeTheServerDown(t *testing.T) {
	s := apptest.Start(t, apptest.Options{Demo: true})
	db := s.Store.DB()
	if err := db.Model(&models.Indicator{}).Where("code = ?", "fibre-coverage").Update("decimals", 1000000000).Error; err != nil {
		t.Fatal(err)
	}
	a := addUnit(t, s, "CYC-A", models.LevelDistrict, "VN-SG")
	b := addUnit(t, s, "CYC-B", models.LevelWard, "CYC-A")
	addUnit(t, s, "CYC-W", models.LevelWard, "CYC-B")
	if err := db.Model(a).Update("parent_id", b.ID).Error; err != nil {
		t.Fatal(err)
	}
	self := addUnit(t, s, "SELF", models.LevelDistrict, "VN-SG")
	if err := db.Model(self).Update("parent_id", self.ID).Error; err != nil {
		t.Fatal(err)
	}
	if err := s.Store.Reassess(); err != nil {
		t.Fatal(err)
	}
	admin := s.NewClient(t)
	s.AddUser(t, "admin2", models.RoleAdmin, "", testPassword)
	admin.Login(t, "admin2", testPassword)
	admin.HTTP.Timeout = 20 * time.Second
	for _, path := range []string{"/", "/?unit=CYC-A", "/compare?unit=CYC-A", "/indicators/fibre-coverage?unit=CYC-A", "/indicators/fibre-coverage",
		"/api/v1/export?format=csv&unit=CYC-A", "/api/v1/export?format=json&unit=SELF", "/api/v1/export?format=xlsx&unit=CYC-B",
		"/api/v1/units", "/admin/users", "/edit/indicators/fibre-coverage/grid?unit=CYC-A", "/briefing?unit=CYC-A"} {
		code, body := admin.Get(t, path)
		if code != http.StatusOK {
			t.Errorf("%s: %d %.200s", path, code, body)
		}
		if len(body) > 8<<20 {
			t.Errorf("%s: %d bytes", path, len(body))
		}
		if strings.Contains(body, "0000000000") {
			t.Errorf("%s: a number written with a run of zeros", path)
		}
	}
	if code, _ := admin.Get(t, "/api/v1/export?format=pdf&unit=CYC-A&lang=vi"); code != http.StatusOK {
		t.Errorf("pdf below a cycle: %d", code)
	}
}
