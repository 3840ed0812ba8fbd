package handlers

import (
	"tiendo/importer"
)

// What an import answer repeats back is bounded: a file of a million bad
// rows, or one line of 30 MB, must not come back as a page or a JSON of
// hundreds of megabytes. The totals are always given.
const (
	maxEchoed = 100 // problems, notes and missing codes shown
	maxQuote  = 200 // characters of one quoted value
)

// echoTotals are the lengths of the lists before echoPlan cut them.
type echoTotals struct {
	Problems          int `json:"problems_total"`
	Notes             int `json:"notes_total"`
	MissingUnits      int `json:"missing_units_total"`
	MissingIndicators int `json:"missing_indicators_total"`
	MissingDimensions int `json:"missing_dimensions_total"`
	MissingValues     int `json:"missing_values_total"`
}

// echoPlan is a copy of plan to show: the first maxEchoed of each list,
// every quoted value at most maxQuote characters. The plan itself, which
// may still be committed, is left as it is.
func echoPlan(plan *importer.Plan) (*importer.Plan, echoTotals) {
	totals := echoTotals{Problems: plan.ProblemsTotal(), Notes: len(plan.Notes),
		MissingUnits: len(plan.MissingUnits), MissingIndicators: len(plan.MissingIndicators),
		MissingDimensions: len(plan.MissingDimensions), MissingValues: len(plan.MissingValues)}
	shown := *plan
	shown.Problems, shown.Notes = echoProblems(plan.Problems), echoProblems(plan.Notes)
	shown.MissingUnits, shown.MissingIndicators = echoRefs(plan.MissingUnits), echoRefs(plan.MissingIndicators)
	shown.MissingDimensions, shown.MissingValues = echoRefs(plan.MissingDimensions), echoRefs(plan.MissingValues)
	shown.Files = make([]string, len(plan.Files))
	for i, f := range plan.Files {
		shown.Files[i] = quote(f)
	}
	return &shown, totals
}

func echoProblems(ps []importer.Problem) []importer.Problem {
	out := make([]importer.Problem, min(len(ps), maxEchoed))
	for i := range out {
		p := ps[i]
		p.File, p.Column = quote(p.File), quote(p.Column)
		args := make([]any, len(p.Args))
		for j, a := range p.Args {
			if s, ok := a.(string); ok {
				a = quote(s)
			}
			args[j] = a
		}
		p.Args = args
		out[i] = p
	}
	return out
}

func echoRefs(rs []importer.Ref) []importer.Ref {
	out := make([]importer.Ref, min(len(rs), maxEchoed))
	for i := range out {
		out[i] = importer.Ref{Code: quote(rs[i].Code), NameVI: quote(rs[i].NameVI), NameEN: quote(rs[i].NameEN)}
	}
	return out
}

// quote shortens s to maxQuote characters, marking the cut with "…".
func quote(s string) string {
	if len(s) <= maxQuote {
		return s
	}
	n := 0
	for i := range s {
		if n == maxQuote {
			return s[:i] + "…"
		}
		n++
	}
	return s
}
