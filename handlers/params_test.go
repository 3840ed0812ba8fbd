package handlers_test

import (
	"fmt"
	"net/http"
	"testing"

	"tiendo/apptest"
	"tiendo/models"
)

// TestOnlyAMissingUnitIsNotFound: a unit or indicator that does not exist
// is a 404; a database that fails while reading one is a 500, on every page
// and API route that reads ?unit= or an indicator code.
func TestOnlyAMissingUnitIsNotFound(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	admin := s.NewClient(t)
	s.AddUser(t, "admin2", models.RoleAdmin, "", testPassword)
	admin.Login(t, "admin2", testPassword)
	byUnit := []string{"/?unit=%s", "/compare?unit=%s", "/briefing?unit=%s", "/indicators/fibre-coverage?unit=%s",
		"/embed/indicators/fibre-coverage?unit=%s", "/completeness?unit=%s", "/api/v1/assessments?unit=%s",
		"/api/v1/completeness?unit=%s", "/api/v1/export?format=json&unit=%s"}
	for _, path := range byUnit {
		if code, body := admin.Get(t, fmt.Sprintf(path, "VN-NOWHERE")); code != http.StatusNotFound {
			t.Errorf("%s, unknown unit: %d %.200s", path, code, body)
		}
	}
	for _, path := range []string{"/indicators/no-such", "/embed/indicators/no-such", "/api/v1/indicators/no-such"} {
		if code, body := admin.Get(t, path); code != http.StatusNotFound {
			t.Errorf("%s: %d %.200s", path, code, body)
		}
	}
	db := s.Store.DB()
	if err := db.Exec("ALTER TABLE units RENAME TO units_away").Error; err != nil {
		t.Fatal(err)
	}
	for _, path := range byUnit {
		if code, body := admin.Get(t, fmt.Sprintf(path, "VN-SG")); code != http.StatusInternalServerError {
			t.Errorf("%s, units unreadable: %d %.200s", path, code, body)
		}
	}
	if err := db.Exec("ALTER TABLE units_away RENAME TO units").Error; err != nil {
		t.Fatal(err)
	}
	if err := db.Exec("ALTER TABLE indicators RENAME TO indicators_away").Error; err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/indicators/fibre-coverage", "/embed/indicators/fibre-coverage", "/api/v1/indicators/fibre-coverage"} {
		if code, body := admin.Get(t, path); code != http.StatusInternalServerError {
			t.Errorf("%s, indicators unreadable: %d %.200s", path, code, body)
		}
	}
}

// TestYearBoundsAreTheModels: ?year= takes the years the models take
// (models.MinYear to models.MaxYear), on pages, the API and exports alike.
func TestYearBoundsAreTheModels(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	admin := s.NewClient(t)
	s.AddUser(t, "admin2", models.RoleAdmin, "", testPassword)
	admin.Login(t, "admin2", testPassword)
	for _, path := range []string{"/?year=%d", "/compare?year=%d", "/embed/indicators/fibre-coverage?year=%d",
		"/api/v1/assessments?unit=VN-SG&year=%d", "/api/v1/export?format=json&unit=VN-SG&year=%d"} {
		for _, y := range []int{models.MinYear, models.MaxYear} {
			if code, body := admin.Get(t, fmt.Sprintf(path, y)); code != http.StatusOK {
				t.Errorf("%s: %d %.200s", fmt.Sprintf(path, y), code, body)
			}
		}
		for _, y := range []int{models.MinYear - 1, models.MaxYear + 1} {
			if code, body := admin.Get(t, fmt.Sprintf(path, y)); code != http.StatusBadRequest {
				t.Errorf("%s: %d %.200s", fmt.Sprintf(path, y), code, body)
			}
		}
	}
}
