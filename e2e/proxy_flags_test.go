package e2e

import (
	"io"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"tiendo/apptest"
)

// TestPublicURLAndTrustedProxiesFlags: the real binary prints links under
// -public-url whatever host a request names, and refuses to start with a
// trusted proxy that is neither an address nor a range.
func TestPublicURLAndTrustedProxiesFlags(t *testing.T) {
	dsn := filepath.Join(t.TempDir(), "t.db")
	bad := exec.Command(apptest.Binary(t), "serve", "-db", filepath.Join(t.TempDir(), "bad.db"), "-addr", "127.0.0.1:0", "-trusted-proxies", "127.0.0.1,10.0.0.0/99")
	if out, err := bad.CombinedOutput(); err == nil || !strings.Contains(string(out), "10.0.0.0/99") {
		t.Errorf("a bad -trusted-proxies: %v %s", err, out)
	}
	p := apptest.StartBinary(t, dsn, "-public-url", "https://tiendo.example.gov.vn/", "-trusted-proxies", "127.0.0.1")
	for _, host := range []string{"", "evil.example"} {
		req, _ := http.NewRequest("GET", p.URL+"/briefing?unit=VN-SG", nil)
		req.Header.Set("X-Forwarded-Host", "evil.example")
		if host != "" {
			req.Host = host
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if strings.Contains(string(b), "evil.example") || !strings.Contains(string(b), "https://tiendo.example.gov.vn/briefing?") {
			t.Errorf("host %q: %d, the printed link is not under -public-url", host, resp.StatusCode)
		}
	}
}
