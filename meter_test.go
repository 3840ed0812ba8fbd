package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"tiendo/locale"
	"tiendo/static"
)

func catalog(t *testing.T) locale.Catalog {
	t.Helper()
	cat, err := locale.Load(static.FS)
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

// Off a terminal, a long task writes a line at most every 10 seconds, each
// with the count, the rate and the time left, never one endless line.
func TestMeterWritesALineEveryTenSecondsOffATerminal(t *testing.T) {
	var out bytes.Buffer
	start := time.Now()
	m := &meter{w: &out, cat: catalog(t), lang: "en", what: "meter.observations_exported", total: 1000, start: start, shown: start, every: 10 * time.Second}
	for s := 1; s <= 35; s++ {
		m.shown = m.shown.Add(-time.Second) // a second goes by
		m.start = m.start.Add(-time.Second)
		m.update(int64(s * 20))
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 3 {
		t.Fatalf("35 s of work wrote %d lines, want 3 (one per 10 s):\n%s", len(lines), out.String())
	}
	if strings.Contains(out.String(), "\r") {
		t.Error("a log got carriage returns")
	}
	last := lines[len(lines)-1]
	for _, want := range []string{"600 of 1,000 observations exported", "(60 %)", "/s", "left"} {
		if !strings.Contains(last, want) {
			t.Errorf("%q lacks %q", last, want)
		}
	}
}

func TestMeterBarOnATerminal(t *testing.T) {
	m := &meter{cat: catalog(t), lang: "vi", what: "meter.observations_exported", total: 2_000_000, tty: true}
	line := m.line(500_000, 100*time.Second)
	for _, want := range []string{"[######..................]", "500.000 / 2.000.000 số liệu đã xuất (25 %)", "5.000/giây", "còn khoảng 5m0s"} {
		if !strings.Contains(line, want) {
			t.Errorf("%q lacks %q", line, want)
		}
	}
}

// An import of a spreadsheet knows its rows, not how much of the file is
// left: its line shows the count and the rate, no share nor time left.
func TestMeterWithoutAShare(t *testing.T) {
	var out bytes.Buffer
	start := time.Now().Add(-20 * time.Second)
	m := &meter{w: &out, cat: catalog(t), lang: "vi", what: "imports.rows_imported", start: start, shown: start, every: 10 * time.Second}
	m.updateShare(400_000, -1)
	line := out.String()
	for _, want := range []string{"400.000", "/giây"} {
		if !strings.Contains(line, want) {
			t.Errorf("%q lacks %q", line, want)
		}
	}
	for _, wrong := range []string{"%", "còn khoảng"} {
		if strings.Contains(line, wrong) {
			t.Errorf("%q shows %q, a share it does not know", line, wrong)
		}
	}
}
