package importer

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"os"
	"unicode/utf8"
)

// File is one file given to the importer: in memory (Data: an upload,
// within the upload limits) or on disk (Path: the command line). A file is
// read once for the preview and again for the commit; our own CSV and the
// other delimited formats stream through, record by record, so a file of
// any size is never held in memory. Spreadsheets and JSON are read whole.
type File struct {
	Name string
	Data []byte
	Path string // read from disk when Data is nil
}

func (f File) open() (io.ReadCloser, error) {
	if f.Data == nil && f.Path != "" {
		return os.Open(f.Path)
	}
	return io.NopCloser(bytes.NewReader(f.Data)), nil
}

// size is what the file weighs, for progress; 0 when unknown.
func (f File) size() int64 {
	if f.Data == nil && f.Path != "" {
		if st, err := os.Stat(f.Path); err == nil {
			return st.Size()
		}
	}
	return int64(len(f.Data))
}

// whole returns the whole file: small files (Open SDG metadata) and the
// formats read in memory.
func (f File) whole() ([]byte, error) {
	if f.Data == nil && f.Path != "" {
		return os.ReadFile(f.Path)
	}
	return f.Data, nil
}

// source hands on an import's records: read once for the preview (twice
// when a file defines units or indicators after their values) and once
// more for the commit. Observations go to each as they are read; every
// other record (definitions, targets: a few per indicator and unit) is
// kept in the returned Batch.
type source interface {
	read(each func(*Batch, ObsRec)) *Batch
}

// fileSource reads files.
type fileSource struct {
	files []File
	opt   ParseOptions
}

func (s fileSource) read(each func(*Batch, ObsRec)) *Batch {
	return piped(func(each func(*Batch, ObsRec)) *Batch { return read(s.files, s.opt, each) }, each)
}

// pipeBatch is how many values go from the reader to the planner at once.
const pipeBatch = 256

// piped runs read in a goroutine of its own and hands the values it reads
// to each in the caller's, a batch at a time: reading a file and planning
// (or writing) its values take about as long, and a server has two cores
// or more. The reader waits while each takes the first value, so each may
// look at the definitions read before it; it must not look at them later,
// until piped returns. The batches go back to the reader to be filled
// again: a file of millions of values allocates a few.
func piped(read func(func(*Batch, ObsRec)) *Batch, each func(*Batch, ObsRec)) *Batch {
	type message struct {
		b    *Batch
		recs []ObsRec
	}
	ch := make(chan message, 2)
	free := make(chan []ObsRec, 3)
	ack := make(chan struct{})
	var b *Batch
	go func() {
		defer close(ch)
		var buf []ObsRec
		first := true
		b = read(func(b *Batch, o ObsRec) {
			if first {
				first = false
				ch <- message{b, []ObsRec{o}}
				<-ack
				return
			}
			if buf == nil {
				select {
				case buf = <-free:
				default:
					buf = make([]ObsRec, 0, pipeBatch)
				}
			}
			if buf = append(buf, o); len(buf) == pipeBatch {
				ch <- message{b, buf}
				buf = nil
			}
		})
		if len(buf) > 0 {
			ch <- message{b, buf}
		}
	}()
	first := true
	for m := range ch {
		for _, o := range m.recs {
			each(m.b, o)
		}
		if first {
			first = false
			ack <- struct{}{}
			continue
		}
		select {
		case free <- m.recs[:0]:
		default:
		}
	}
	return b
}

// batchSource replays a batch already read into memory (Parse).
type batchSource struct{ b *Batch }

func (s batchSource) read(each func(*Batch, ObsRec)) *Batch {
	b := *s.b
	b.Observations, b.each = nil, each
	for _, o := range s.b.Observations {
		b.observe(o)
	}
	return &b
}

// errNotUTF8 ends the reading of a file at its first byte that is not UTF-8.
var errNotUTF8 = errors.New("importer: not UTF-8")

// textReader checks, as a file streams through, that it is UTF-8: a file
// saved as Windows-1258 or UTF-16 would garble Vietnamese. At the first bad
// byte it stops with errNotUTF8 and bad is its line.
type textReader struct {
	r     io.Reader
	line  int    // line of the next byte handed on
	carry []byte // the start of a character cut by the end of the last read
	bad   int
}

func newTextReader(r io.Reader) *textReader { return &textReader{r: r, line: 1} }

func (t *textReader) Read(p []byte) (int, error) {
	if t.bad > 0 {
		return 0, errNotUTF8
	}
	if len(p) < utf8.UTFMax {
		return 0, io.ErrShortBuffer
	}
	k := copy(p, t.carry)
	t.carry = t.carry[:0]
	n, err := t.r.Read(p[k:])
	n += k
	buf := p[:n]
	cut := n
	if err == nil {
		cut -= cutRune(buf) // completed by the next read
	}
	if !utf8.Valid(buf[:cut]) {
		off := firstInvalid(buf[:cut])
		t.bad = t.line + bytes.Count(buf[:off], []byte{'\n'})
		// Hand on the whole lines before it, not the bad one.
		keep := bytes.LastIndexByte(buf[:off], '\n') + 1
		return keep, nil
	}
	t.line += bytes.Count(buf[:cut], []byte{'\n'})
	t.carry = append(t.carry, buf[cut:]...)
	return cut, err
}

// cutRune is how many bytes at the end of buf start a character that
// goes on past it.
func cutRune(buf []byte) int {
	for i := 1; i <= utf8.UTFMax-1 && i <= len(buf); i++ {
		c := buf[len(buf)-i]
		if c < utf8.RuneSelf {
			return 0
		}
		if utf8.RuneStart(c) {
			if utf8.FullRune(buf[len(buf)-i:]) {
				return 0
			}
			return i
		}
	}
	return 0
}

func firstInvalid(buf []byte) int {
	for i := 0; i < len(buf); {
		r, size := utf8.DecodeRune(buf[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return len(buf)
}

// countingReader counts the bytes read, for progress.
type countingReader struct {
	r io.Reader
	n *int64
}

func (c countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	*c.n += int64(n)
	return n, err
}

// openText opens a file for reading as text: buffered, with a look at its
// first bytes (to tell its format) and the byte count kept in *read.
func openText(f File, read *int64) (io.Closer, *bufio.Reader, []byte, error) {
	rc, err := f.open()
	if err != nil {
		return nil, nil, nil, err
	}
	br := bufio.NewReaderSize(countingReader{r: rc, n: read}, 1<<16)
	head, err := br.Peek(8 << 10)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		rc.Close()
		return nil, nil, nil, err
	}
	return rc, br, head, nil
}
