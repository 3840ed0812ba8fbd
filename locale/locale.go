// Package locale holds the translations of the interface and the number and
// date formats of each language. Vietnamese is the primary language.
package locale

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // the zone must load on machines without a zone database
)

// Languages the interface speaks, the default first.
var Languages = []string{"vi", "en"}

// Default is the language used when none is asked for.
const Default = "vi"

// Catalog maps a language to its translations, flat dotted keys.
type Catalog map[string]map[string]string

// Load reads every locales/<lang>/*.json file of fsys; files of one
// language are merged so each area of the app keeps its own file.
func Load(fsys fs.FS) (Catalog, error) {
	c := Catalog{}
	for _, lang := range Languages {
		c[lang] = map[string]string{}
		files, err := fs.Glob(fsys, path.Join("locales", lang, "*.json"))
		if err != nil {
			return nil, err
		}
		for _, name := range files {
			body, err := fs.ReadFile(fsys, name)
			if err != nil {
				return nil, err
			}
			var msgs map[string]string
			if err := json.Unmarshal(body, &msgs); err != nil {
				return nil, fmt.Errorf("locale: %s: %w", name, err)
			}
			for k, v := range msgs {
				if _, dup := c[lang][k]; dup {
					return nil, fmt.Errorf("locale: key %q defined twice in %s", k, lang)
				}
				c[lang][k] = v
			}
		}
	}
	return c, nil
}

// Normalize returns a supported language for s, or the default.
func Normalize(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	for _, l := range Languages {
		if s == l || strings.HasPrefix(s, l+"-") {
			return l
		}
	}
	return Default
}

// T translates key into lang, formatting args into it when given. A missing
// key shows as itself, so the gap is visible rather than silent.
func (c Catalog) T(lang, key string, args ...any) string {
	msg, ok := c[lang][key]
	if !ok {
		if msg, ok = c[Default][key]; !ok {
			return key
		}
	}
	if len(args) > 0 {
		return fmt.Sprintf(msg, args...)
	}
	return msg
}

// MissingKeys lists, per language, the keys another language has that this
// one lacks or leaves empty.
func (c Catalog) MissingKeys() map[string][]string {
	all := map[string]bool{}
	for _, msgs := range c {
		for k := range msgs {
			all[k] = true
		}
	}
	missing := map[string][]string{}
	for lang, msgs := range c {
		for k := range all {
			if strings.TrimSpace(msgs[k]) == "" {
				missing[lang] = append(missing[lang], k)
			}
		}
		sort.Strings(missing[lang])
	}
	return missing
}

// separators returns the decimal and thousands separators of lang.
func separators(lang string) (decimal, thousands string) {
	if lang == "vi" {
		return ",", "."
	}
	return ".", ","
}

// MaxDecimals is the most decimals a number is written with: what an
// indicator may ask for, and the bound when a stored value asks for more
// (a billion decimals would take a gigabyte per number).
const MaxDecimals = 6

// Number formats v with the given decimals (0 to MaxDecimals) in lang's
// notation: 1.234,5 in Vietnamese, 1,234.5 in English.
func Number(lang string, v float64, decimals int) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "—"
	}
	decimals = min(max(decimals, 0), MaxDecimals)
	dec, thou := separators(lang)
	s := strconv.FormatFloat(math.Abs(v), 'f', decimals, 64)
	intPart, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	if v < 0 && strings.Trim(s, "0.") != "" {
		b.WriteString("−")
	}
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteString(thou)
		}
		b.WriteRune(r)
	}
	if frac != "" {
		b.WriteString(dec)
		b.WriteString(frac)
	}
	return b.String()
}

// NumberAuto formats v with at most maxDecimals, trimming trailing zeros.
func NumberAuto(lang string, v float64, maxDecimals int) string {
	s := Number(lang, v, maxDecimals)
	dec, _ := separators(lang)
	if maxDecimals > 0 && strings.Contains(s, dec) {
		s = strings.TrimRight(s, "0")
		s = strings.TrimSuffix(s, dec)
	}
	return s
}

// DefaultZone is the zone of the app's users (-time-zone's default).
const DefaultZone = "Asia/Ho_Chi_Minh"

// Zone is Vietnam's time (UTC+7, no daylight saving): where deadlines fall
// and the days of digests are counted.
var Zone = func() *time.Location {
	loc, err := time.LoadLocation(DefaultZone)
	if err != nil {
		return time.FixedZone("ICT", 7*3600)
	}
	return loc
}()

// Time formats an instant in zone, to the second, with the zone's offset:
// "02/12/2026 15:04:05 GMT+7" in Vietnamese.
func Time(lang string, t time.Time, zone *time.Location) string {
	at := t.In(zone)
	return Date(lang, at) + " " + at.Format("15:04:05") + " " + gmtOffset(at)
}

// gmtOffset writes t's zone offset as GMT+7, GMT-3:30 or GMT.
func gmtOffset(t time.Time) string {
	_, off := t.Zone()
	if off == 0 {
		return "GMT"
	}
	sign := "+"
	if off < 0 {
		sign, off = "-", -off
	}
	s := "GMT" + sign + strconv.Itoa(off/3600)
	if m := off % 3600 / 60; m != 0 {
		s += fmt.Sprintf(":%02d", m)
	}
	return s
}

// Date formats t as dd/mm/yyyy in Vietnamese and "2 Jan 2006" in English.
func Date(lang string, t time.Time) string {
	if lang == "vi" {
		return t.Format("02/01/2006")
	}
	return t.Format("2 Jan 2006")
}

// Machine is the notation of files and APIs rather than of people: a
// decimal point and no thousands separator ("9214.5"; "9.214" is nine point
// two one four). Our own CSV files are written and read in it.
const Machine = "machine"

// ErrAmbiguous is ParseNumber's error for a machine-form number holding a
// comma: "1,234" or "9.214,5" could be read two ways, so it is not read.
var ErrAmbiguous = errors.New("number could be read two ways")

// ParseNumber reads a number typed in lang's notation ("12,5" in Vietnamese,
// "12.5" in English), or in Machine form. Thousands separators are accepted
// where they group three digits (never in Machine form); anything else is
// an error. It is the one number parser of forms, the grid and files.
func ParseNumber(lang, s string) (float64, error) {
	s = strings.TrimSpace(strings.ReplaceAll(s, "\u00a0", ""))
	s = strings.ReplaceAll(s, " ", "")
	s = strings.Replace(s, "−", "-", 1)
	if s == "" {
		return 0, fmt.Errorf("empty number")
	}
	if lang == Machine {
		if strings.Contains(s, ",") {
			return 0, ErrAmbiguous
		}
		return plainNumber(s)
	}
	dec, thou := separators(lang)
	intPart, frac, hasFrac := strings.Cut(s, dec)
	if strings.Contains(frac, dec) || strings.Contains(frac, thou) {
		return 0, fmt.Errorf("not a number: %q", s)
	}
	if strings.Contains(intPart, thou) {
		groups := strings.Split(strings.TrimPrefix(intPart, "-"), thou)
		for i, g := range groups {
			if (i == 0 && (len(g) < 1 || len(g) > 3)) || (i > 0 && len(g) != 3) {
				return 0, fmt.Errorf("not a number: %q", s)
			}
		}
		intPart = strings.ReplaceAll(intPart, thou, "")
	}
	norm := intPart
	if hasFrac {
		norm += "." + frac
	}
	return plainNumber(norm)
}

// isPlainDecimal matches ^[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$,
// without a regular expression: an import reads millions of numbers.
func isPlainDecimal(s string) bool {
	i := 0
	sign := func() {
		if i < len(s) && (s[i] == '-' || s[i] == '+') {
			i++
		}
	}
	digits := func() int {
		n := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		return i - n
	}
	sign()
	whole := digits()
	if i < len(s) && s[i] == '.' {
		i++
		if digits() == 0 && whole == 0 {
			return false
		}
	} else if whole == 0 {
		return false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		sign()
		if digits() == 0 {
			return false
		}
	}
	return i == len(s)
}

// plainNumber reads digits with an optional sign, decimal point and
// exponent. strconv also reads hex floats (0x1p4) and underscores (1_000):
// not what a person or a file means, so those fail.
func plainNumber(s string) (float64, error) {
	if !isPlainDecimal(s) {
		return 0, fmt.Errorf("not a number: %q", s)
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("not a number: %q", s)
	}
	return v, nil
}
