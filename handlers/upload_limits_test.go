package handlers_test

import (
	"net/http"
	"strings"
	"testing"

	"tiendo/apptest"
	"tiendo/handlers"
)

// Uploads keep their limits as settings, and a refusal names the setting;
// nothing is imported.
func TestUploadLimitsAreSettingsNamedInTheRefusal(t *testing.T) {
	obs := func(period string) map[string]string {
		return map[string]string{"record": "observation", "indicator": "5g-coverage", "unit": "VN-SG", "period": period, "value": "10", "source": "test"}
	}
	file := ownCSV(t, obs("2020"), obs("2021"), obs("2022"), obs("2023"), obs("2024"))

	_, tm := startTeam(t, apptest.Options{Config: handlers.Config{UploadMaxRows: 3}})
	code, reply := apiImport(t, tm["admin"], map[string]string{"commit": "1"}, map[string][]byte{"values.csv": file})
	if reply.Committed {
		t.Fatal("a file over the row limit was committed")
	}
	said := ""
	for _, p := range reply.Problems {
		said += p.Message + "\n"
	}
	if !strings.Contains(said, "TIENDO_UPLOAD_MAX_ROWS") || !strings.Contains(said, "-upload-max-rows") || !strings.Contains(said, " 3 rows") {
		t.Errorf("rows over the limit (%d): the refusal must name the setting and the limit, said %q", code, said)
	}

	_, tm = startTeam(t, apptest.Options{Config: handlers.Config{UploadMaxBytes: 200}})
	code, reply = apiImport(t, tm["admin"], map[string]string{"commit": "1"}, map[string][]byte{"values.csv": file})
	if code != http.StatusRequestEntityTooLarge || reply.Committed || !strings.Contains(reply.Error, "TIENDO_UPLOAD_MAX_BYTES") ||
		!strings.Contains(reply.Error, "-upload-max-bytes") {
		t.Errorf("an upload over the byte limit: %d %+v, want 413 naming the setting", code, reply)
	}
}
