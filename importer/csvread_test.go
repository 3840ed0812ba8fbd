package importer

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"
)

// FuzzCSVReaderReadsAsEncodingCSV: our reader gives the records, record
// lines and errors encoding/csv gives, for any text and either separator.
func FuzzCSVReaderReadsAsEncodingCSV(f *testing.F) {
	for _, s := range []string{
		"a,b,c\n1,2,3\n", "a;b\r\n\"x;y\";\"q\"\"q\"\r\n", "\n\n a , b \n", "\"multi\nline\",x\ny,z", "a,\"b\nc", "a,b\"c\n",
		"\"a\"b,c\n", "\"a\"\r\n\"b\"\r", "x,\"\"\n,,\n\"\",\"\"", "\"a\r\nb\",c\r\n\r\n", "a,\"b\"\"\n\"\"c\"\n", "\"\n\n\"", "\"a\"\"",
		"tên,giá trị\nHà Nội,\"1.234,5\"\n",
	} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, text string, semicolon bool) {
		comma := byte(',')
		if semicolon {
			comma = ';'
		}
		want := csv.NewReader(bytes.NewReader([]byte(text)))
		want.Comma, want.FieldsPerRecord, want.ReuseRecord = rune(comma), -1, true
		got := newCSVReader(bytes.NewReader([]byte(text)), comma)
		for i := 0; ; i++ {
			wrec, werr := want.Read()
			grec, gerr := got.Read()
			var wpe, gpe *csv.ParseError
			switch {
			case errors.As(werr, &wpe):
				if !errors.As(gerr, &gpe) || *gpe != *wpe {
					t.Fatalf("%q record %d: error %v, want %v", text, i, gerr, werr)
				}
				return
			case werr != nil || gerr != nil:
				if !errors.Is(gerr, werr) {
					t.Fatalf("%q record %d: error %v, want %v", text, i, gerr, werr)
				}
				if errors.Is(werr, io.EOF) {
					return
				}
			}
			if !slices.Equal(grec, wrec) {
				t.Fatalf("%q record %d: %q, want %q", text, i, grec, wrec)
			}
			if line, _ := want.FieldPos(0); got.start != line {
				t.Fatalf("%q record %d starts on line %d, want %d", text, i, got.start, line)
			}
		}
	})
}

// BenchmarkReadOwnCSV reads rows shaped like an export of a city (names
// in both languages on every row, most cells empty) into records.
func BenchmarkReadOwnCSV(b *testing.B) {
	var text bytes.Buffer
	text.WriteString(strings.Join(OwnColumns, ",") + "\n")
	for i := 0; i < 20000; i++ {
		fmt.Fprintf(&text, "observation,digital-government,,,dvc-l34-online,\"Dịch vụ công trực tuyến mức độ 3, 4\",Online public services at level 3 and 4,,,,,,VN-DEMO-D%02d-W%02d,\"Phường %d, Quận Minh Họa %d\",\"Ward %d, Demo District %d\",,,%d-Q%d,,,%d.5,,,,,,,,,,,,,,,,,,,,,,,,,,\n",
			i%20, i%13, i%13, i%20, i%13, i%20, 2015+i%11, 1+i%4, i%100)
	}
	data := text.Bytes()
	b.SetBytes(int64(len(data)))
	for i := 0; i < b.N; i++ {
		n := 0
		read([]File{{Name: "bench.csv", Data: data}}, ParseOptions{}, func(*Batch, ObsRec) { n++ })
		if n != 20000 {
			b.Fatalf("%d values read, want 20000", n)
		}
	}
}
