package main

import (
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"tiendo/apptest"
)

// TestPasswdRevokesTokensOfARunningServer: `tiendo user passwd`, run beside
// a serving binary, ends the account's API tokens at the server's next
// request; -max-tokens bounds how many a user holds.
func TestPasswdRevokesTokensOfARunningServer(t *testing.T) {
	db := filepath.Join(t.TempDir(), "tiendo.db")
	cli := func(args ...string) string {
		t.Helper()
		code, out := runBinary(t, nil, args...)
		if code != 0 {
			t.Fatalf("tiendo %s: exit %d\n%s", strings.Join(args, " "), code, out)
		}
		return out
	}
	cli("user", "add", "-db", db, "--username", "script", "--role", "planner", "--password", "mật-khẩu-của-máy-chạy")
	p := apptest.StartBinary(t, db, "-max-tokens", "2")
	token := func() (int, string) {
		resp, body := apptest.Send(t, http.DefaultClient, "POST", p.URL+"/api/v1/auth/token?lang=en",
			`{"username":"script","password":"mật-khẩu-của-máy-chạy","name":"cron"}`, map[string]string{"Content-Type": "application/json"})
		return resp.StatusCode, apptest.Between(string(body), `"token":"`, `"`)
	}
	code, tok := token()
	if code != http.StatusCreated || tok == "" {
		t.Fatalf("token: %d", code)
	}
	if code, _ := token(); code != http.StatusCreated {
		t.Fatalf("second token: %d", code)
	}
	resp, body := apptest.Send(t, http.DefaultClient, "POST", p.URL+"/api/v1/auth/token?lang=en",
		`{"username":"script","password":"mật-khẩu-của-máy-chạy","name":"third"}`, map[string]string{"Content-Type": "application/json"})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(string(body), "at most 2") {
		t.Errorf("a third token with -max-tokens 2: %d %s", resp.StatusCode, body)
	}
	get := func() int {
		resp, _ := apptest.Send(t, http.DefaultClient, "GET", p.URL+"/api/v1/audit", "", map[string]string{"Authorization": "Bearer " + tok})
		return resp.StatusCode
	}
	if code := get(); code != http.StatusOK {
		t.Fatalf("the token before the change: %d", code)
	}
	cli("user", "passwd", "-db", db, "--username", "script", "--password", "một-mật-khẩu-mới-hẳn")
	if code := get(); code != http.StatusUnauthorized {
		t.Errorf("the token after `tiendo user passwd`: %d, want 401", code)
	}
}
