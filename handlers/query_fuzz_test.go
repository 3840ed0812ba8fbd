package handlers_test

import (
	"fmt"
	"io"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"tiendo/apptest"
)

// FuzzFormDecoding sends any query string to the pages and API that decode
// user input (the unit and year form, ?lang=): the answer is never a server
// error, and what was typed never comes back unescaped.
func FuzzFormDecoding(f *testing.F) {
	for _, q := range []string{"unit=VN-51&year=2020", "year=abc", "year=99999999999999999999", "unit=%3Cscript%3E", "lang=%22%3E%3Cb%3E", "unit=VN-SG&year=-1&lang=en", "%zz", "year=2030&year=2020", "unit=" + strings.Repeat("A", 3000)} {
		f.Add("/", q)
		f.Add("/api/v1/assessments", q)
		f.Add("/indicators/digital-economy-grdp", q)
	}
	s := apptest.Start(f, apptest.Options{Demo: true})
	f.Fuzz(func(t *testing.T, path, rawQuery string) {
		switch path {
		case "/", "/api/v1/assessments", "/indicators/digital-economy-grdp", "/indicators/gso-poverty-rate":
		default:
			path = "/"
		}
		u := &url.URL{Path: path, RawQuery: asBrowserSends(rawQuery)}
		req := httptest.NewRequest("GET", u.String(), nil)
		resp, err := s.App.Test(req, -1)
		if err != nil {
			t.Fatalf("GET %s: %v", u, err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode >= 500 {
			t.Fatalf("GET %s: %d %s", u, resp.StatusCode, body)
		}
		if strings.Contains(string(body), "<script>alert") {
			t.Fatalf("GET %s echoed a script unescaped", u)
		}
	})
}

// asBrowserSends percent-encodes what a browser never puts raw in a URL
// (spaces, control bytes, '#', bytes above ASCII), keeping the rest as typed.
func asBrowserSends(q string) string {
	var b strings.Builder
	for i := 0; i < len(q); i++ {
		c := q[i]
		if c <= ' ' || c == '#' || c >= 0x7f {
			fmt.Fprintf(&b, "%%%02X", c)
		} else {
			b.WriteByte(c)
		}
	}
	return b.String()
}
