// Package reports turns the dashboard's data into files for leaders and
// ministries: CSV (long form, UTF-8 with BOM), XLSX (excelize, streamed),
// a PDF briefing (fpdf with an embedded DejaVu font) and JSON. Every format
// takes the same Filter as the pages.
package reports

import (
	"errors"
	"fmt"
	"io"
	"time"

	"tiendo/display"
	"tiendo/locale"
	"tiendo/models"
)

// Formats of export.
const (
	CSV  = "csv"
	XLSX = "xlsx"
	PDF  = "pdf"
	JSON = "json"
)

// Formats lists every export format.
var Formats = []string{CSV, XLSX, PDF, JSON}

// ContentType is the MIME type of a format.
func ContentType(format string) string {
	switch format {
	case CSV:
		return "text/csv; charset=utf-8"
	case XLSX:
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	case PDF:
		return "application/pdf"
	}
	return "application/json"
}

// Filter selects what an export holds, as the pages do.
type Filter struct {
	Unit       string   // unit code; empty: every unit
	Subtree    bool     // include the units below Unit
	Pillar     string   // pillar code; empty: all
	Indicators []string // indicator codes; empty: all
	Milestone  int      // assessments at this milestone year; 0: every target
	From, To   string   // observation periods, inclusive; empty: open
	Lang       string   // language of labels (vi or en)
	// Excel makes the CSV for a spreadsheet in Lang's regional settings
	// rather than for importing: in Vietnamese, semicolons between fields
	// and decimal commas (Excel's list separator and decimal symbol there).
	Excel bool
}

// Dataset is the data of one export.
type Dataset struct {
	Filter     Filter
	Generated  time.Time
	Root       *models.Unit // the unit asked for, nil for all
	Units      []models.Unit
	Pillars    []models.Pillar
	Indicators []models.Indicator
	// Written counts the targets and assessments the export went through.
	Written  struct{ Targets, Assessments int }
	store    *models.Store
	unitIDs  []uint
	indIDs   []uint
	unitByID map[uint]models.Unit
	indByID  map[uint]models.Indicator
	assessed map[uint][]string // breakdowns assessed beside each indicator's total
}

// Load reads what the filter selects and assesses it.
func Load(store *models.Store, f Filter) (*Dataset, error) {
	f.Lang = locale.Normalize(f.Lang)
	d := &Dataset{Filter: f, Generated: store.Now(), store: store, unitByID: map[uint]models.Unit{}, indByID: map[uint]models.Indicator{}}
	units, err := store.Units()
	if err != nil {
		return nil, err
	}
	d.Units = units
	if f.Unit != "" {
		root, err := store.UnitByCode(f.Unit)
		if err != nil {
			return nil, fmt.Errorf("reports: unit %q: %w", f.Unit, err)
		}
		d.Root = root
		d.Units = []models.Unit{*root}
		if f.Subtree {
			d.Units = models.Subtree(units, root.ID)
		}
	}
	inds, err := store.Indicators()
	if err != nil {
		return nil, err
	}
	want := map[string]bool{}
	for _, c := range f.Indicators {
		want[c] = true
	}
	for _, ind := range inds {
		if (f.Pillar == "" || ind.Pillar.Code == f.Pillar) && (len(want) == 0 || want[ind.Code]) {
			d.Indicators = append(d.Indicators, ind)
			d.indIDs = append(d.indIDs, ind.ID)
			d.indByID[ind.ID] = ind
		}
	}
	for _, c := range f.Indicators {
		if _, err := store.IndicatorByCode(c); err != nil {
			return nil, fmt.Errorf("reports: indicator %q: %w", c, err)
		}
	}
	pillars, err := store.Pillars()
	if err != nil {
		return nil, err
	}
	used := map[uint]bool{}
	for _, ind := range d.Indicators {
		used[ind.PillarID] = true
	}
	for _, p := range pillars {
		if used[p.ID] {
			d.Pillars = append(d.Pillars, p)
		}
	}
	for _, u := range d.Units {
		d.unitIDs = append(d.unitIDs, u.ID)
		d.unitByID[u.ID] = u
	}
	return d, nil
}

// CountObservations is how many observations the export will write (0
// when a period filter makes it unknown), for a progress bar.
func (d *Dataset) CountObservations() (int64, error) {
	if len(d.indIDs) == 0 || len(d.unitIDs) == 0 || d.Filter.From != "" || d.Filter.To != "" {
		return 0, nil
	}
	n, err := d.store.CountObservations(d.indIDs, d.unitIDs)
	if err != nil {
		return 0, err
	}
	parts, err := d.store.CountBreakdownValues(d.indIDs, d.unitIDs)
	return n + parts, err
}

// EachTarget streams the selected current targets from one cursor.
func (d *Dataset) EachTarget(fn func(t models.Target, ind models.Indicator, u models.Unit) error) error {
	if len(d.indIDs) == 0 || len(d.unitIDs) == 0 {
		return nil
	}
	return d.store.EachTarget(d.indIDs, d.unitIDs, func(t models.Target) error {
		d.Written.Targets++
		return fn(t, d.indByID[t.IndicatorID], d.unitByID[t.UnitID])
	})
}

// EachAssessment streams the progress rows of every selected unit and
// indicator, one unit at a time, from the one computation the pages and
// the API read (effective targets, rolled-up values), so an export says
// what the screen says without holding a city's rows. The period filter
// selects observation rows only: an assessment is of the whole series, as
// on the pages. A row keeps only its latest observation, for the value
// columns.
func (d *Dataset) EachAssessment(fn func(models.Progress) error) error {
	if len(d.indIDs) == 0 {
		return nil
	}
	for _, u := range d.Units {
		rows, err := d.store.EffectiveAssessments(u, d.Filter.Milestone)
		if err != nil {
			return err
		}
		for _, r := range rows {
			if _, ok := d.indByID[r.Indicator.ID]; !ok {
				continue
			}
			if o := r.Latest(); o != nil {
				r.Observations = []models.Observation{*o}
			}
			d.Written.Assessments++
			if err := fn(r); err != nil {
				return err
			}
		}
	}
	return nil
}

// breakdownAssessments are the assessments of the breakdowns a row's
// indicator names, as the API gives them under the row (see
// models.Store.BreakdownAssessments); which indicators name some is read
// once per export.
func (d *Dataset) breakdownAssessments(r models.Progress) ([]models.BreakdownProgress, error) {
	if d.assessed == nil {
		assessed, err := d.store.AssessedBreakdowns()
		if err != nil {
			return nil, err
		}
		d.assessed = assessed
	}
	if len(d.assessed[r.Indicator.ID]) == 0 {
		return nil, nil
	}
	bds, err := d.store.BreakdownAssessments(r.Unit, []models.Progress{r})
	if err != nil {
		return nil, err
	}
	return bds[0], nil
}

// Progress returns every selected progress row (for reports that lay them
// all out, such as the PDF).
func (d *Dataset) Progress() ([]models.Progress, error) {
	var rows []models.Progress
	err := d.EachAssessment(func(r models.Progress) error {
		rows = append(rows, r)
		return nil
	})
	return rows, err
}

// EachObservation streams the selected observations with their indicator
// and unit, so large exports never hold them all: the totals, then the
// values of breakdowns (o.Breakdown set).
func (d *Dataset) EachObservation(fn func(o models.Observation, ind models.Indicator, u models.Unit) error) error {
	if len(d.indIDs) == 0 || len(d.unitIDs) == 0 {
		return nil
	}
	with := func(o models.Observation) error { return fn(o, d.indByID[o.IndicatorID], d.unitByID[o.UnitID]) }
	if err := d.store.EachObservation(d.indIDs, d.unitIDs, d.Filter.From, d.Filter.To, with); err != nil {
		return err
	}
	return d.store.EachBreakdownValue(d.indIDs, d.unitIDs, d.Filter.From, d.Filter.To, with)
}

// eachObservation is EachObservation that tells progress, if not nil, how
// many observations have gone by, every 10,000.
func (d *Dataset) eachObservation(progress func(rows int), fn func(o models.Observation, ind models.Indicator, u models.Unit) error) error {
	n := 0
	return d.EachObservation(func(o models.Observation, ind models.Indicator, u models.Unit) error {
		n++
		if progress != nil && n%10000 == 0 {
			progress(n)
		}
		return fn(o, ind, u)
	})
}

// Indicator returns a selected indicator by id.
func (d *Dataset) Indicator(id uint) models.Indicator { return d.indByID[id] }

// Unit returns a selected unit by id.
func (d *Dataset) Unit(id uint) models.Unit { return d.unitByID[id] }

// parentCode is the code of u's parent when the parent is selected too.
func (d *Dataset) parentCode(u models.Unit) string {
	if u.ParentID == nil {
		return ""
	}
	return d.unitByID[*u.ParentID].Code
}

// UnitName is the name of the unit asked for, in the export's language.
func (d *Dataset) UnitName() string {
	if d.Root == nil {
		return ""
	}
	return display.Name(d.Filter.Lang, d.Root.NameVI, d.Root.NameEN)
}

// Write writes the dataset in one of the Formats; progress, if not nil, is
// told how many observations are written so far.
func Write(w io.Writer, format string, d *Dataset, cat locale.Catalog, progress func(rows int)) error {
	switch format {
	case CSV:
		return WriteCSV(w, d, progress)
	case XLSX:
		return WriteXLSX(w, d, cat, progress)
	case PDF:
		return WritePDF(w, d, cat)
	case JSON:
		return WriteJSON(w, d, progress)
	}
	return fmt.Errorf("reports: unknown format %q", format)
}

// FileName is the name a download gets, saying what it holds: the unit,
// the milestone when one is chosen, the language (tiendo-VN-SG-2030-vi.xlsx).
// It holds the unit code as stored; a header carries it through
// handlers' attachment, which keeps it to a safe alphabet.
func (d *Dataset) FileName(format string) string {
	name := "tiendo"
	if d.Root != nil {
		name += "-" + d.Root.Code
	}
	if d.Filter.Milestone != 0 {
		name += fmt.Sprintf("-%d", d.Filter.Milestone)
	}
	if d.Filter.Lang != "" {
		name += "-" + d.Filter.Lang
	}
	return name + "." + format
}

// eachValue streams the selected observations, then the values of
// breakdowns, as models.Store.EachValue reads them (one Observation reused
// from row to row), telling progress, if not nil, how many have gone by,
// every 10,000. The rows are read on another goroutine and handed over a
// batch at a time, so reading the database and writing the file use two
// cores; at most a few batches are in flight, so memory stays flat.
func (d *Dataset) eachValue(progress func(rows int), fn func(o *models.Observation) error) error {
	if len(d.indIDs) == 0 || len(d.unitIDs) == 0 {
		return nil
	}
	const inFlight = 4
	batches, free := make(chan []valueRow, inFlight), make(chan []valueRow, inFlight+2)
	stop := make(chan struct{})
	var readErr error
	go func() {
		defer close(batches)
		b := make([]valueRow, 0, valueBatch)
		send := func() error {
			select {
			case batches <- b:
			case <-stop:
				return errStopped
			}
			select {
			case b = <-free:
				b = b[:0]
			default:
				b = make([]valueRow, 0, valueBatch)
			}
			return nil
		}
		for _, breakdowns := range []bool{false, true} {
			readErr = d.store.EachValue(d.indIDs, d.unitIDs, d.Filter.From, d.Filter.To, breakdowns, func(o *models.Observation) error {
				b = append(b, valueRow{o.IndicatorID, o.UnitID, o.Period, o.Breakdown, o.Note, o.Source, o.Value, o.Demo})
				if len(b) < valueBatch {
					return nil
				}
				return send()
			})
			if readErr != nil {
				return
			}
		}
		if len(b) > 0 {
			readErr = send()
		}
	}()
	var o models.Observation
	var err error
	n := 0
	// Read to the end even after fn failed, so the reader is never left
	// blocked; it stops at its next batch.
	for b := range batches {
		for i := 0; i < len(b) && err == nil; i++ {
			r := &b[i]
			o.IndicatorID, o.UnitID, o.Period, o.Breakdown, o.Note, o.Source, o.Value, o.Demo = r.indicator, r.unit, r.period, r.breakdown, r.note, r.source, r.value, r.demo
			if n++; progress != nil && n%10000 == 0 {
				progress(n)
			}
			if err = fn(&o); err != nil {
				close(stop)
			}
		}
		select {
		case free <- b:
		default:
		}
	}
	if err != nil {
		return err
	}
	return readErr
}

// valueBatch is how many rows eachValue hands over at a time.
const valueBatch = 1024

// valueRow is what an export file writes of an observation.
type valueRow struct {
	indicator, unit                 uint
	period, breakdown, note, source string
	value                           float64
	demo                            bool
}

// errStopped tells the reader of values that the writer has stopped.
var errStopped = errors.New("reports: export stopped")
