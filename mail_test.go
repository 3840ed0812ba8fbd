package main

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"tiendo/apptest"
	"tiendo/notify"
)

// `tiendo user add -email`, `tiendo alerts check` and `tiendo digest
// --send-now --user NAME` work from the command line alone.
func TestDigestAndAlertsCommands(t *testing.T) {
	srv := apptest.StartSMTP(t)
	db := filepath.Join(t.TempDir(), "tiendo.db")
	if out, err := run(t, "user", "add", "-db", db, "--username", "lead", "--role", "admin", "--password", "mật-khẩu-dài-đủ-1",
		"--email", "lead@example.vn", "--lang", "en"); err != nil || !strings.Contains(out, "Account lead added") {
		t.Fatalf("add with e-mail: %q %v", out, err)
	}
	if _, err := run(t, "user", "add", "-db", db, "--username", "bad", "--role", "viewer", "--password", "mật-khẩu-dài-đủ-2",
		"--email", "not an address"); err == nil || !strings.Contains(err.Error(), "“not an address” không phải một địa chỉ e-mail") {
		t.Errorf("a bad e-mail address: %v", err)
	}
	if out, err := run(t, "alerts", "check", "-db", db); err != nil || !strings.Contains(out, "0 thông báo mới") {
		t.Errorf("alerts check: %q %v", out, err)
	}
	if _, err := run(t, "digest", "--send-now", "-db", db, "-lang", "en"); err == nil || !strings.Contains(err.Error(), "mail stays in the outbox") || !errors.Is(err, notify.ErrNoSMTP) {
		t.Errorf("digest without SMTP: %v", err)
	}
	out, err := run(t, "digest", "--send-now", "--user", "lead", "-db", db, "-smtp-url", "smtp://"+srv.Addr+"?starttls=none",
		"-mail-from", "tiendo@example.vn", "-public-url", "https://tiendo.example.vn")
	if err != nil || !strings.Contains(out, "Đã xếp 1 bản tin, đã gửi 2 thư.") {
		// The first run without SMTP queued one already; it goes out too.
		t.Fatalf("digest --send-now: %q %v", out, err)
	}
	got := srv.Received()
	if len(got) != 2 {
		t.Fatalf("%d e-mails arrived, want 2", len(got))
	}
	m := apptest.ParseMail(t, got[1])
	if !strings.HasPrefix(m.Subject, "Tiến độ — Weekly briefing: Ho Chi Minh City") || !strings.Contains(m.Body, "https://tiendo.example.vn/") {
		t.Errorf("digest: %q\n%s", m.Subject, m.Body)
	}
	if _, err := run(t, "digest", "--send-now", "--user", "nobody", "-db", db); err == nil || !strings.Contains(err.Error(), "nobody") {
		t.Errorf("digest for an unknown user: %v", err)
	}
}
