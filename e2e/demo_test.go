package e2e

import (
	"encoding/json"
	"net/http"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"tiendo/apptest"
)

// TestDemoDataNeverResurrects runs the real binary: a demo value a planner
// deletes stays deleted when the server starts again with -demo, and adding
// the demo data is in the audit log, once.
func TestDemoDataNeverResurrects(t *testing.T) {
	dsn := filepath.Join(t.TempDir(), "t.db")
	const password = "a long enough password 1"
	add := exec.Command(apptest.Binary(t), "user", "add", "-db", dsn, "-username", "planner", "-role", "planner", "-password", password)
	if out, err := add.CombinedOutput(); err != nil {
		t.Fatalf("tiendo user add: %v\n%s", err, out)
	}
	const cell = `{"indicator":"5g-coverage","unit":"VN-SG","period":"2024"}`
	p := apptest.StartBinary(t, dsn, "-demo")
	_, b := apptest.Send(t, http.DefaultClient, "POST", p.URL+"/api/v1/auth/token",
		`{"username":"planner","password":"`+password+`"}`, map[string]string{"Content-Type": "application/json"})
	var tok struct {
		Token string `json:"token"`
	}
	if err := json.Unmarshal(b, &tok); err != nil || tok.Token == "" {
		t.Fatalf("no API token: %s", b)
	}
	auth := map[string]string{"Authorization": "Bearer " + tok.Token, "Content-Type": "application/json"}
	if resp, b := apptest.Send(t, http.DefaultClient, "DELETE", p.URL+"/api/v1/observations", cell, auth); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("deleting the demo value: %d %s", resp.StatusCode, b)
	}
	p.Signal(t, syscall.SIGTERM)
	if err := p.Wait(t, 15*time.Second); err != nil {
		t.Fatal(err)
	}

	p = apptest.StartBinary(t, dsn, "-demo")
	// The same DELETE again: 422 while the value stays deleted, 204 had it come back.
	if resp, b := apptest.Send(t, http.DefaultClient, "DELETE", p.URL+"/api/v1/observations", cell, auth); resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("after a restart with -demo, the deleted demo value: %d %s (came back)", resp.StatusCode, b)
	}
	p.Signal(t, syscall.SIGTERM)
	if err := p.Wait(t, 15*time.Second); err != nil {
		t.Fatal(err)
	}
	db := openRaw(t, dsn)
	defer db.Close()
	var demoEntries, demoValues int
	db.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE entity = 'demo' AND action = 'create'`).Scan(&demoEntries)
	db.QueryRow(`SELECT COUNT(*) FROM observations WHERE demo = TRUE`).Scan(&demoValues)
	if demoEntries != 1 || demoValues < 100 {
		t.Errorf("%d audit entries for adding demo data (want 1), %d demo values", demoEntries, demoValues)
	}
}
