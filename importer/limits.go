package importer

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"io"
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
// unzipped total (as read, not as declared) and how deep their XML nests.
func checkZip(data []byte, maxRows int) (string, []any) {
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return "", nil // excelize reports the unreadable file
	}
	budget := int64(MaxUnzipped)
	for _, zf := range z.File {
		if zf.UncompressedSize64 > uint64(budget) {
			return "import.unzipped_too_large", []any{MaxUnzipped >> 20}
		}
		// A part that does not unzip to its declared size and checksum is
		// refused here: excelize would read it as an empty sheet.
		rc, err := zf.Open()
		if err != nil {
			return "import.corrupt_zip", []any{zf.Name}
		}
		lr := &io.LimitedReader{R: rc, N: budget + 1}
		tooDeep, rows := false, 0
		if strings.HasSuffix(zf.Name, ".xml") || strings.HasSuffix(zf.Name, ".rels") {
			tooDeep, rows = scanXML(lr)
		}
		_, err = io.Copy(io.Discard, lr)
		rc.Close()
		budget = lr.N - 1
		switch {
		case err != nil && budget >= 0:
			return "import.corrupt_zip", []any{zf.Name}
		case budget < 0:
			return "import.unzipped_too_large", []any{MaxUnzipped >> 20}
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

// openXLSX opens a spreadsheet within the limits; a refusal is a problem key
// with its arguments.
func openXLSX(data []byte, maxRows int) (*excelize.File, string, []any, error) {
	if key, args := checkZip(data, maxRows); key != "" {
		return nil, key, args, nil
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: MaxUnzipped, UnzipXMLSizeLimit: maxXMLInMemory})
	if errors.Is(err, excelize.ErrOptionsUnzipSizeLimit) {
		return nil, "import.unzipped_too_large", []any{MaxUnzipped >> 20}, err
	}
	return f, "", nil, err
}

var errTooManyRows = errors.New("importer: too many rows")

// sheetRows reads a sheet row by row and stops past maxRows (0: no limit),
// rather than building every row of a huge sheet first.
func sheetRows(f *excelize.File, sheet string, maxRows int) ([][]string, error) {
	it, err := f.Rows(sheet)
	if err != nil {
		return nil, err
	}
	defer it.Close()
	var rows [][]string
	for it.Next() {
		if maxRows > 0 && len(rows) >= maxRows {
			return nil, errTooManyRows
		}
		r, err := it.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, err
		}
		rows = append(rows, r)
	}
	return rows, it.Error()
}
