// Package importer reads published data files (our own long format, Open
// SDG, GSO tables, World Bank API JSON, SDMX-CSV, SDMX-JSON), previews what importing
// them would change, and commits them in one transaction. Files stream
// through record by record: definitions and targets are kept in a Batch,
// observations are planned (and at the commit written) as they are read,
// so the preview reads the files once and the commit once more. Parsing is
// pure: bytes in, records out, no database.
package importer

import (
	"strings"
	"time"

	"tiendo/models"
)

// Formats the importer reads; Parse detects one from the content unless
// one is forced.
const (
	FormatOwn       = "tiendo"
	FormatOpenSDG   = "opensdg"
	FormatGSO       = "gso"
	FormatWorldBank = "worldbank"
	FormatSDMX      = "sdmx"
	FormatSDMXJSON  = "sdmx-json"
)

// Formats lists every format name, for flags and forms.
var Formats = []string{FormatOwn, FormatOpenSDG, FormatGSO, FormatWorldBank, FormatSDMX, FormatSDMXJSON}

// Pos is where a record or a problem is in its file: the file name, the row
// (1-based, as a spreadsheet counts) and the column name.
type Pos struct {
	File   string `json:"file"`
	Row    int    `json:"row"`
	Column string `json:"column,omitempty"`
}

// at is the same place in another column.
func (p Pos) at(column string) Pos {
	p.Column = column
	return p
}

// Problem is something wrong with the file, with a translation key.
type Problem struct {
	Pos
	Key  string `json:"key"`
	Args []any  `json:"args,omitempty"`
}

// Ref names a unit or an indicator: by code, or for files that only carry
// names (GSO provinces) by name, resolved against the database later.
type Ref struct {
	Code   string `json:"code"`
	NameVI string `json:"name_vi,omitempty"`
	NameEN string `json:"name_en,omitempty"`
	// Area: a unit a file's geography names (Open SDG), looked for below
	// the default unit and created under it.
	Area bool `json:"-"`
}

// Label is how a reference is shown: its code, else its name.
func (r Ref) Label() string {
	if r.Code != "" {
		return r.Code
	}
	if r.NameVI != "" {
		return r.NameVI
	}
	return r.NameEN
}

// PillarRec is a pillar defined in the file.
type PillarRec struct {
	Pos
	Code, NameVI, NameEN string
}

// UnitRec is a unit defined in the file.
type UnitRec struct {
	Pos
	Code, NameVI, NameEN, Level, Parent string
	Demo                                bool // made-up data, marked so wherever it goes
	StartedOn, EndedOn                  *time.Time
	EndedBasis                          string
}

// IndicatorRec is an indicator defined in the file.
type IndicatorRec struct {
	Pos
	Code, NameVI, NameEN, Pillar, Measure, Direction string
	Frequency                                        string // year, quarter or month; "" keeps the stored one (year when new)
	Limit                                            *float64
	Decimals                                         *int
	Implicit                                         bool     // read from another publisher's data, not defined by the user
	Rollup, RollupWeight                             string   // roll-up rule and weight; "" keeps the stored one
	RollupThreshold                                  *float64 // roll-up coverage threshold; nil keeps the stored one
	models.IndicatorTexts                                     // names of the measure and metadata, vi and en
}

// TargetRec is a target in the file.
type TargetRec struct {
	Pos
	Indicator, Unit Ref
	Year            int
	Comparator      string
	Value           float64
	ValueMax        *float64
	BaselineYear    *int
	BaselineValue   *float64
	Yearly          bool
	Source          string
}

// ObsRec is an actual value in the file.
type ObsRec struct {
	Pos
	Indicator, Unit Ref
	Period          string
	Value           float64
	Note, Source    string
	Demo            bool   // made-up data: an import keeps the mark
	Breakdown       string // the file's dimension and value codes, canonical form; "" is the total
}

// Batch is everything read from one or more files, before it meets the
// database.
type Batch struct {
	Format       string
	Files        []string
	Rows         int // data rows read
	LeftOut      int // rows read but not imported: breakdowns, missing values
	Pillars      []PillarRec
	Units        []UnitRec
	Indicators   []IndicatorRec
	Targets      []TargetRec
	Observations []ObsRec
	Dimensions   []DimRec  // dimensions and values the breakdowns of the observations name
	Problems     []Problem // the first MaxProblems
	Notes        []Problem // not errors: e.g. a preliminary value kept with a note
	moreProblems int       // problems past the first MaxProblems
	// each, when set, takes the observations as they are read instead of
	// Observations keeping them.
	each func(*Batch, ObsRec)
	// other is set while another publisher's file is read; implicitFrom is
	// its first indicator not yet marked Implicit.
	other        bool
	implicitFrom int
	interned     map[string]string
	released     int // targets let go once planned (see release)
}

// release lets go of the targets read so far, once they are planned: a
// city has a hundred thousand, which the rest of the reading need not
// keep. They still count as definitions read.
func (b *Batch) release() {
	b.released += len(b.Targets)
	b.Targets = nil
}

// intern returns one copy of s for every record that holds it, which keeps
// no read row alive either.
func (b *Batch) intern(s string) string {
	if v, ok := b.interned[s]; ok {
		return v
	}
	if b.interned == nil {
		b.interned = map[string]string{}
	}
	v := strings.Clone(s)
	b.interned[v] = v
	return v
}

func (b *Batch) internRef(r Ref) Ref {
	return Ref{Code: b.intern(r.Code), NameVI: b.intern(r.NameVI), NameEN: b.intern(r.NameEN)}
}

// MaxProblems is how many problems a preview lists; the others are counted.
const MaxProblems = 100

func (b *Batch) problem(pos Pos, key string, args ...any) {
	if len(b.Problems) == MaxProblems {
		b.moreProblems++
		return
	}
	b.Problems = append(b.Problems, Problem{Pos: pos, Key: key, Args: args})
}

// ProblemsTotal counts every problem, listed or not.
func (b *Batch) ProblemsTotal() int { return len(b.Problems) + b.moreProblems }

// observe hands on one observation read from a file.
func (b *Batch) observe(o ObsRec) {
	if b.each != nil {
		b.markImplicit()
		b.each(b, o)
		return
	}
	b.Observations = append(b.Observations, o)
}

// markImplicit marks the indicators read so far from another publisher's
// file: they are not the user's definitions (see IndicatorRec.Implicit).
func (b *Batch) markImplicit() {
	if !b.other {
		return
	}
	for i := b.implicitFrom; i < len(b.Indicators); i++ {
		b.Indicators[i].Implicit = true
	}
	b.implicitFrom = len(b.Indicators)
}

// definitions counts the records that are not observations.
func (b *Batch) definitions() int {
	return len(b.Pillars) + len(b.Units) + len(b.Indicators) + len(b.Targets) + b.released
}

func (b *Batch) note(pos Pos, key string, args ...any) {
	b.Notes = append(b.Notes, Problem{Pos: pos, Key: key, Args: args})
}
