package importer

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"io"
)

// csvReader reads delimited text record by record as encoding/csv's Reader
// does with FieldsPerRecord -1 and ReuseRecord (the same records, the same
// errors at the same places; a fuzz test compares them), for a one-byte
// separator. It is ours for speed: an import reads a city's millions of
// rows twice, and encoding/csv spent most of the reading's time on rows
// of mostly empty cells.
type csvReader struct {
	r     *bufio.Reader
	comma byte
	stop  [256]bool // the bytes that end an unquoted cell's text: the separator, a quote, the line's end
	line  int       // lines read so far
	raw   []byte    // a line longer than the reader's buffer
	buf   []byte    // the current record's cells, one after the other
	ends  []int     // where each cell ends in buf
	rec   []string
	start int // the line the current record starts on
}

func newCSVReader(r io.Reader, comma byte) *csvReader {
	br, ok := r.(*bufio.Reader)
	if !ok {
		br = bufio.NewReader(r)
	}
	c := &csvReader{r: br, comma: comma}
	c.stop[comma], c.stop['"'], c.stop['\n'] = true, true, true
	return c
}

// readLine returns the next line with its end as "\n" (a "\r\n" turned
// into it, a "\r" before the end of the file dropped), valid until the
// next call; err is io.EOF after the last line.
func (c *csvReader) readLine() ([]byte, error) {
	line, err := c.r.ReadSlice('\n')
	if errors.Is(err, bufio.ErrBufferFull) {
		c.raw = append(c.raw[:0], line...)
		for errors.Is(err, bufio.ErrBufferFull) {
			line, err = c.r.ReadSlice('\n')
			c.raw = append(c.raw, line...)
		}
		line = c.raw
	}
	if n := len(line); n > 0 && errors.Is(err, io.EOF) {
		err = nil
		if line[n-1] == '\r' {
			line = line[:n-1]
		}
	}
	c.line++
	if n := len(line); n >= 2 && line[n-2] == '\r' && line[n-1] == '\n' {
		line[n-2] = '\n'
		line = line[:n-1]
	}
	return line, err
}

// endLen is how long the line's end is: 1 for a final "\n", else 0.
func endLen(line []byte) int {
	if len(line) > 0 && line[len(line)-1] == '\n' {
		return 1
	}
	return 0
}

// Read returns the next record, its cells valid until the next call; at
// the end io.EOF, at text that is not valid CSV a *csv.ParseError.
func (c *csvReader) Read() ([]string, error) {
	var line []byte
	var errRead error
	for errRead == nil {
		line, errRead = c.readLine()
		if errRead == nil && len(line) == endLen(line) {
			continue // blank lines are skipped
		}
		break
	}
	if errors.Is(errRead, io.EOF) {
		return nil, errRead
	}
	c.start = c.line
	c.buf, c.ends = c.buf[:0], c.ends[:0]
	err := c.cells(line, errRead)
	if err == nil {
		err = errRead
	}
	// One string for the record, cut into its cells.
	str := string(c.buf)
	c.rec = c.rec[:0]
	from := 0
	for _, end := range c.ends {
		c.rec = append(c.rec, str[from:end])
		from = end
	}
	return c.rec, err
}

// cells reads the record that starts with line into buf and ends, reading
// more lines where a quoted cell goes on.
func (c *csvReader) cells(line []byte, errRead error) error {
	col, at := 1, c.line // the column, and the line of the last text read
	for {
		if len(line) == 0 || line[0] != '"' {
			// Byte by byte: most cells are short or empty, where a
			// search call per cell costs more than the cell.
			i := 0
			for i < len(line) && !c.stop[line[i]] {
				i++
			}
			if i < len(line) && line[i] == '"' {
				return &csv.ParseError{StartLine: c.start, Line: c.line, Column: col + i, Err: csv.ErrBareQuote}
			}
			c.buf = append(c.buf, line[:i]...)
			c.ends = append(c.ends, len(c.buf))
			if i == len(line) || line[i] == '\n' {
				return nil
			}
			line = line[i+1:]
			col += i + 1
			continue
		}
		// A quoted cell.
		line = line[1:]
		col++
		for {
			i := bytes.IndexByte(line, '"')
			switch {
			case i >= 0:
				c.buf = append(c.buf, line[:i]...)
				line = line[i+1:]
				col += i + 1
				switch {
				case len(line) > 0 && line[0] == '"': // "" is a quote
					c.buf = append(c.buf, '"')
					line = line[1:]
					col++
					continue
				case len(line) > 0 && line[0] == c.comma: // the cell ends
					line = line[1:]
					col++
					c.ends = append(c.ends, len(c.buf))
				case endLen(line) == len(line): // the record ends
					c.ends = append(c.ends, len(c.buf))
					return nil
				default:
					return &csv.ParseError{StartLine: c.start, Line: c.line, Column: col - 1, Err: csv.ErrQuote}
				}
			case len(line) > 0:
				// The cell goes on on the next line.
				c.buf = append(c.buf, line...)
				if errRead != nil {
					return nil
				}
				col += len(line)
				var err error
				line, err = c.readLine()
				if len(line) > 0 {
					col, at = 1, at+1
				}
				if !errors.Is(err, io.EOF) {
					errRead = err
				}
				continue
			default:
				// The file ends inside the quotes.
				if errRead == nil {
					return &csv.ParseError{StartLine: c.start, Line: at, Column: col, Err: csv.ErrQuote}
				}
				c.ends = append(c.ends, len(c.buf))
				return nil
			}
			break
		}
	}
}
