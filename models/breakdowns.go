package models

import (
	"slices"
	"strings"
	"time"
)

// A breakdown names the part of a total a value counts: a set of
// dimension=value pairs such as SEX=F;AGE=Y15T24 (women aged 15 to 24).
// Its canonical form lists the pairs sorted by dimension code, joined by
// ";", without the pairs whose value is the total "_T"; the empty
// breakdown is the total itself. Totals stay in observations, the parts in
// breakdown_values (migration 90), so a stored total is never replaced by a
// sum of its parts (rates do not add up).

// BreakdownTotal is the value code that means "every value of the dimension".
const BreakdownTotal = "_T"

// MaxBreakdownLength is the longest a breakdown's canonical form may be.
const MaxBreakdownLength = 255

// DefaultMaxBreakdowns is how many distinct breakdowns an indicator may
// hold unless -max-breakdowns (TIENDO_MAX_BREAKDOWNS) says otherwise.
const DefaultMaxBreakdowns = 1000

// Dimension is what values are broken down by: sex, age group, urban or
// rural, income quintile, ethnic group, economic sector.
type Dimension struct {
	ID       uint             `json:"-"`
	Code     string           `json:"code"`
	NameVI   string           `json:"name_vi"`
	NameEN   string           `json:"name_en"`
	Position int              `gorm:"default:0" json:"-"`
	Values   []DimensionValue `gorm:"-" json:"values"`
}

// DimensionValue is one value of a dimension, e.g. F of SEX.
type DimensionValue struct {
	ID          uint   `json:"-"`
	DimensionID uint   `json:"-"`
	Code        string `json:"code"`
	NameVI      string `json:"name_vi"`
	NameEN      string `json:"name_en"`
	Position    int    `gorm:"default:0" json:"-"`
}

// IndicatorDimension lists a dimension an indicator is broken down by.
type IndicatorDimension struct {
	IndicatorID uint `gorm:"primaryKey"`
	DimensionID uint `gorm:"primaryKey"`
}

// IndicatorBreakdown is a breakdown assessed beside the indicator's total
// (e.g. women and men), with its own status.
type IndicatorBreakdown struct {
	IndicatorID uint   `gorm:"primaryKey"`
	Breakdown   string `gorm:"primaryKey"`
	Position    int    `gorm:"default:0"`
}

// BreakdownValue is an actual value of one part of a total: an indicator
// in a unit for a period and a breakdown (never the empty one).
type BreakdownValue struct {
	ID          uint      `json:"-"`
	IndicatorID uint      `json:"-"`
	UnitID      uint      `json:"-"`
	Period      string    `json:"period"`
	Year        int       `json:"-"`
	Breakdown   string    `json:"breakdown"`
	Value       float64   `json:"value"`
	Note        string    `gorm:"default:''" json:"note"`
	Source      string    `gorm:"default:''" json:"source"`
	Demo        bool      `gorm:"default:false" json:"demo,omitempty"`
	CreatedAt   time.Time `json:"-"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// Observation returns the value as an observation of its breakdown, the
// shape every reader of values already takes.
func (b BreakdownValue) Observation() Observation {
	return Observation{ID: b.ID, IndicatorID: b.IndicatorID, UnitID: b.UnitID, Period: b.Period, Year: b.Year,
		Value: b.Value, Note: b.Note, Source: b.Source, Demo: b.Demo, CreatedAt: b.CreatedAt, UpdatedAt: b.UpdatedAt, Breakdown: b.Breakdown}
}

// BreakdownPair is one dimension=value pair of a breakdown.
type BreakdownPair struct {
	Dimension string
	Value     string
}

// BreakdownError is why a breakdown cannot be read: a translation key and
// its arguments, like a Problem.
type BreakdownError struct {
	Key  string
	Args []any
}

func (e *BreakdownError) Error() string { return "breakdown: " + e.Key }

// ParseBreakdown reads a breakdown written as DIM=VALUE pairs separated by
// ";" (spaces around codes are ignored) and returns its pairs in canonical
// order, the total's pairs ("_T") left out. "" and "_T" are the total (no
// pairs). A pair without "=", an empty code or a dimension named twice is
// an error.
func ParseBreakdown(s string) ([]BreakdownPair, error) {
	s = strings.TrimSpace(s)
	if s == "" || s == BreakdownTotal {
		return nil, nil
	}
	var pairs []BreakdownPair
	seen := map[string]bool{}
	for _, part := range strings.Split(s, ";") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue // a trailing ";"
		}
		dim, val, ok := strings.Cut(part, "=")
		dim, val = strings.TrimSpace(dim), strings.TrimSpace(val)
		switch {
		case !ok || dim == "" || val == "":
			return nil, &BreakdownError{Key: "error.breakdown_pair", Args: []any{part}}
		case seen[strings.ToUpper(dim)]:
			return nil, &BreakdownError{Key: "error.breakdown_twice", Args: []any{dim}}
		}
		seen[strings.ToUpper(dim)] = true
		if val != BreakdownTotal {
			pairs = append(pairs, BreakdownPair{Dimension: dim, Value: val})
		}
	}
	SortBreakdown(pairs)
	return pairs, nil
}

// SortBreakdown puts pairs in canonical order: by dimension code.
func SortBreakdown(pairs []BreakdownPair) {
	slices.SortFunc(pairs, func(a, b BreakdownPair) int { return strings.Compare(a.Dimension, b.Dimension) })
}

// FormatBreakdown writes pairs as a breakdown (canonical when they are
// sorted and hold no total): "SEX=F;AGE=Y15T24" → "AGE=Y15T24;SEX=F".
func FormatBreakdown(pairs []BreakdownPair) string {
	var b strings.Builder
	for i, p := range pairs {
		if i > 0 {
			b.WriteByte(';')
		}
		b.WriteString(p.Dimension)
		b.WriteByte('=')
		b.WriteString(p.Value)
	}
	return b.String()
}

// CanonicalBreakdown returns s in canonical form, codes as written; the
// codes' case is fixed by BreakdownRules.Check, which knows the stored ones.
func CanonicalBreakdown(s string) (string, error) {
	pairs, err := ParseBreakdown(s)
	if err != nil {
		return "", err
	}
	return FormatBreakdown(pairs), nil
}
