package importer

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"tiendo/models"
)

// valueAudit is models.ObservationAudit as a struct: the same JSON, its keys
// in the same order, without a map per value (an import writes millions).
type valueAudit struct {
	Note   string  `json:"note"`
	Source string  `json:"source"`
	Value  float64 `json:"value"`
}

// json is what models.AuditJSON writes of v, byte for byte, put together
// by hand: an import lists millions of values, and encoding/json's
// reflection was a tenth of its commit. Texts that need escaping, and
// values JSON cannot hold, go the long way.
func (v valueAudit) json() string {
	if math.IsNaN(v.Value) || math.IsInf(v.Value, 0) {
		return models.AuditJSON(v)
	}
	b := make([]byte, 0, 40+len(v.Note)+len(v.Source))
	b = append(b, `{"note":`...)
	b = appendJSONString(b, v.Note)
	b = append(b, `,"source":`...)
	b = appendJSONString(b, v.Source)
	b = append(b, `,"value":`...)
	b = appendJSONFloat(b, v.Value)
	return string(append(b, '}'))
}

// appendJSONString appends s quoted as encoding/json quotes it: texts
// without anything to escape as they are, others through encoding/json.
func appendJSONString(b []byte, s string) []byte {
	plain := true
	for i := 0; i < len(s) && plain; i++ {
		c := s[i]
		plain = c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&'
	}
	if plain && !isASCII(s) {
		// encoding/json writes U+2028, U+2029 and bad bytes escaped.
		plain = utf8.ValidString(s) && !strings.ContainsAny(s, "\u2028\u2029")
	}
	if !plain {
		q, _ := json.Marshal(s) // a string always marshals
		return append(b, q...)
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// appendJSONFloat appends a finite f as encoding/json writes a float64:
// the shortest form that reads back the same, with an exponent only for
// very small or large numbers, written without a leading zero (1e-7).
func appendJSONFloat(b []byte, f float64) []byte {
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}
