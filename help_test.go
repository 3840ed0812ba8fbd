package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"tiendo/apptest"
)

// runBinary runs the real binary with the environment env added, and
// returns its exit status and what it wrote.
func runBinary(t *testing.T, env []string, args ...string) (int, string) {
	t.Helper()
	cmd := exec.Command(apptest.Binary(t), args...)
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode(), string(out)
	}
	if err != nil {
		t.Fatal(err)
	}
	return 0, string(out)
}

// TestHelpListsEveryCommand: `tiendo help`, `tiendo -h` and an unknown
// command list every command with its line and the exit statuses; the
// unknown command exits 2.
func TestHelpListsEveryCommand(t *testing.T) {
	for _, c := range []struct {
		args []string
		code int
	}{{[]string{"help"}, 0}, {[]string{"-h"}, 0}, {[]string{"--help"}, 0}, {[]string{"frobnicate"}, 2}, {[]string{"help", "frobnicate"}, 2}} {
		code, out := runBinary(t, nil, c.args...)
		if code != c.code {
			t.Errorf("tiendo %v: exit %d, want %d\n%s", c.args, code, c.code, out)
		}
		for name := range commands {
			if !strings.Contains(out, "\n  "+name+" ") {
				t.Errorf("tiendo %v does not list %q:\n%s", c.args, name, out)
			}
		}
		if !strings.Contains(out, "exit status: 0") || !strings.Contains(out, "3 (import --dry-run)") {
			t.Errorf("tiendo %v does not explain the exit statuses:\n%s", c.args, out)
		}
	}
	if len(usages) != len(commands)+1 {
		t.Errorf("%d usages for %d commands and help", len(usages), len(commands))
	}
}

// TestHelpOfACommandShowsItsFlags: `tiendo help COMMAND` and `tiendo
// COMMAND -h` show the command's line and flags and exit 0, for every
// command.
func TestHelpOfACommandShowsItsFlags(t *testing.T) {
	flags := map[string]string{"serve": "-default-unit", "demo": "-remove", "user": "-username", "export": "-format",
		"import": "-dry-run", "backup": "-db", "restore": "-db", "digest": "-send-now", "alerts": "-db", "version": "version", "reassess": "-db"}
	for name := range commands {
		for _, args := range [][]string{{"help", name}, {name, "-h"}} {
			code, out := runBinary(t, nil, args...)
			if code != 0 || !strings.Contains(out, "usage: tiendo "+name) || !strings.Contains(out, flags[name]) ||
				!strings.Contains(out, "exit status:") {
				t.Errorf("tiendo %v: exit %d\n%s", args, code, out)
			}
		}
	}
}

// TestUnreadableSettingStopsTheStart: a TIENDO_* value that cannot be read
// stops the server before it listens, naming the variable and the values
// accepted; a flag on the command line overrides the variable.
func TestUnreadableSettingStopsTheStart(t *testing.T) {
	db := filepath.Join(t.TempDir(), "t.db")
	for env, want := range map[string]string{
		"TIENDO_PRIVATE=yes":         `TIENDO_PRIVATE="yes" cannot be read: accepted values are true or false`,
		"TIENDO_BACKUP_KEEP=many":    `TIENDO_BACKUP_KEEP="many" cannot be read: accepted values are whole numbers`,
		"TIENDO_BACKUP_EVERY=weekly": `TIENDO_BACKUP_EVERY="weekly" cannot be read: accepted values are durations`,
	} {
		code, out := runBinary(t, []string{env}, "serve", "-db", db, "-addr", "127.0.0.1:1")
		if code != 2 || !strings.Contains(out, want) {
			t.Errorf("%s: exit %d\n%s", env, code, out)
		}
	}
	if code, out := runBinary(t, []string{"TIENDO_PRIVATE=yes"}, "export", "-db", db, "-format", "json", "-out", filepath.Join(t.TempDir(), "x.json")); code != 0 {
		t.Errorf("a server setting stopped export: exit %d\n%s", code, out)
	}
	if code, out := runBinary(t, []string{"TIENDO_DEFAULT_UNIT=VN-NOWHERE"}, "serve", "-db", db, "-addr", "127.0.0.1:1"); code != 1 ||
		!strings.Contains(out, `TIENDO_DEFAULT_UNIT (-default-unit) "VN-NOWHERE"`) {
		t.Errorf("unknown default unit: exit %d\n%s", code, out)
	}
}
