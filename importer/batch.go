// Package importer reads published data files (our own long format, Open
// SDG, GSO tables, World Bank API JSON, SDMX-CSV and SDMX-JSON) into one in-memory Batch,
// previews what importing it would change, and commits it in one
// transaction. Parsing is pure: bytes in, a Batch out, no database.
package importer

import (
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
	Dimensions   []DimRec // dimensions and values the breakdowns of Observations name
	Problems     []Problem
	Notes        []Problem // not errors: e.g. a preliminary value kept with a note
}

func (b *Batch) problem(pos Pos, key string, args ...any) {
	b.Problems = append(b.Problems, Problem{Pos: pos, Key: key, Args: args})
}

func (b *Batch) note(pos Pos, key string, args ...any) {
	b.Notes = append(b.Notes, Problem{Pos: pos, Key: key, Args: args})
}

// merge adds another file's batch to b.
func (b *Batch) merge(o *Batch) {
	if b.Format == "" {
		b.Format = o.Format
	} else if o.Format != b.Format {
		b.Format = "mixed"
	}
	b.Files = append(b.Files, o.Files...)
	b.Rows += o.Rows
	b.LeftOut += o.LeftOut
	b.Pillars = append(b.Pillars, o.Pillars...)
	b.Units = append(b.Units, o.Units...)
	b.Indicators = append(b.Indicators, o.Indicators...)
	b.Targets = append(b.Targets, o.Targets...)
	b.Observations = append(b.Observations, o.Observations...)
	b.mergeDims(o.Dimensions)
	b.Problems = append(b.Problems, o.Problems...)
	b.Notes = append(b.Notes, o.Notes...)
}
