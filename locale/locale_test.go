package locale

import (
	"testing"
	"time"

	"tiendo/static"
)

func TestCatalogsHaveIdenticalKeys(t *testing.T) {
	c, err := Load(static.FS)
	if err != nil {
		t.Fatal(err)
	}
	if len(c["vi"]) < 50 {
		t.Fatalf("only %d Vietnamese keys loaded", len(c["vi"]))
	}
	for lang, keys := range c.MissingKeys() {
		for _, k := range keys {
			t.Errorf("%s: key %q missing or empty", lang, k)
		}
	}
}

func TestNumber(t *testing.T) {
	cases := []struct {
		lang string
		v    float64
		dec  int
		want string
	}{
		{"vi", 1234.5, 1, "1.234,5"},
		{"en", 1234.5, 1, "1,234.5"},
		{"vi", 435924, 0, "435.924"},
		{"en", -0.25, 2, "−0.25"},
		{"vi", 100, 0, "100"},
		{"en", 1234567.891, 2, "1,234,567.89"},
		// A bad stored value of decimals is bounded, not a gigabyte of zeros.
		{"en", 1.5, 1000000000, "1.500000"},
		{"vi", 2.5, -7, "2"},
	}
	for _, c := range cases {
		if got := Number(c.lang, c.v, c.dec); got != c.want {
			t.Errorf("Number(%s, %v, %d) = %q, want %q", c.lang, c.v, c.dec, got, c.want)
		}
	}
	if got := NumberAuto("vi", 98.0, 1); got != "98" {
		t.Errorf("NumberAuto trims zeros: %q", got)
	}
	if got := NumberAuto("vi", 5.9, 2); got != "5,9" {
		t.Errorf("NumberAuto: %q", got)
	}
}

func TestParseNumber(t *testing.T) {
	ok := []struct {
		lang, in string
		want     float64
	}{
		{"vi", "12,5", 12.5}, {"en", "12.5", 12.5}, {"vi", "1.234,5", 1234.5}, {"en", "1,234.5", 1234.5},
		{"vi", "-3", -3}, {"en", " 7 ", 7}, {"vi", "435.924", 435924},
	}
	for _, c := range ok {
		if got, err := ParseNumber(c.lang, c.in); err != nil || got != c.want {
			t.Errorf("ParseNumber(%s, %q) = %v, %v; want %v", c.lang, c.in, got, err, c.want)
		}
	}
	for _, c := range []struct{ lang, in string }{{"vi", "12.5"}, {"en", "12,5"}, {"en", "abc"}, {"vi", ""}, {"en", "1,2,3"}, {"en", "NaN"}, {"en", "1e400"}} {
		if v, err := ParseNumber(c.lang, c.in); err == nil {
			t.Errorf("ParseNumber(%s, %q) = %v, want an error", c.lang, c.in, v)
		}
	}
}

func TestDate(t *testing.T) {
	d := time.Date(2026, 3, 5, 0, 0, 0, 0, time.UTC)
	if got := Date("vi", d); got != "05/03/2026" {
		t.Errorf("vi date %q", got)
	}
	if got := Date("en", d); got != "5 Mar 2026" {
		t.Errorf("en date %q", got)
	}
}

func TestTimeInAZoneWithItsOffset(t *testing.T) {
	at := time.Date(2026, 12, 2, 8, 4, 5, 0, time.UTC)
	stJohns, err := time.LoadLocation("America/St_Johns")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		lang string
		zone *time.Location
		want string
	}{{"vi", Zone, "02/12/2026 15:04:05 GMT+7"}, {"en", Zone, "2 Dec 2026 15:04:05 GMT+7"},
		{"en", time.UTC, "2 Dec 2026 08:04:05 GMT"}, {"vi", stJohns, "02/12/2026 04:34:05 GMT-3:30"}} {
		if got := Time(c.lang, at, c.zone); got != c.want {
			t.Errorf("Time(%s, %s) = %q, want %q", c.lang, c.zone, got, c.want)
		}
	}
}
