package locale

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// plainTyped is what a person types: a sign, digits and the two separators,
// and an exponent as spreadsheets write very small or large values.
var plainTyped = regexp.MustCompile(`^[-+]?[0-9.,]+([eE][-+]?[0-9]+)?$`)

// FuzzParseNumber: ParseNumber accepts only plainly written finite numbers,
// and reads back exactly what Number writes, in both languages.
func FuzzParseNumber(f *testing.F) {
	for _, s := range []string{"1.234,5", "1,234.5", "12,5", "-3", "−0,25", "1 234,5", "1e5", "NaN", "Inf", "1.2.3", ",5", "٣", "1,23", ""} {
		f.Add("vi", s, 1234.5)
		f.Add("en", s, -0.001)
	}
	f.Fuzz(func(t *testing.T, lang, s string, v float64) {
		if lang != "vi" {
			lang = "en"
		}
		got, err := ParseNumber(lang, s)
		if err == nil {
			if math.IsNaN(got) || math.IsInf(got, 0) {
				t.Fatalf("ParseNumber(%s, %q) = %v", lang, s, got)
			}
			plain := strings.NewReplacer(" ", "", "\u00a0", "", "−", "-").Replace(strings.TrimSpace(s))
			if !plainTyped.MatchString(plain) {
				t.Fatalf("ParseNumber(%s, %q) accepted it as %v", lang, s, got)
			}
		}
		if math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v) > 1e15 {
			return
		}
		for _, d := range []int{0, 2} {
			written := Number(lang, v, d)
			back, err := ParseNumber(lang, written)
			want, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'f', d, 64), 64)
			if err != nil || math.Abs(back-want) > 1e-9*math.Max(1, math.Abs(want)) {
				t.Fatalf("Number(%s, %v, %d) = %q reads back as %v (%v), want %v", lang, v, d, written, back, err, want)
			}
		}
	})
}

// FuzzPlainDecimal: the hand-written matcher accepts exactly what the
// regular expression it replaced accepts.
func FuzzPlainDecimal(f *testing.F) {
	re := regexp.MustCompile(`^[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$`)
	for _, s := range []string{"", ".", "5.", ".5", "-1.5e-3", "1e", "+", "1.2.3", "0x1p4", "1_000", "e5", "-.e1", "12E+07"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := isPlainDecimal(s), re.MatchString(s); got != want {
			t.Fatalf("isPlainDecimal(%q) = %v, the expression says %v", s, got, want)
		}
	})
}
