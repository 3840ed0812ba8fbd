package main

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tiendo/models"
)

// run calls a command as the shell would and returns what it printed.
func run(t *testing.T, args ...string) (string, error) {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout := os.Stdout
	os.Stdout = w
	defer func() { os.Stdout = stdout }()
	cmdErr := commands[args[0]](args[1:])
	w.Close()
	out, _ := io.ReadAll(r)
	return string(out), cmdErr
}

func TestUserCommands(t *testing.T) {
	db := filepath.Join(t.TempDir(), "tiendo.db")
	out, err := run(t, "user", "add", "-db", db, "--username", "d1", "--role", "planner", "--unit", "VN-SG", "--password", "mật-khẩu-dài-đủ")
	if err != nil || !strings.Contains(out, "Đã thêm tài khoản d1 (Chuyên viên kế hoạch).") {
		t.Fatalf("add: %q %v", out, err)
	}
	if _, err := run(t, "user", "add", "-db", db, "--username", "d1", "--role", "viewer", "--password", "mật-khẩu-dài-đủ"); err == nil || !strings.Contains(err.Error(), "--username: Tên đăng nhập “d1” đã có người dùng.") {
		t.Errorf("duplicate add: %v", err)
	}
	// Refusals are sentences in the language asked for, after the flag to mend, never raw keys.
	_, err = run(t, "user", "add", "-db", db, "--lang", "en", "--username", "x", "--role", "boss", "--password", "short", "--unit", "VN-XX")
	if err == nil || !strings.Contains(err.Error(), "--role: Please choose a role.") ||
		!strings.Contains(err.Error(), fmt.Sprintf("--password: The password must have at least %d characters.", models.MinPasswordLength)) ||
		!strings.Contains(err.Error(), "--unit: There is no unit with code “VN-XX”.") || strings.Contains(err.Error(), "error.") {
		t.Errorf("bad add: %v", err)
	}
	// Long enough, but common: refused on the command line as on the page.
	if _, err := run(t, "user", "add", "-db", db, "--username", "x2", "--role", "viewer", "--password", "Password2026!"); err == nil ||
		!strings.Contains(err.Error(), "--password: Mật khẩu này nằm trong danh sách mật khẩu phổ biến") {
		t.Errorf("common password on add: %v", err)
	}
	if _, err := run(t, "user", "passwd", "-db", db, "--username", "d1", "--password", "qwertyuiop123"); err == nil ||
		!strings.Contains(err.Error(), "--password: Mật khẩu này nằm trong danh sách mật khẩu phổ biến") {
		t.Errorf("common password on passwd: %v", err)
	}
	if _, err := run(t, "user", "add", "-db", db, "--username", "an", "--role", "analyst", "--password", "another-long-one"); err != nil {
		t.Fatal(err)
	}
	out, err = run(t, "user", "list", "-db", db)
	if err != nil || !hasLine(out, "TÊN ĐĂNG NHẬP", "VAI TRÒ", "ĐƠN VỊ", "TRẠNG THÁI") || !hasLine(out, "an", "analyst", "(mọi", "đơn", "vị)", "đang", "dùng") || !hasLine(out, "d1", "planner", "VN-SG", "đang", "dùng") {
		t.Errorf("list: %q %v", out, err)
	}
	out, err = run(t, "user", "list", "-db", db, "-lang", "en")
	if err != nil || !hasLine(out, "USERNAME", "ROLE", "UNIT", "STATE") || !hasLine(out, "an", "analyst", "(every", "unit)", "active") {
		t.Errorf("list in English: %q %v", out, err)
	}
	if out, err := run(t, "user", "passwd", "-db", db, "--username", "d1", "--password", "a-changed-password"); err != nil || !strings.Contains(out, "Đã đổi mật khẩu của d1") {
		t.Fatalf("passwd: %q %v", out, err)
	}
	if _, err := run(t, "user", "passwd", "-db", db, "--username", "nobody", "--password", "a-changed-password"); err == nil {
		t.Error("passwd of an unknown user succeeded")
	}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	store, err := openStore(db, quiet)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.Authenticate("d1", "a-changed-password"); err != nil {
		t.Errorf("new password refused: %v", err)
	}
	if _, err := store.Authenticate("d1", "mật-khẩu-dài-đủ"); err == nil {
		t.Error("old password still accepted")
	}
	entries, _, err := store.AuditLog(models.AuditFilter{Entity: "user"})
	if err != nil || len(entries) != 3 {
		t.Fatalf("audit: %d entries, %v", len(entries), err)
	}
	for _, e := range entries {
		if e.Via != models.ViaCLI || !strings.HasPrefix(e.Username, "cli") {
			t.Errorf("CLI change audited as %s by %s", e.Via, e.Username)
		}
	}
	// First run of the server: an administrator appears only when no account exists.
	if pw, err := store.EnsureAdmin(""); err != nil || pw != "" {
		t.Errorf("EnsureAdmin with accounts present: %q %v", pw, err)
	}
	empty, err := openStore(filepath.Join(t.TempDir(), "empty.db"), quiet)
	if err != nil {
		t.Fatal(err)
	}
	pw, err := empty.EnsureAdmin("")
	if err != nil || len(pw) < models.MinPasswordLength {
		t.Fatalf("first admin: %q %v", pw, err)
	}
	if u, err := empty.Authenticate("admin", pw); err != nil || u.Role != models.RoleAdmin {
		t.Errorf("first admin cannot sign in: %v", err)
	}
}

// hasLine reports whether a line of out has exactly these fields.
func hasLine(out string, fields ...string) bool {
	for _, line := range strings.Split(out, "\n") {
		if strings.Join(strings.Fields(line), " ") == strings.Join(fields, " ") {
			return true
		}
	}
	return false
}
