package main

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// Off a terminal, a long task writes a line at most every 10 seconds, each
// with the count, the rate and the time left, never one endless line.
func TestMeterWritesALineEveryTenSecondsOffATerminal(t *testing.T) {
	var out bytes.Buffer
	start := time.Now()
	m := &meter{w: &out, what: "observations exported", total: 1000, start: start, shown: start, every: 10 * time.Second}
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
	for _, want := range []string{"600 of 1000 observations exported", "(60 %)", "/s", "left"} {
		if !strings.Contains(last, want) {
			t.Errorf("%q lacks %q", last, want)
		}
	}
}

func TestMeterBarOnATerminal(t *testing.T) {
	m := &meter{what: "rows imported", total: 200, tty: true}
	line := m.line(50, 10*time.Second)
	for _, want := range []string{"[######..................]", "50 of 200 rows imported (25 %)", "5/s", "about 30s left"} {
		if !strings.Contains(line, want) {
			t.Errorf("%q lacks %q", line, want)
		}
	}
}
