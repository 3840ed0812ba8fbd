package handlers_test

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"tiendo/apptest"
	"tiendo/models"
)

// multipartBody builds an upload form: fields and files (name → content).
func multipartBody(t *testing.T, fields map[string]string, files map[string][]byte) (string, string) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, v := range fields {
		w.WriteField(k, v)
	}
	for name, data := range files {
		fw, err := w.CreateFormFile("file", name)
		if err != nil {
			t.Fatal(err)
		}
		fw.Write(data)
	}
	w.Close()
	return buf.String(), w.FormDataContentType()
}

func TestDownloadMenuAndExportAPI(t *testing.T) {
	s, tm := startTeam(t, apptest.Options{Demo: true})
	_, page := tm["analyst"].Get(t, "/?unit=VN-SG&year=2030")
	for _, f := range []string{"csv", "xlsx", "pdf", "json"} {
		if !strings.Contains(page, "/api/v1/export?format="+f+"&amp;indicators=&amp;unit=VN-SG&amp;year=2030") &&
			!strings.Contains(page, "/api/v1/export?format="+f) {
			t.Errorf("the overview's download menu lacks %s", f)
		}
	}
	if _, filtered := tm["analyst"].Get(t, "/?unit=VN-SG&year=2030&pillar=digital-economy"); !strings.Contains(filtered, "pillar=digital-economy&amp;unit=VN-SG") {
		t.Error("the download menu drops the page's pillar filter")
	}
	resp, body := tm["analyst"].Do(t, "GET", "/api/v1/export?format=csv&unit=VN-SG&pillar=digital-economy", "", nil)
	if resp.StatusCode != 200 || !strings.Contains(body, "digital-economy-grdp") || strings.Contains(body, "5g-coverage") {
		t.Errorf("pillar filter: %d", resp.StatusCode)
	}
	if _, anon := tm["anonymous"].Get(t, "/"); strings.Contains(anon, "/api/v1/export") {
		t.Error("an anonymous visitor sees a download menu they cannot use")
	}
	if _, ind := tm["analyst"].Get(t, "/indicators/5g-coverage?unit=VN-SG&lang=en"); !strings.Contains(ind, "indicators=5g-coverage") || !strings.Contains(ind, "Download") {
		t.Error("the indicator page's download menu does not name the indicator")
	}

	resp, body = tm["analyst"].Do(t, "GET", "/api/v1/export?format=csv&unit=VN-51&lang=vi", "", nil)
	if resp.StatusCode != 200 || !strings.HasPrefix(body, "\ufeffrecord,") || !strings.Contains(body, "Tỉnh Trà Vinh") {
		t.Fatalf("csv export: %d %.200q", resp.StatusCode, body)
	}
	if cd := resp.Header.Get("Content-Disposition"); !strings.Contains(cd, `filename="tiendo-VN-51-vi.csv"`) {
		t.Errorf("Content-Disposition %q", cd)
	}
	// The CSV labelled for Excel opens in Vietnamese regional settings
	// (list separator ";", decimal comma); the importable one stays machine form.
	machine, comma := regexp.MustCompile(`,[0-9]+\.[0-9]+,`), regexp.MustCompile(`;[0-9]+,[0-9]+;`)
	if !machine.MatchString(body) {
		t.Errorf("importable CSV without machine-form numbers: %.300q", body)
	}
	resp, excel := tm["analyst"].Do(t, "GET", "/api/v1/export?format=csv&excel=1&unit=VN-51&lang=vi", "", nil)
	if resp.StatusCode != 200 || !strings.HasPrefix(excel, "\ufeffrecord;pillar;") || !comma.MatchString(excel) || regexp.MustCompile(`;[0-9]+\.[0-9]+;`).MatchString(excel) {
		t.Errorf("CSV for Excel: %d %.300q", resp.StatusCode, excel)
	}
	if _, page := tm["analyst"].Get(t, "/?unit=VN-51"); !strings.Contains(page, "excel=1") || !strings.Contains(page, "CSV (dạng máy, để nhập lại)") {
		t.Error("the download menu does not offer both CSVs")
	}
	resp, body = tm["analyst"].Do(t, "GET", "/api/v1/export?format=xlsx&unit=VN-SG&year=2030&lang=en", "", nil)
	if resp.StatusCode != 200 {
		t.Fatalf("xlsx export: %d %s", resp.StatusCode, body)
	}
	f, err := excelize.OpenReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if sheets := f.GetSheetList(); sheets[0] != "Summary" || len(sheets) < 4 {
		t.Errorf("sheets %v", sheets)
	}
	resp, body = tm["analyst"].Do(t, "GET", "/api/v1/export?format=json&unit=VN-SG", "", nil)
	var out struct {
		Assessments  []map[string]any `json:"assessments"`
		Observations []map[string]any `json:"observations"`
	}
	if err := json.Unmarshal([]byte(body), &out); err != nil || resp.StatusCode != 200 || len(out.Assessments) == 0 || len(out.Observations) == 0 {
		t.Fatalf("json export: %d %v %.200s", resp.StatusCode, err, body)
	}
	resp, body = tm["analyst"].Do(t, "GET", "/api/v1/export?format=pdf&unit=VN-SG&year=2030", "", nil)
	if resp.StatusCode != 200 || !strings.HasPrefix(body, "%PDF") {
		t.Errorf("pdf export: %d", resp.StatusCode)
	}
	for path, want := range map[string]int{"/api/v1/export?format=doc": 400, "/api/v1/export?unit=XX": 404, "/api/v1/export?from=2020-13": 400} {
		if resp, _ := tm["analyst"].Do(t, "GET", path, "", nil); resp.StatusCode != want {
			t.Errorf("%s: %d, want %d", path, resp.StatusCode, want)
		}
	}
	if resp, _ := tm["viewer"].Do(t, "GET", "/api/v1/export?format=csv", "", nil); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a viewer exported: %d", resp.StatusCode)
	}
	_ = s
}

func TestUploadPreviewCommit(t *testing.T) {
	s, tm := startTeam(t, apptest.Options{})
	gso, err := os.ReadFile("../../shared/realdata/gso-vietnam/poverty_rate_by_province.csv")
	if err != nil {
		t.Skip("SKIPPED: real data fixture missing: gso-vietnam/poverty_rate_by_province.csv")
	}
	planner := tm["planner"]
	if code, page := planner.Get(t, "/import?lang=en"); code != 200 || !strings.Contains(page, `name="csrf"`) || !strings.Contains(page, "Import from file") {
		t.Fatalf("upload page: %d", code)
	}
	before := count(t, s, "observations", "1=1")

	// Without the CSRF token the upload is refused.
	body, ctype := multipartBody(t, map[string]string{"preview": "1"}, map[string][]byte{"poverty.csv": gso})
	if resp, _ := planner.Do(t, "POST", "/import", body, map[string]string{"Content-Type": ctype}); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("upload without CSRF: %d", resp.StatusCode)
	}

	// Preview: nothing written, unknown provinces listed, a choice asked.
	body, ctype = multipartBody(t, map[string]string{"csrf": planner.CSRF, "preview": "1"}, map[string][]byte{"poverty.csv": gso})
	resp, page := planner.Do(t, "POST", "/import?lang=en", body, map[string]string{"Content-Type": ctype})
	if resp.StatusCode != 200 || !strings.Contains(page, "Units not yet known") || !strings.Contains(page, "Ha Noi") {
		t.Fatalf("preview: %d %s", resp.StatusCode, page)
	}
	token := apptest.Between(page, `name="token" value="`, `"`)
	if token == "" || count(t, s, "observations", "1=1") != before {
		t.Fatal("the preview wrote something, or gave no token")
	}
	// The preview shows the first 20 values as they will be stored, and the
	// dry run's JSON answer carries them as "sample".
	if !strings.Contains(page, "The first 20 values, as they will be stored") || strings.Count(page, `<td class="num">`) < 20 {
		t.Error("the preview shows no sample of the values")
	}
	dryBody, dryType := multipartBody(t, map[string]string{"dry_run": "1"}, map[string][]byte{"poverty.csv": gso})
	_, dry := planner.Do(t, "POST", "/api/v1/import", dryBody, map[string]string{"Content-Type": dryType, "X-CSRF-Token": planner.CSRF})
	var sample struct {
		Sample []struct {
			Indicator, Unit, Period, Change string
			Value                           float64
		}
	}
	if err := json.Unmarshal([]byte(dry), &sample); err != nil || len(sample.Sample) != 20 || sample.Sample[0].Period == "" ||
		sample.Sample[0].Change != "create" || sample.Sample[0].Indicator == "" {
		t.Errorf("dry run sample: %v %.400s", err, dry)
	}

	// Commit without a choice: stops with the message, nothing written.
	body, ctype = multipartBody(t, map[string]string{"csrf": planner.CSRF, "token": token, "commit": "1"}, nil)
	_, page = planner.Do(t, "POST", "/import?lang=en", body, map[string]string{"Content-Type": ctype})
	if !strings.Contains(page, "Choose to create them") || count(t, s, "observations", "1=1") != before {
		t.Fatalf("commit without a choice: %s", page)
	}
	token = apptest.Between(page, `name="token" value="`, `"`)

	// Creating the unknown provinces is for an admin: the planner is told so
	// by name, nothing written.
	body, ctype = multipartBody(t, map[string]string{"csrf": planner.CSRF, "token": token, "commit": "1", "missing": "create"}, nil)
	_, page = planner.Do(t, "POST", "/import?lang=en", body, map[string]string{"Content-Type": ctype})
	if !strings.Contains(page, "only an administrator may add units") || count(t, s, "observations", "1=1") != before {
		t.Fatalf("a planner's commit creating units: %s", page)
	}
	admin := tm["admin"]
	admin.Get(t, "/import")
	body, ctype = multipartBody(t, map[string]string{"csrf": admin.CSRF, "commit": "1", "missing": "create"}, map[string][]byte{"poverty.csv": gso})
	resp, _ = admin.Do(t, "POST", "/import?lang=en", body, map[string]string{"Content-Type": ctype})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("commit: %d, want a redirect", resp.StatusCode)
	}
	if _, page = admin.Get(t, "/import?lang=en"); !strings.Contains(page, "Imported: ") {
		t.Fatalf("the page after the commit does not confirm it: %.300s", page)
	}
	if got := count(t, s, "observations", "1=1") - before; got != 545 {
		t.Errorf("%d observations added, want 545", got)
	}
	if n := count(t, s, "audit_log", "action = ? AND username = ?", "import", "admin"); n != 1 {
		t.Errorf("audit entries %d", n)
	}

	// The API: a planner scoped to another unit is refused by name (see
	// TestScopedPlannerImportsWithinScope), a planner gets a preview.
	apiBody, apiType := multipartBody(t, map[string]string{"dry_run": "1"}, map[string][]byte{"poverty.csv": gso})
	hdr := map[string]string{"Content-Type": apiType, "X-CSRF-Token": tm["scoped"].CSRF}
	if resp, _ := tm["scoped"].Do(t, "POST", "/api/v1/import", apiBody, hdr); resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("scoped planner imported another unit's values: %d", resp.StatusCode)
	}
	hdr["X-CSRF-Token"] = planner.CSRF
	resp, js := planner.Do(t, "POST", "/api/v1/import", apiBody, hdr)
	var out struct {
		Committed bool
		Plan      struct {
			Observations struct{ Create, Update, Unchanged int }
		}
	}
	if err := json.Unmarshal([]byte(js), &out); err != nil || resp.StatusCode != 200 || out.Committed || out.Plan.Observations.Unchanged != 560 {
		t.Errorf("api import: %d %v %s", resp.StatusCode, err, js)
	}
	if resp, _ := tm["analyst"].Do(t, "POST", "/api/v1/import", apiBody, map[string]string{"Content-Type": apiType, "X-CSRF-Token": tm["analyst"].CSRF}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("an analyst imported: %d", resp.StatusCode)
	}
	_ = models.RolePlanner
}

func TestUploadLimit(t *testing.T) {
	_, tm := startTeam(t, apptest.Options{})
	planner := tm["planner"]
	planner.Get(t, "/import")
	big := bytes.Repeat([]byte("x"), 33<<20)
	body, ctype := multipartBody(t, map[string]string{"csrf": planner.CSRF, "preview": "1"}, map[string][]byte{"big.csv": big})
	resp, page := planner.Do(t, "POST", "/import?lang=en", body, map[string]string{"Content-Type": ctype})
	if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(page, "too large: an upload may weigh 32 MB") {
		t.Errorf("oversized upload: %d %.300s", resp.StatusCode, page)
	}
}
