package importer

import "testing"

func TestSpreadsheetTextRoundTrip(t *testing.T) {
	for _, s := range []string{"", "x", "=1+1", "+84 28", "-giảm", "@SUM(A1)", "\tcmd", "\r=x", "'", "'=x", "''", "it's", "'quoted'"} {
		out := SpreadsheetText(s)
		if out != "" && (out[0] == '=' || out[0] == '+' || out[0] == '-' || out[0] == '@' || out[0] == '\t' || out[0] == '\r') {
			t.Errorf("%q goes out as %q, a formula", s, out)
		}
		if back := plainText(out); back != s {
			t.Errorf("%q → %q → %q", s, out, back)
		}
	}
}
