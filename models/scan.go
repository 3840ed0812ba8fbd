package models

import (
	"database/sql"
	"strconv"
	"time"
)

// scanner reads rows of tables read by the hundred thousand (values,
// targets, stored assessments) without GORM's reflection (18 µs a row):
// each column into an interface, which database/sql fills without
// reflection, then converted by the typed getters below.
type scanner struct {
	vals []any
	ptrs []any
}

func newScanner(columns int) *scanner {
	sc := &scanner{vals: make([]any, columns), ptrs: make([]any, columns)}
	for i := range sc.vals {
		sc.ptrs[i] = &sc.vals[i]
	}
	return sc
}

func (sc *scanner) scan(rows *sql.Rows) error { return rows.Scan(sc.ptrs...) }

func (sc *scanner) uint(i int) uint { return uint(asInt(sc.vals[i])) }

func (sc *scanner) int(i int) int { return int(asInt(sc.vals[i])) }

func (sc *scanner) float(i int) float64 { return asFloat(sc.vals[i]) }

func (sc *scanner) bool(i int) bool { return asBool(sc.vals[i]) }

func (sc *scanner) string(i int) string {
	switch s := sc.vals[i].(type) {
	case string:
		return s
	case []byte:
		return string(s)
	}
	return ""
}

func (sc *scanner) optFloat(i int) *float64 {
	if sc.vals[i] == nil {
		return nil
	}
	f := sc.float(i)
	return &f
}

func (sc *scanner) optInt(i int) *int {
	if sc.vals[i] == nil {
		return nil
	}
	n := sc.int(i)
	return &n
}

// time is a timestamp column; the zero time when NULL.
func (sc *scanner) time(i int) time.Time {
	t, _ := sc.vals[i].(time.Time)
	return t
}

func (sc *scanner) optTime(i int) *time.Time {
	t, ok := sc.vals[i].(time.Time)
	if !ok {
		return nil
	}
	return &t
}

// asInt, asFloat and asBool read a number or a boolean as the drivers give
// them: SQLite and PostgreSQL give int64, float64 and bool; SQLite may give
// an integer for a REAL or a BOOLEAN; text is read as a last resort.
func asInt(v any) int64 {
	switch n := v.(type) {
	case int64:
		return n
	case float64:
		return int64(n)
	}
	return int64(asFloat(v))
}

func asFloat(v any) float64 {
	switch n := v.(type) {
	case float64:
		return n
	case int64:
		return float64(n)
	case bool:
		if n {
			return 1
		}
		return 0
	case string:
		f, _ := strconv.ParseFloat(n, 64)
		return f
	case []byte:
		f, _ := strconv.ParseFloat(string(n), 64)
		return f
	}
	return 0
}

func asBool(v any) bool {
	switch b := v.(type) {
	case bool:
		return b
	case string:
		t, _ := strconv.ParseBool(b)
		return t
	}
	return asFloat(v) != 0
}
