package importer

import (
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"tiendo/models"
)

// TotalCode is the code publishers (SDMX, SDG) give the total of a
// dimension: a part written with it is no part.
const TotalCode = models.BreakdownTotal

// DimRec is a dimension as a file names it: the file's code (SDMX), or one
// made from a column's name (Open SDG), its label as the file writes it,
// and the values seen, each with the file's code and label. Preview
// matches them to the stored dimensions by code or name.
type DimRec struct {
	Pos
	Code, Label string
	Values      []ValueRec
}

// ValueRec is a value of a dimension as a file names it.
type ValueRec struct {
	Code, Label string
}

// dimension returns the index of the file dimension code in b.Dimensions,
// adding it the first time.
func (b *Batch) dimension(pos Pos, code, label string) int {
	for i, d := range b.Dimensions {
		if d.Code == code {
			return i
		}
	}
	b.Dimensions = append(b.Dimensions, DimRec{Pos: pos, Code: code, Label: label})
	return len(b.Dimensions) - 1
}

// dimValue adds a value to a file dimension the first time it is seen.
func (b *Batch) dimValue(d int, code, label string) {
	for _, v := range b.Dimensions[d].Values {
		if v.Code == code {
			return
		}
	}
	b.Dimensions[d].Values = append(b.Dimensions[d].Values, ValueRec{Code: code, Label: label})
}

// totalCell reports whether a cell names the total of its dimension: blank,
// the SDMX code _T, or the word for it.
func totalCell(code, label string) bool {
	switch fold(label) {
	case "total", "tong", "tongso":
		return true
	}
	return code == TotalCode || (code == "" && label == "")
}

// breakdownOf writes the pairs of one row (file dimension code → file
// value code, totals dropped) in the canonical form.
func breakdownOf(pairs map[string]string) string {
	out := make([]models.BreakdownPair, 0, len(pairs))
	for d, v := range pairs {
		if v != "" && v != TotalCode {
			out = append(out, models.BreakdownPair{Dimension: d, Value: v})
		}
	}
	models.SortBreakdown(out)
	return models.FormatBreakdown(out)
}

// madeCode makes a dimension or value code from a label the file gives
// without one: "Age group" → AGE_GROUP, "Nữ" → NU, "Woman+" → WOMAN. It is
// at most max characters and never a reserved word of the canonical form.
func madeCode(label string, max int) string {
	var b strings.Builder
	under := false
	for _, r := range norm.NFD.String(strings.ToUpper(strings.TrimSpace(label))) {
		switch {
		case r == 'Đ':
			b.WriteRune('D')
			under = false
		case unicode.Is(unicode.Mn, r):
		case r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			b.WriteRune(r)
			under = false
		case !under && b.Len() > 0:
			b.WriteByte('_')
			under = true
		}
	}
	out := strings.Trim(b.String(), "_")
	if len(out) > max {
		out = strings.TrimRight(out[:max], "_")
	}
	if out == "" {
		out = "X"
	}
	return out
}

// labelCodes gives labels of one dimension distinct made codes: the second
// label that folds to a code already taken gets _2, and so on.
type labelCodes struct {
	byLabel map[string]string
	taken   map[string]bool
}

func (l *labelCodes) code(label string, max int) string {
	if c, ok := l.byLabel[label]; ok {
		return c
	}
	if l.byLabel == nil {
		l.byLabel, l.taken = map[string]string{}, map[string]bool{}
	}
	c := madeCode(label, max)
	for n := 2; l.taken[c]; n++ {
		suffix := "_" + strconv.Itoa(n)
		c = madeCode(label, max-len(suffix)) + suffix
	}
	l.byLabel[label], l.taken[c] = c, true
	return c
}

// SplitMap tells a mapping table's unit lines (name → unit code) from its
// breakdown lines ("Column=*" → "DIM=*", "Column=Cell" → "DIM=VALUE" or
// "_T").
func SplitMap(m map[string]string) (units, breakdowns map[string]string) {
	units, breakdowns = map[string]string{}, map[string]string{}
	for k, v := range m {
		if strings.Contains(k, "=") {
			breakdowns[k] = v
		} else {
			units[k] = v
		}
	}
	return units, breakdowns
}
