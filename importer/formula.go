package importer

import "strings"

// A spreadsheet opening a CSV runs a cell that starts with = + - @ (or a
// tab or carriage return before them) as a formula: a name or a note
// could then fetch a link or run a command on the reader's machine. Text
// cells of our format that start so go out behind an apostrophe, which
// spreadsheets hide, and the import takes it off again; numbers (−5) are
// never touched.

// formulaStart holds what makes a cell a formula, and the apostrophe
// itself, so text that starts with one also comes back exactly.
const formulaStart = "=+-@\t\r'"

// NumericColumns are the columns of our format that hold numbers, periods
// and flags: they are written as they are.
var NumericColumns = map[string]bool{"limit": true, "decimals": true, "value": true, "value_max": true,
	"baseline_year": true, "baseline_value": true, "period": true, "yearly": true}

// SpreadsheetText writes a text cell so no spreadsheet takes it for a formula.
func SpreadsheetText(s string) string {
	if s != "" && strings.ContainsRune(formulaStart, rune(s[0])) {
		return "'" + s
	}
	return s
}

// plainText undoes SpreadsheetText on a cell read from a file.
func plainText(s string) string {
	if len(s) > 1 && s[0] == '\'' && strings.ContainsRune(formulaStart, rune(s[1])) {
		return s[1:]
	}
	return s
}
