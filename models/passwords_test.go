package models

import "testing"

func TestPasswordRules(t *testing.T) {
	if !CommonPasswordsLoaded() {
		t.Fatal("the common-password list is not embedded: run make assets")
	}
	for _, c := range []struct {
		password, username, want string
	}{
		{"short", "", "error.password_short"},
		{"mật-khẩu-11", "", "error.password_short"}, // 11 runes, more bytes
		{"qwertyuiop123", "", "error.password_common"},
		{"Password2026!", "", "error.password_common"},  // a common word with a year and a mark
		{"dragondragon", "", "error.password_common"},   // a common word repeated
		{"aaaaaaaaaaaaaa", "", "error.password_common"}, // one character
		{"123456789012", "", "error.password_common"},
		{"nguyen.van.an", "nguyen.van.an", "error.password_common"}, // one's own name
		{"Tiendo2026!!", "", "error.password_common"},
		{"mật-khẩu-đủ-dài", "", ""}, // no composition rules: letters and hyphens are fine
		{"correct horse battery staple", "", ""},
		{"830274619283", "", ""},
	} {
		key, _ := passwordProblem(c.password, c.username)
		if key != c.want {
			t.Errorf("%q (user %q): %q, want %q", c.password, c.username, key, c.want)
		}
	}
}
