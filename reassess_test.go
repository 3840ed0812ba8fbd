package main

import (
	"path/filepath"
	"strings"
	"testing"

	"tiendo/models"
)

// assessState reads the assessments' state and row count of a database.
func assessState(t *testing.T, dsn string) (built bool, rows int64) {
	t.Helper()
	db, err := models.Open(dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer closeDB(db)
	if err := db.Raw(`SELECT built FROM assessment_state`).Scan(&built).Error; err != nil {
		t.Fatal(err)
	}
	if err := db.Model(&models.StoredAssessment{}).Count(&rows).Error; err != nil {
		t.Fatal(err)
	}
	return built, rows
}

// Commands that do not read assessments never compute them; `tiendo demo`
// leaves them built, and `tiendo reassess` builds the same table again.
func TestCommandsAndTheStoredAssessments(t *testing.T) {
	dir := t.TempDir()
	dsn := filepath.Join(dir, "tiendo.db")
	if _, err := run(t, "user", "add", "-db", dsn, "--username", "an", "--role", "analyst", "--password", "another-long-one"); err != nil {
		t.Fatal(err)
	}
	if _, err := run(t, "backup", "-db", dsn, filepath.Join(dir, "copy.db")); err != nil {
		t.Fatal(err)
	}
	if built, rows := assessState(t, dsn); built || rows != 0 {
		t.Fatalf("after tiendo user and backup: built %v, %d rows; want nothing computed", built, rows)
	}
	if err := demo([]string{"-db", dsn}); err != nil {
		t.Fatal(err)
	}
	built, rows := assessState(t, dsn)
	if !built || rows < 100 {
		t.Fatalf("after tiendo demo: built %v, %d rows", built, rows)
	}
	out, err := run(t, "reassess", "-db", dsn, "--lang", "en")
	if err != nil || !strings.Contains(out, "assessments stored") {
		t.Fatalf("reassess: %q %v", out, err)
	}
	if again, n := assessState(t, dsn); !again || n != rows {
		t.Errorf("after tiendo reassess: built %v, %d rows; %d before", again, n, rows)
	}
}
