package models

import (
	"bufio"
	"bytes"
	"strings"
	"sync"
	"unicode"

	"tiendo/static"
)

// MinPasswordLength is the shortest password accepted. Current guidance
// (NIST SP 800-63B, NCSC) asks for length and a check against common
// passwords, not for composition rules: none are imposed.
const MinPasswordLength = 12

// commonPasswordsFile is written by `make assets` from the npm package
// @zxcvbn-ts/language-common (see scripts/common-passwords.js).
const commonPasswordsFile = "vendor/common-passwords.txt"

var commonPasswords = sync.OnceValue(func() map[string]bool {
	body, err := static.FS.ReadFile(commonPasswordsFile)
	if err != nil {
		return nil
	}
	m := make(map[string]bool, 50000)
	sc := bufio.NewScanner(bytes.NewReader(body))
	for sc.Scan() {
		if w := strings.TrimSpace(sc.Text()); w != "" {
			m[w] = true
		}
	}
	return m
})

// CommonPasswordsLoaded reports whether the list is in the binary; without
// it every new password is refused, so the start-up checks it.
func CommonPasswordsLoaded() bool { return len(commonPasswords()) > 0 }

// passwordProblem returns the translation key and arguments of what is
// wrong with a new password, or "" when it is acceptable. username and the
// app's name count as common: they are the first words a guesser tries.
func passwordProblem(password, username string) (string, []any) {
	if len([]rune(password)) < MinPasswordLength {
		return "error.password_short", []any{MinPasswordLength}
	}
	list := commonPasswords()
	if list == nil {
		return "error.password_list_missing", nil
	}
	lower := strings.ToLower(password)
	// "Password2026!" is "password" with a year and a mark: strip what is
	// usually appended, and a word repeated ("qwertyqwerty") to its unit.
	base := strings.TrimRightFunc(lower, func(r rune) bool {
		return unicode.IsDigit(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) || unicode.IsSpace(r)
	})
	for _, w := range []string{lower, base, repeatedUnit(lower), repeatedUnit(base)} {
		if w == "" {
			continue
		}
		if list[w] || w == "tiendo" || w == "tiến độ" || (username != "" && w == strings.ToLower(username)) || len(distinct(w)) < 3 {
			return "error.password_common", nil
		}
	}
	return "", nil
}

// repeatedUnit returns the shortest string s is a repetition of.
func repeatedUnit(s string) string {
	r := []rune(s)
	for n := 1; n <= len(r)/2; n++ {
		if len(r)%n == 0 && strings.Repeat(string(r[:n]), len(r)/n) == s {
			return string(r[:n])
		}
	}
	return s
}

func distinct(s string) map[rune]bool {
	m := map[rune]bool{}
	for _, r := range s {
		m[r] = true
	}
	return m
}
