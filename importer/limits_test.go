package importer_test

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"fmt"
	"hash/crc32"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"tiendo/importer"
)

// problemKeys parses one file and returns its problems' keys.
func problemKeys(t *testing.T, name string, data []byte) []string {
	t.Helper()
	return problemKeysWithin(t, name, data, importer.MaxRows)
}

// problemKeysWithin is problemKeys with an upload's row limit.
func problemKeysWithin(t *testing.T, name string, data []byte, maxRows int) []string {
	t.Helper()
	start := time.Now()
	b := importer.Parse([]importer.File{{Name: name, Data: data}}, importer.ParseOptions{MaxRows: maxRows, MaxUnzipped: importer.MaxUnzipped})
	if d := time.Since(start); d > 60*time.Second {
		t.Errorf("%s took %s to refuse", name, d)
	}
	var keys []string
	for _, p := range b.Problems {
		keys = append(keys, p.Key)
	}
	if len(b.Observations) > 0 {
		t.Errorf("%s: %d values read from a refused file", name, len(b.Observations))
	}
	return keys
}

// xlsxWith returns a real spreadsheet whose first sheet's XML is replaced.
func xlsxWith(t *testing.T, sheetXML func(w *zip.Writer, h *zip.FileHeader)) []byte {
	t.Helper()
	f := excelize.NewFile()
	_ = f.SetCellValue("Sheet1", "A1", "indicator")
	var orig bytes.Buffer
	if err := f.Write(&orig); err != nil {
		t.Fatal(err)
	}
	r, err := zip.NewReader(bytes.NewReader(orig.Bytes()), int64(orig.Len()))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	w := zip.NewWriter(&out)
	for _, zf := range r.File {
		h := zf.FileHeader
		if zf.Name == "xl/worksheets/sheet1.xml" {
			sheetXML(w, &h)
			continue
		}
		dst, _ := w.CreateHeader(&h)
		src, _ := zf.Open()
		var buf bytes.Buffer
		_, _ = buf.ReadFrom(src)
		src.Close()
		_, _ = dst.Write(buf.Bytes())
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

func TestZipBombIsRefused(t *testing.T) {
	// A few hundred kilobytes that unzip to 300 MB of one repeated byte.
	bomb := xlsxWith(t, func(w *zip.Writer, h *zip.FileHeader) {
		h.Method = zip.Deflate
		dst, _ := w.CreateHeader(&zip.FileHeader{Name: h.Name, Method: zip.Deflate})
		_, _ = dst.Write([]byte(`<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`))
		chunk := bytes.Repeat([]byte(" "), 1<<20)
		for range 300 {
			_, _ = dst.Write(chunk)
		}
		_, _ = dst.Write([]byte(`</sheetData></worksheet>`))
	})
	if len(bomb) > 2<<20 {
		t.Fatalf("the bomb weighs %d bytes zipped", len(bomb))
	}
	keys := problemKeys(t, "bomb.xlsx", bomb)
	if strings.Join(keys, ",") != "import.unzipped_too_large" {
		t.Errorf("zip bomb: problems %v, want import.unzipped_too_large", keys)
	}
}

func TestDeeplyNestedXMLIsRefused(t *testing.T) {
	deep := xlsxWith(t, func(w *zip.Writer, h *zip.FileHeader) {
		dst, _ := w.CreateHeader(&zip.FileHeader{Name: h.Name, Method: zip.Deflate})
		_, _ = dst.Write([]byte(`<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is>`))
		_, _ = dst.Write(bytes.Repeat([]byte("<r>"), 200_000))
		_, _ = dst.Write(bytes.Repeat([]byte("</r>"), 200_000))
		_, _ = dst.Write([]byte(`</is></c></row></sheetData></worksheet>`))
	})
	if keys := problemKeys(t, "deep.xlsx", deep); strings.Join(keys, ",") != "import.xml_too_deep" {
		t.Errorf("deep XML: problems %v, want import.xml_too_deep", keys)
	}
}

// An upload's row limit (-upload-max-rows) refuses a file or sheet with more
// rows; the command line, without a limit, reads it.
func TestTooManyRowsIsRefused(t *testing.T) {
	const limit = 2000
	var csv strings.Builder
	csv.WriteString("indicator,unit,period,value\n")
	for range limit + 1 {
		csv.WriteString("x,VN-SG,2024,1\n")
	}
	if keys := problemKeysWithin(t, "rows.csv", []byte(csv.String()), limit); strings.Join(keys, ",") != "import.too_many_rows" {
		t.Errorf("too many lines: problems %v", keys)
	}
	rows := workbook(t, limit+2, func(int) []any { return []any{"x", "VN-SG", 2024, 1} })
	if keys := problemKeysWithin(t, "rows.xlsx", rows, limit); strings.Join(keys, ",") != "import.too_many_rows" {
		t.Errorf("too many spreadsheet rows: problems %v", keys)
	}
	b := importer.Parse([]importer.File{{Name: "rows.csv", Data: []byte(csv.String())}}, importer.ParseOptions{})
	for _, p := range b.Problems {
		if p.Key == "import.too_many_rows" {
			t.Fatal("without a limit (the command line) the file was refused for its rows")
		}
	}
	if len(b.Observations) != limit+1 {
		t.Errorf("without a limit %d of %d rows were read", len(b.Observations), limit+1)
	}
}

// TestLyingZipHeadersAreRefused: a spreadsheet whose parts do not match
// their declared sizes or checksums is refused with a message, never read
// as a sheet without rows.
func TestLyingZipHeadersAreRefused(t *testing.T) {
	sheet := []byte(`<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` +
		`<row r="1"><c r="A1" t="inlineStr"><is><t>indicator</t></is></c></row></sheetData></worksheet>`)
	var packed bytes.Buffer
	fw, _ := flate.NewWriter(&packed, flate.DefaultCompression)
	fw.Write(sheet)
	fw.Close()
	for name, lie := range map[string]func(h *zip.FileHeader){
		"size":     func(h *zip.FileHeader) { h.UncompressedSize64 = 40 },
		"checksum": func(h *zip.FileHeader) { h.CRC32 ^= 0xdeadbeef },
	} {
		data := xlsxWith(t, func(w *zip.Writer, h *zip.FileHeader) {
			raw := &zip.FileHeader{Name: h.Name, Method: zip.Deflate, CRC32: crc32.ChecksumIEEE(sheet),
				CompressedSize64: uint64(packed.Len()), UncompressedSize64: uint64(len(sheet))}
			lie(raw)
			dst, err := w.CreateRaw(raw)
			if err != nil {
				t.Fatal(err)
			}
			dst.Write(packed.Bytes())
		})
		if keys := problemKeys(t, "lying.xlsx", data); strings.Join(keys, ",") != "import.corrupt_zip" {
			t.Errorf("a part whose %s lies: problems %v, want import.corrupt_zip", name, keys)
		}
	}
}

// An upload's workbook may unzip to MaxUnzipped; the command line's has no
// such limit (an export of a million values unzips to most of a
// gigabyte), and its rows are read one at a time with their row numbers.
func TestCommandLineWorkbooksHaveNoUnzippedLimit(t *testing.T) {
	const n = 30_000
	data := workbook(t, n+1, func(i int) []any {
		if i == 1 {
			return []any{"indicator", "unit", "period", "value"}
		}
		return []any{"internet-users-share", "VN-SG", 1990 + i%30, float64(i) / 8}
	})
	upload := importer.Parse([]importer.File{{Name: "big.xlsx", Data: data}}, importer.ParseOptions{MaxUnzipped: 1 << 20})
	if len(upload.Problems) != 1 || upload.Problems[0].Key != "import.unzipped_too_large" {
		t.Errorf("an upload within 1 MB: problems %v, want import.unzipped_too_large", upload.Problems)
	}
	b := importer.Parse([]importer.File{{Name: "big.xlsx", Data: data}}, importer.ParseOptions{})
	if len(b.Problems) > 0 || len(b.Observations) != n {
		t.Fatalf("the command line read %d of %d values, problems %v", len(b.Observations), n, b.Problems)
	}
	last := b.Observations[n-1]
	if last.Row != n+1 || last.Value != float64(n+1)/8 || last.Period != fmt.Sprint(1990+(n+1)%30) {
		t.Errorf("the last value read %+v, want row %d", last, n+1)
	}
}

// workbook is a one-sheet workbook of n rows, row(i) the i-th (from 1),
// written as exports write theirs (a stream writer).
func workbook(t *testing.T, n int, row func(i int) []any) []byte {
	t.Helper()
	f := excelize.NewFile()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= n; i++ {
		cell, _ := excelize.CoordinatesToCellName(1, i)
		if err := sw.SetRow(cell, row(i)); err != nil {
			t.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
