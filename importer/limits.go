package importer

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"math"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Limits on what one import may hold, so a hostile or mistaken file is
// refused with a message instead of exhausting the server's memory.
const (
	// MaxRows is the default of the most rows (lines, or spreadsheet rows)
	// an uploaded file may have (-upload-max-rows); the command line has no
	// such limit.
	MaxRows = 500_000
	// MaxUnzipped is the most a spreadsheet may weigh once unzipped: a
	// "zip bomb" of a few kilobytes can claim gigabytes.
	MaxUnzipped = 256 << 20
	// maxXMLInMemory is the largest part of a spreadsheet kept in memory;
	// larger parts are read through temporary files.
	maxXMLInMemory = 32 << 20
)

// tooManyLines reports whether a text file has more than maxRows lines (0:
// no limit).
func tooManyLines(data []byte, maxRows int) bool {
	return maxRows > 0 && bytes.Count(data, []byte{'\n'}) > maxRows
}

// maxXMLDepth is deeper than any spreadsheet part nests (about 8): deeper
// nesting is an attack on the parser, not data.
const maxXMLDepth = 64

// checkZip looks at a spreadsheet's parts before excelize does: their
// unzipped total (as read, not as declared; maxUnzipped 0: no limit) and,
// for an upload (a limit set), how deep their XML nests and how many rows
// it holds. Every part is unzipped once to its end, so a part that does not
// match its checksum is refused: excelize would read it as an empty sheet.
func checkZip(data []byte, maxRows int, maxUnzipped int64) (string, []any) {
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return "", nil // excelize reports the unreadable file
	}
	budget := maxUnzipped
	if budget == 0 {
		budget = math.MaxInt64 - 1
	}
	for _, zf := range z.File {
		if zf.UncompressedSize64 > uint64(budget) {
			return "import.unzipped_too_large", []any{maxUnzipped >> 20}
		}
		rc, err := zf.Open()
		if err != nil {
			return "import.corrupt_zip", []any{zf.Name}
		}
		lr := &io.LimitedReader{R: rc, N: budget + 1}
		tooDeep, rows := false, 0
		if maxUnzipped > 0 && (strings.HasSuffix(zf.Name, ".xml") || strings.HasSuffix(zf.Name, ".rels")) {
			tooDeep, rows = scanXML(lr)
		}
		_, err = io.Copy(io.Discard, lr)
		rc.Close()
		budget = lr.N - 1
		switch {
		case err != nil && budget >= 0:
			return "import.corrupt_zip", []any{zf.Name}
		case budget < 0:
			return "import.unzipped_too_large", []any{maxUnzipped >> 20}
		case tooDeep:
			return "import.xml_too_deep", []any{zf.Name}
		case maxRows > 0 && rows > maxRows:
			return "import.too_many_rows", []any{maxRows}
		}
	}
	return "", nil
}

// scanXML reads the XML from r and reports whether it nests deeper than
// maxXMLDepth, and how many spreadsheet rows (<row>) it holds.
func scanXML(r io.Reader) (tooDeep bool, rows int) {
	d := xml.NewDecoder(r)
	depth := 0
	for {
		tok, err := d.RawToken()
		if err != nil {
			return false, rows
		}
		switch e := tok.(type) {
		case xml.StartElement:
			if depth++; depth > maxXMLDepth {
				return true, rows
			}
			if e.Name.Local == "row" {
				rows++
			}
		case xml.EndElement:
			depth--
		}
	}
}

// openXLSX opens a spreadsheet within the limits (see checkZip); a refusal
// is a problem key with its arguments.
func openXLSX(data []byte, maxRows int, maxUnzipped int64) (*excelize.File, string, []any, error) {
	if key, args := checkZip(data, maxRows, maxUnzipped); key != "" {
		return nil, key, args, nil
	}
	opts := excelize.Options{UnzipXMLSizeLimit: maxXMLInMemory}
	if maxUnzipped > 0 {
		opts.UnzipSizeLimit = maxUnzipped
	} else {
		opts.UnzipSizeLimit = math.MaxInt64
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), opts)
	if errors.Is(err, excelize.ErrOptionsUnzipSizeLimit) {
		return nil, "import.unzipped_too_large", []any{maxUnzipped >> 20}, err
	}
	return f, "", nil, err
}

// xlsxRows hands on a sheet's rows as excelize reads them, one at a time,
// with their row numbers; it stops past max rows (0: no limit). Empty rows
// are passed over; a row is padded to the header's width, as a
// spreadsheet drops trailing empty cells.
type xlsxRows struct {
	it    *excelize.Rows
	file  string
	max   int
	width int
	line  int
}

func (x *xlsxRows) next(b *Batch) ([]string, int, bool) {
	for x.it.Next() {
		if x.line++; x.max > 0 && x.line > x.max {
			b.problem(Pos{File: x.file}, "import.too_many_rows", x.max)
			return nil, 0, false
		}
		r, err := x.it.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			b.problem(Pos{File: x.file, Row: x.line}, "import.unreadable", cleanErr(err))
			return nil, 0, false
		}
		if len(r) == 0 {
			continue
		}
		for len(r) < x.width {
			r = append(r, "")
		}
		return r, x.line, true
	}
	if err := x.it.Error(); err != nil {
		b.problem(Pos{File: x.file}, "import.unreadable", cleanErr(err))
	}
	return nil, 0, false
}
