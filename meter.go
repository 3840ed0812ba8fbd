package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/mattn/go-isatty"

	"tiendo/locale"
)

// meter shows how far a long import or export is. On a terminal it redraws
// one bar (count, rate, time left) a few times a second; otherwise (a log,
// a pipe) it writes a line every 10 seconds at most, so logs stay short.
type meter struct {
	w            io.Writer
	cat          locale.Catalog
	lang         string
	what         string // translation key: "meter.observations_exported"
	total        int64  // 0: unknown
	tty          bool
	start, shown time.Time
	every        time.Duration
	drawn        bool
}

// newMeter writes to f (standard error), in lang, about a task of total
// units (0: unknown) named by the translation key what.
func newMeter(f *os.File, cat locale.Catalog, lang, what string, total int64) *meter {
	tty := isatty.IsTerminal(f.Fd())
	every := 10 * time.Second
	if tty {
		every = 200 * time.Millisecond
	}
	now := time.Now()
	return &meter{w: f, cat: cat, lang: lang, what: what, total: total, tty: tty, start: now, shown: now, every: every}
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

// line is one report: "1.234.567 / 3.216.000 số liệu đã xuất (38 %),
// 61.234/giây, còn khoảng 32s".
func (m *meter) line(done int64, elapsed time.Duration) string {
	rate := float64(done) / max(elapsed.Seconds(), 0.001)
	n := func(v float64) string { return locale.Number(m.lang, v, 0) }
	what := m.cat.T(m.lang, m.what)
	if m.total <= 0 {
		return m.cat.T(m.lang, "meter.progress", n(float64(done)), what, n(rate))
	}
	var b strings.Builder
	share := min(float64(done)/float64(m.total), 1)
	if m.tty {
		const width = 24
		full := int(share * width)
		b.WriteString("[" + strings.Repeat("#", full) + strings.Repeat(".", width-full) + "] ")
	}
	b.WriteString(m.cat.T(m.lang, "meter.progress_of", n(float64(done)), n(float64(m.total)), what, n(share*100), n(rate)))
	if rate > 0 && done < m.total {
		left := time.Duration(float64(m.total-done) / rate * float64(time.Second))
		b.WriteString(m.cat.T(m.lang, "meter.progress_left", left.Round(time.Second)))
	}
	return b.String()
}

// finish ends the bar's line on a terminal.
func (m *meter) finish() {
	if m.drawn {
		fmt.Fprint(m.w, "\r\x1b[K")
	}
}
