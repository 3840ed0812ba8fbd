package reports_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"tiendo/apptest"
	"tiendo/locale"
	"tiendo/reports"
	"tiendo/static"
)

// TestHostileNamesStayTextInExports checks that names written to break out of
// HTML and JSON come out of every export exactly as stored: as plain text in
// a CSV field and an XLSX cell, and as an escaped JSON string.
func TestHostileNamesStayTextInExports(t *testing.T) {
	store := apptest.OpenStore(t, apptest.DSN(t))
	apptest.AddHostile(t, store)
	cat, err := locale.Load(static.FS)
	if err != nil {
		t.Fatal(err)
	}
	d, err := reports.Load(store, reports.Filter{Lang: "vi"})
	if err != nil {
		t.Fatal(err)
	}
	export := func(format string) []byte {
		var b bytes.Buffer
		if err := reports.Write(&b, format, d, cat, nil); err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		return b.Bytes()
	}
	want := apptest.Hostile + " vi"

	records, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(export("csv"), []byte("\xef\xbb\xbf")))).ReadAll()
	if err != nil {
		t.Fatalf("csv: %v", err)
	}
	if !containsField(records, want) {
		t.Error("csv: the hostile name is not a field of its own, exactly as stored")
	}

	raw := export("json")
	if bytes.Contains(raw, []byte("<script>")) {
		t.Error("json: a raw <script> tag; it must be escaped")
	}
	var anything any
	if err := json.Unmarshal(raw, &anything); err != nil {
		t.Fatalf("json: %v", err)
	}
	if !strings.Contains(flatten(anything), want) {
		t.Error("json: the hostile name does not decode back exactly")
	}

	f, err := excelize.OpenReader(bytes.NewReader(export("xlsx")))
	if err != nil {
		t.Fatalf("xlsx: %v", err)
	}
	defer f.Close()
	found := false
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		found = found || containsField(rows, want)
	}
	if !found {
		t.Error("xlsx: no cell holds the hostile name exactly")
	}
}

func containsField(rows [][]string, want string) bool {
	for _, r := range rows {
		for _, c := range r {
			if c == want {
				return true
			}
		}
	}
	return false
}

// flatten joins every string of a decoded JSON value, one per line.
func flatten(v any) string {
	var b strings.Builder
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case string:
			b.WriteString(x + "\n")
		case []any:
			for _, e := range x {
				walk(e)
			}
		case map[string]any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(v)
	return b.String()
}
