package reports

import (
	"bytes"
	"encoding/csv"
	"testing"
)

// csvFields are fields that encoding/csv quotes, or nearly does.
var csvFields = []string{"", "plain", "Hà Nội", "a,b", "a;b", `say "hi"`, "two\nlines", "cr\rlf\r\n", " leading space", "\tleading tab",
	"\u00a0no-break space", "\u2003em space", "\u0085next line", `\.`, `\.x`, "trailing space ", "'=1+1", "\xff\xfe bad utf-8", "-1.5", "14,5"}

// TestCSVFieldsAsEncodingCSV: our row writer quotes every field as
// encoding/csv does, with either separator, so the export's bytes did not
// change when it stopped using it.
func TestCSVFieldsAsEncodingCSV(t *testing.T) {
	for _, comma := range []byte{',', ';'} {
		for _, f := range csvFields {
			checkCSVField(t, f, comma)
		}
	}
}

func FuzzCSVField(f *testing.F) {
	for _, s := range csvFields {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkCSVField(t, s, ',')
		checkCSVField(t, s, ';')
	})
}

func checkCSVField(t *testing.T, field string, comma byte) {
	t.Helper()
	var want bytes.Buffer
	w := csv.NewWriter(&want)
	w.Comma = rune(comma)
	if err := w.Write([]string{field, field}); err != nil {
		t.Fatal(err)
	}
	w.Flush()
	cw := &csvWriter{comma: comma}
	got := cw.appendRow(nil, []string{field, field})
	if !bytes.Equal(got, want.Bytes()) {
		t.Errorf("%q with %q: got %q, encoding/csv writes %q", field, comma, got, want.Bytes())
	}
	if b := appendCSVField(nil, []byte(field), comma); !bytes.Equal(b, appendCSVField(nil, field, comma)) {
		t.Errorf("%q: bytes and string differ: %q", field, b)
	}
}
