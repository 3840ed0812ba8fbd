package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tiendo/apptest"
)

// TestBadTimeZoneStopsTheStart: a zone the IANA database does not know,
// by flag or variable, stops `tiendo serve` with a message naming the
// variable, before anything is opened.
func TestBadTimeZoneStopsTheStart(t *testing.T) {
	bin := apptest.Binary(t)
	db := filepath.Join(t.TempDir(), "tz.db")
	for _, c := range []struct {
		args []string
		env  string
	}{
		{[]string{"serve", "-db", db, "-addr", "127.0.0.1:0", "-time-zone", "Asia/Hanoi_Typo"}, ""},
		{[]string{"serve", "-db", db, "-addr", "127.0.0.1:0"}, "TIENDO_TIME_ZONE=GMT+7 Hà Nội"},
	} {
		cmd := exec.Command(bin, c.args...)
		cmd.Env = append(os.Environ(), c.env)
		done := make(chan struct{})
		var out []byte
		var err error
		go func() { out, err = cmd.CombinedOutput(); close(done) }()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			_ = cmd.Process.Kill()
			t.Fatalf("%v %s: still running, want it to stop", c.args, c.env)
		}
		if err == nil || !strings.Contains(string(out), "TIENDO_TIME_ZONE") || !strings.Contains(string(out), "Asia/Ho_Chi_Minh") {
			t.Errorf("%v %s: %v\n%s", c.args, c.env, err, out)
		}
		if _, statErr := os.Stat(db); statErr == nil {
			t.Errorf("%v: the database was created before the zone was checked", c.args)
		}
	}
}
