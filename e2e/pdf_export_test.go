package e2e

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"tiendo/apptest"
)

// TestEmojiInANameDoesNotKillThePDFExport renames an indicator to a name
// with an emoji (beyond the font's plane) through the API of the real
// binary, then downloads the Vietnamese PDF twice: the process must stay up
// and the PDF must hold the name (the emoji replaced).
func TestEmojiInANameDoesNotKillThePDFExport(t *testing.T) {
	dsn := filepath.Join(t.TempDir(), "t.db")
	const password = "a long enough password 1"
	add := exec.Command(apptest.Binary(t), "user", "add", "-db", dsn, "-username", "planner", "-role", "planner", "-password", password)
	if out, err := add.CombinedOutput(); err != nil {
		t.Fatalf("tiendo user add: %v\n%s", err, out)
	}
	p := apptest.StartBinary(t, dsn, "-demo")
	resp, b := apptest.Send(t, http.DefaultClient, "POST", p.URL+"/api/v1/auth/token",
		`{"username":"planner","password":"`+password+`"}`, map[string]string{"Content-Type": "application/json"})
	var tok struct {
		Token string `json:"token"`
	}
	if err := json.Unmarshal(b, &tok); err != nil || tok.Token == "" {
		t.Fatalf("no API token: %d %s", resp.StatusCode, b)
	}
	auth := map[string]string{"Authorization": "Bearer " + tok.Token, "Content-Type": "application/json"}
	resp, b = apptest.Send(t, http.DefaultClient, "GET", p.URL+"/api/v1/indicators/fibre-coverage", "", nil)
	var ind map[string]any
	if err := json.Unmarshal(b, &ind); err != nil {
		t.Fatalf("indicator: %d %s", resp.StatusCode, b)
	}
	ind["name_vi"] = "Phủ cáp quang 📶"
	body, _ := json.Marshal(ind)
	if resp, b = apptest.Send(t, http.DefaultClient, "PUT", p.URL+"/api/v1/indicators/fibre-coverage", string(body), auth); resp.StatusCode != 200 {
		t.Fatalf("rename: %d %s", resp.StatusCode, b)
	}
	for i := 0; i < 2; i++ {
		req, _ := http.NewRequest("GET", p.URL+"/api/v1/export?format=pdf&unit=VN-SG-760&lang=vi", nil)
		req.Header.Set("Authorization", "Bearer "+tok.Token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("PDF export %d: %v\n%s", i, err, p.Stderr)
		}
		pdf, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != 200 || !strings.HasPrefix(string(pdf), "%PDF") {
			t.Fatalf("PDF export %d: %d %v %.200s\n%s", i, resp.StatusCode, err, pdf, p.Stderr)
		}
		if text := pdfText(t, pdf); !strings.Contains(text, "Phủ cáp quang") {
			t.Errorf("the renamed indicator is missing from the PDF:\n%s", text)
		}
	}
	if code, body := httpGet(t, p.URL+"/healthz"); code != 200 {
		t.Fatalf("the server died after the PDF export: %d %s\n%s", code, body, p.Stderr)
	}
}

// pdfText reads a PDF back with pdftotext, spaces collapsed.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("pdftotext missing: scripts/install-test-deps.sh installs poppler-utils")
		}
		t.Skip("SKIPPED: pdftotext not installed (make test-deps)")
	}
	path := filepath.Join(t.TempDir(), "export.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}
