package handlers_test

import (
	"encoding/json"
	"net/http"
	"os"
	"strings"
	"testing"

	"tiendo/apptest"
)

// TestImportPreviewShowsBreakdowns: the dry run's JSON answer and the
// upload page say per kind how many rows became totals, breakdowns, or
// were refused and why, and show each sample value's breakdown; a file
// with nothing to import is refused with a message unless allow_empty.
func TestImportPreviewShowsBreakdowns(t *testing.T) {
	s, tm := startTeam(t, apptest.Options{})
	data, err := os.ReadFile("../importer/testdata/indicator_1-2-1.csv")
	if err != nil {
		t.Fatal(err)
	}
	admin := tm["admin"]
	admin.Get(t, "/import")
	fields := map[string]string{"dry_run": "1", "unit": "VN-SG", "missing": "create"}
	body, ctype := multipartBody(t, fields, map[string][]byte{"indicator_1-2-1.csv": data})
	hdr := map[string]string{"Content-Type": ctype, "X-CSRF-Token": admin.CSRF}
	resp, js := admin.Do(t, "POST", "/api/v1/import?lang=en", body, hdr)
	var out struct {
		Plan struct {
			Outcomes map[string]struct {
				Totals, Breakdowns, Refused int
				Reasons                     map[string]int
			}
		}
		Sample []struct{ Period, Breakdown string }
	}
	if err := json.Unmarshal([]byte(js), &out); err != nil || resp.StatusCode != 200 {
		t.Fatalf("dry run: %d %v %.400s", resp.StatusCode, err, js)
	}
	if o := out.Plan.Outcomes["observation"]; o.Totals != 2 || o.Breakdowns != 4 || o.Refused != 0 {
		t.Errorf("outcome = %+v, want 2 totals, 4 breakdowns, none refused", o)
	}
	if len(out.Sample) != 6 || out.Sample[0].Breakdown != "" || out.Sample[2].Breakdown != "SEX=F" {
		t.Errorf("sample = %+v", out.Sample)
	}

	// Imported, then a file with a value of AGE not known: skipped, its rows
	// are counted as such, the page saying so in the user's language.
	body, ctype = multipartBody(t, map[string]string{"unit": "VN-SG", "missing": "create"}, map[string][]byte{"indicator_1-2-1.csv": data})
	hdr["Content-Type"] = ctype
	if resp, js := admin.Do(t, "POST", "/api/v1/import?lang=en", body, hdr); resp.StatusCode != 200 {
		t.Fatalf("import: %d %.300s", resp.StatusCode, js)
	}
	for lang, want := range map[string][]string{
		"en": {"What became of the rows", "breakdown dimension or value not known (skipped)"},
		"vi": {"Kết quả theo dòng", "chiều hoặc giá trị phân tổ chưa có (bỏ qua)"},
	} {
		page := strings.NewReplacer("Y15T24", "Y15T17", "10.1", "10.2").Replace(string(data))
		body, ctype = multipartBody(t, map[string]string{"csrf": admin.CSRF, "preview": "1", "unit": "VN-SG", "missing": "skip"},
			map[string][]byte{"indicator_1-2-1.csv": []byte(page)})
		resp, html := admin.Do(t, "POST", "/import?lang="+lang, body, map[string]string{"Content-Type": ctype})
		if resp.StatusCode != 200 {
			t.Fatalf("preview %s: %d", lang, resp.StatusCode)
		}
		for _, w := range want {
			if !strings.Contains(html, w) {
				t.Errorf("the %s preview lacks %q", lang, w)
			}
		}
		if !strings.Contains(html, "<code>SEX=F</code>") {
			t.Errorf("the %s preview shows no breakdown in its sample", lang)
		}
	}
	body, ctype = multipartBody(t, map[string]string{"csrf": admin.CSRF, "preview": "1", "unit": "VN-SG"},
		map[string][]byte{"indicator_1-2-1.csv": []byte(strings.ReplaceAll(string(data), "Y15T24", "Y15T17"))})
	if _, html := admin.Do(t, "POST", "/import?lang=en", body, map[string]string{"Content-Type": ctype}); !strings.Contains(html, "Breakdown values not yet known") ||
		!strings.Contains(html, "AGE=Y15T17") {
		t.Errorf("the preview does not list the unknown breakdown value")
	}

	before := count(t, s, "audit_log", "action = ?", "import")
	empty := map[string][]byte{"indicator_9-9-9.csv": []byte("Year,Value\n2020,\n")}
	body, ctype = multipartBody(t, map[string]string{"unit": "VN-SG", "missing": "create"}, empty)
	hdr["Content-Type"] = ctype
	resp, js = admin.Do(t, "POST", "/api/v1/import?lang=en", body, hdr)
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(js, "Nothing to import") {
		t.Errorf("an empty file: %d %.300s", resp.StatusCode, js)
	}
	body, ctype = multipartBody(t, map[string]string{"unit": "VN-SG", "missing": "create", "allow_empty": "1"}, empty)
	hdr["Content-Type"] = ctype
	if resp, js = admin.Do(t, "POST", "/api/v1/import?lang=en", body, hdr); resp.StatusCode != 200 || !strings.Contains(js, `"committed":true`) {
		t.Errorf("an empty file with allow_empty: %d %.300s", resp.StatusCode, js)
	}
	if n := count(t, s, "audit_log", "action = ?", "import") - before; n != 1 {
		t.Errorf("%d imports logged, want 1 (the one allowed empty)", n)
	}
}
