package importer

import (
	"errors"
	"sync/atomic"

	"tiendo/models"
)

// writeBehind writes the values a commit plans on a goroutine of its own,
// a batch behind the planning: SQLite's work and the planning's (checks,
// lookups, the audit's text) then share the cores, as reading the file
// and planning do (see piped). The writes keep their order. PostgreSQL
// writes in line: its connection serves one statement at a time, and the
// planning looks stored values up on it.
type writeBehind struct {
	write  func(emitted) error
	buf    []emitted
	ch     chan []emitted
	free   chan []emitted
	done   chan struct{}
	err    error // the first write that failed, read once done
	failed atomic.Bool
	inline bool
}

// emitted is a value to write, with what the planning worked out for it:
// its ids and its line of the audit.
type emitted struct {
	w         obsWrite
	again     bool // it repeats a key written before
	ind, unit uint
	audit     models.AuditChange
}

// errWriteFailed stops the planning once a write failed; close says why.
var errWriteFailed = errors.New("import: a write failed")

func newWriteBehind(async bool, write func(emitted) error) *writeBehind {
	b := &writeBehind{write: write, inline: !async}
	if b.inline {
		return b
	}
	b.ch, b.free, b.done = make(chan []emitted, 1), make(chan []emitted, 2), make(chan struct{})
	go func() {
		defer close(b.done)
		for batch := range b.ch {
			for _, e := range batch {
				if b.err != nil {
					break
				}
				if b.err = b.write(e); b.err != nil {
					b.failed.Store(true)
				}
			}
			select {
			case b.free <- batch[:0]:
			default:
			}
		}
	}()
	return b
}

// add hands on one value to write.
func (b *writeBehind) add(e emitted) error {
	if b.inline {
		return b.write(e)
	}
	if b.failed.Load() {
		return errWriteFailed
	}
	if b.buf == nil {
		select {
		case b.buf = <-b.free:
		default:
			b.buf = make([]emitted, 0, valueBatch)
		}
	}
	if b.buf = append(b.buf, e); len(b.buf) == valueBatch {
		b.ch <- b.buf
		b.buf = nil
	}
	return nil
}

// close writes what is left, waits for the writes and returns the first
// that failed.
func (b *writeBehind) close() error {
	if b.inline {
		return nil
	}
	if len(b.buf) > 0 {
		b.ch <- b.buf
		b.buf = nil
	}
	close(b.ch)
	<-b.done
	return b.err
}
