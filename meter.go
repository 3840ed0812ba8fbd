package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/mattn/go-isatty"
)

// meter shows how far a long import or export is. On a terminal it redraws
// one bar (count, rate, time left) a few times a second; otherwise (a log,
// a pipe) it writes a line every 10 seconds at most, so logs stay short.
type meter struct {
	w            io.Writer
	what         string // "observations exported"
	total        int64  // 0: unknown
	tty          bool
	start, shown time.Time
	every        time.Duration
	drawn        bool
}

// newMeter writes to f (standard error) about a task of total units.
func newMeter(f *os.File, what string, total int64) *meter {
	tty := isatty.IsTerminal(f.Fd())
	every := 10 * time.Second
	if tty {
		every = 200 * time.Millisecond
	}
	now := time.Now()
	return &meter{w: f, what: what, total: total, tty: tty, start: now, shown: now, every: every}
}

// update reports that done units are through.
func (m *meter) update(done int64) {
	now := time.Now()
	if now.Sub(m.shown) < m.every {
		return
	}
	m.shown = now
	m.draw(done, now)
}

func (m *meter) draw(done int64, now time.Time) {
	line := m.line(done, now.Sub(m.start))
	if m.tty {
		fmt.Fprintf(m.w, "\r%s\x1b[K", line)
		m.drawn = true
	} else {
		fmt.Fprintln(m.w, line)
	}
}

// line is one report: "1234567 of 3216000 observations exported (38 %),
// 61234/s, about 32s left".
func (m *meter) line(done int64, elapsed time.Duration) string {
	rate := float64(done) / max(elapsed.Seconds(), 0.001)
	var b strings.Builder
	if m.total > 0 {
		share := min(float64(done)/float64(m.total), 1)
		if m.tty {
			const width = 24
			full := int(share * width)
			b.WriteString("[" + strings.Repeat("#", full) + strings.Repeat(".", width-full) + "] ")
		}
		fmt.Fprintf(&b, "%d of %d %s (%.0f %%), %.0f/s", done, m.total, m.what, share*100, rate)
		if rate > 0 && done < m.total {
			left := time.Duration(float64(m.total-done) / rate * float64(time.Second))
			fmt.Fprintf(&b, ", about %s left", left.Round(time.Second))
		}
	} else {
		fmt.Fprintf(&b, "%d %s, %.0f/s", done, m.what, rate)
	}
	return b.String()
}

// finish ends the bar's line on a terminal.
func (m *meter) finish() {
	if m.drawn {
		fmt.Fprint(m.w, "\r\x1b[K")
	}
}
