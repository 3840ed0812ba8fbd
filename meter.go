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
	m.draw(m.line(done, now.Sub(m.start)))
}

// updateShare reports that done units are through, share (0 to 1) of the
// whole: an import knows how much of its files it read, not how many rows
// are left. A share below 0 is not known (a spreadsheet read whole): the
// count and the rate are shown, no share or time left.
func (m *meter) updateShare(done int64, share float64) {
	now := time.Now()
	if now.Sub(m.shown) < m.every {
		return
	}
	m.shown = now
	if share < 0 {
		m.draw(m.line(done, now.Sub(m.start))) // the share is not known
		return
	}
	m.draw(m.shareLine(done, share, now.Sub(m.start)))
}

func (m *meter) draw(line string) {
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
	share := min(float64(done)/float64(m.total), 1)
	return m.bar(share) + m.cat.T(m.lang, "meter.progress_of", n(float64(done)), n(float64(m.total)), what, n(share*100), n(rate)) +
		m.left(share, elapsed)
}

// shareLine is one report of a task known by its share done: "[####…]
// 1.234.567 dòng đã kiểm tra (38 %), 61.234/giây, còn khoảng 32s".
func (m *meter) shareLine(done int64, share float64, elapsed time.Duration) string {
	share = min(max(share, 0), 1)
	rate := float64(done) / max(elapsed.Seconds(), 0.001)
	n := func(v float64) string { return locale.Number(m.lang, v, 0) }
	return m.bar(share) + m.cat.T(m.lang, "imports.progress", n(float64(done)), m.cat.T(m.lang, m.what), n(share*100), n(rate)) +
		m.left(share, elapsed)
}

// bar draws the share done, on a terminal only.
func (m *meter) bar(share float64) string {
	if !m.tty {
		return ""
	}
	const width = 24
	full := int(share * width)
	return "[" + strings.Repeat("#", full) + strings.Repeat(".", width-full) + "] "
}

// left is the time left at the pace so far, once some of the work is done.
func (m *meter) left(share float64, elapsed time.Duration) string {
	if share <= 0 || share >= 1 {
		return ""
	}
	left := time.Duration(float64(elapsed) * (1 - share) / share)
	return m.cat.T(m.lang, "meter.progress_left", left.Round(time.Second))
}

// finish ends the bar's line on a terminal.
func (m *meter) finish() {
	if m.drawn {
		fmt.Fprint(m.w, "\r\x1b[K")
	}
}
