package importer

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"tiendo/models"
)

// fold writes a name without accents, case, spaces or punctuation, so
// "Trà Vinh", "Tra Vinh" and "TRA  VINH" meet.
func fold(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(strings.ToLower(s)) {
		switch {
		case r == 'đ':
			b.WriteRune('d')
		case unicode.Is(unicode.Mn, r):
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		}
	}
	return b.String()
}

// unitKey folds a unit name and drops the words for its level ("Tỉnh Trà
// Vinh", "Trà Vinh Province" and "Tra Vinh" give the same key).
func unitKey(s string) string {
	k := fold(s)
	for _, p := range []string{"thanhpho", "tinh", "tp"} {
		if strings.HasPrefix(k, p) && len(k) > len(p)+2 {
			k = k[len(p):]
			break
		}
	}
	for _, suf := range []string{"province", "city"} {
		if strings.HasSuffix(k, suf) && len(k) > len(suf)+2 {
			k = k[:len(k)-len(suf)]
			break
		}
	}
	return k
}

// slug makes a code from a name: "Tra Vinh" → "tra-vinh".
func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range norm.NFD.String(strings.ToLower(strings.TrimSpace(s))) {
		switch {
		case r == 'đ':
			b.WriteRune('d')
			dash = false
		case unicode.Is(unicode.Mn, r):
		case r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '.'):
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
	}
	out := strings.Trim(b.String(), "-")
	if len(out) > 64 {
		out = strings.TrimRight(out[:64], "-")
	}
	return out
}

// canonicalPeriod writes a period as the database keeps it (2024, 2024-Q3,
// 2024-05).
func canonicalPeriod(s string) (string, bool) {
	p, err := models.ParsePeriod(s)
	if err != nil {
		return "", false
	}
	return p.String(), true
}

// ReadUnitMap reads a mapping table of names to unit codes: one
// "name,unit_code" line per name, as `tiendo import --map` and the upload
// page take it. Blank lines are skipped; a line without a code is refused
// by its number.
func ReadUnitMap(r io.Reader) (map[string]string, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	m := map[string]string{}
	for line := 1; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			return m, nil
		}
		if err != nil {
			return nil, MapLineError{Line: line}
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if len(rec) < 2 || strings.TrimSpace(rec[0]) == "" || strings.TrimSpace(rec[1]) == "" {
			return nil, MapLineError{Line: line}
		}
		m[strings.TrimSpace(rec[0])] = strings.TrimSpace(rec[1])
	}
}

// MapLineError is a line of a mapping table that is not "name,unit_code";
// MapLineKey is its message's translation key (the line is its argument).
type MapLineError struct{ Line int }

// MapLineKey translates a MapLineError.
const MapLineKey = "import.map_line"

func (e MapLineError) Error() string {
	return fmt.Sprintf("mapping table line %d: write the name in the file, a comma, and the unit code", e.Line)
}
