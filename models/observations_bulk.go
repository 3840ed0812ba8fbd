package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// obsBatch is how many observations go into one INSERT: 500 rows × 10
// columns stays far below SQLite's and PostgreSQL's parameter limits.
const obsBatch = 500

// UpsertObservations writes observations keyed by (indicator, unit, period)
// with multi-row INSERT … ON CONFLICT statements inside tx: a new key is
// inserted, an existing one gets the new value, note and source. Both
// SQLite and PostgreSQL spell this the same way. The keys must differ.
func UpsertObservations(tx *gorm.DB, obs []Observation, now time.Time) error {
	w := NewObservationWriter(tx, now)
	for _, o := range obs {
		err := w.Write(ObservationRow{IndicatorID: o.IndicatorID, UnitID: o.UnitID, Period: o.Period, Year: o.Year,
			Value: o.Value, Note: o.Note, Source: o.Source, Demo: o.Demo})
		if err != nil {
			w.Close()
			return err
		}
	}
	return w.Close()
}

// An upsertTable is where an upsert writes: the table, its columns in the
// order of the arguments, and the unique key a row replaces on.
type upsertTable struct {
	table, columns, key string
	ncols, shared       int // the columns, and how many at the end take values shared by every row
}

// The observations' two time stamps are the same in every row.
var observationsUpsert = upsertTable{"observations",
	"indicator_id, unit_id, period, year, value, note, source, demo, created_at, updated_at", "indicator_id, unit_id, period", 10, 2}

// dbStamp is now in the form the driver takes: formatted once, not once
// per row by the driver.
func dbStamp(tx *gorm.DB, now time.Time) any {
	if IsPostgres(tx) {
		return now
	}
	return now.UTC().Format("2006-01-02 15:04:05.999999999-07:00")
}

// rowWriter writes rows into a table inside a transaction, obsBatch rows a
// multi-row statement. The statement for a full batch is prepared once and
// run straight on the transaction's connection, past GORM's per-call SQL
// building, as this is the hot path of imports. Rows are buffered: Close
// writes the last ones. Values every row shares (a time stamp, the audit
// entry) are bound once a statement, as its first parameters: each bound
// value is a call into SQLite, and an import binds tens of millions.
type rowWriter struct {
	tx      *gorm.DB
	table   string
	ncols   int // the values of one row, shared ones not counted
	sql     func(n int, numbered bool) string
	full    *sql.Stmt
	args    []any // the shared values, then the rows'
	nshared int
}

func newRowWriter(tx *gorm.DB, table string, ncols int, sql func(n int, numbered bool) string, shared ...any) *rowWriter {
	args := append(make([]any, 0, len(shared)+obsBatch*ncols), shared...)
	return &rowWriter{tx: tx, table: table, ncols: ncols, sql: sql, args: args, nshared: len(shared)}
}

// added writes the buffer once a row's arguments made it full.
func (w *rowWriter) added() error {
	if len(w.args) == w.nshared+obsBatch*w.ncols {
		return w.Flush()
	}
	return nil
}

// Flush writes the buffered rows.
func (w *rowWriter) Flush() error {
	n := (len(w.args) - w.nshared) / w.ncols
	if n == 0 {
		return nil
	}
	ctx := context.Background()
	pg := IsPostgres(w.tx)
	var err error
	if n == obsBatch {
		if w.full == nil {
			if w.full, err = w.tx.Statement.ConnPool.PrepareContext(ctx, w.sql(obsBatch, pg)); err != nil {
				return fmt.Errorf("store: unable to prepare %s: %w", w.table, err)
			}
		}
		_, err = w.full.ExecContext(ctx, w.args...)
	} else {
		_, err = w.tx.Statement.ConnPool.ExecContext(ctx, w.sql(n, pg), w.args...)
	}
	w.args = w.args[:w.nshared]
	if err != nil {
		return fmt.Errorf("store: unable to write %s: %w", w.table, err)
	}
	return nil
}

// Close writes what is buffered and frees the prepared statement.
func (w *rowWriter) Close() error {
	err := w.Flush()
	if w.full != nil {
		err = errors.Join(err, w.full.Close())
		w.full = nil
	}
	return err
}

// upsertSQL is the INSERT … ON CONFLICT of n rows, with PostgreSQL's
// numbered placeholders where needed; the last shared columns of every row
// take the statement's first values.
func (t upsertTable) upsertSQL(n int, numbered bool) string {
	return insertSQL(t.table, t.columns, t.ncols, t.shared, n, numbered) + fmt.Sprintf(` ON CONFLICT (%s) DO UPDATE SET value = excluded.value,
		note = excluded.note, source = excluded.source, demo = excluded.demo, updated_at = excluded.updated_at`, t.key)
}

// ObservationRow is one observation to write, without the associations
// an Observation carries.
type ObservationRow struct {
	IndicatorID, UnitID uint
	Period              string
	Year                int
	Value               float64
	Note, Source        string
	Demo                bool
}

// ObservationWriter writes observations one at a time as UpsertObservations
// does, in batches: an import streams millions through it. Flush before
// writing a key already written since the last flush (PostgreSQL refuses a
// statement that touches a row twice), and Close at the end.
type ObservationWriter struct {
	*rowWriter
}

// NewObservationWriter writes observations stamped now inside tx.
func NewObservationWriter(tx *gorm.DB, now time.Time) *ObservationWriter {
	t := observationsUpsert
	stamp := dbStamp(tx, now)
	return &ObservationWriter{rowWriter: newRowWriter(tx, t.table, t.ncols-t.shared, t.upsertSQL, stamp, stamp)}
}

// Write buffers one row, writing the buffer when it is full.
func (w *ObservationWriter) Write(o ObservationRow) error {
	w.args = append(w.args, o.IndicatorID, o.UnitID, o.Period, o.Year, o.Value, o.Note, o.Source, o.Demo)
	return w.added()
}

// TargetWriter inserts new targets (the first revision of their indicator,
// unit and year) a batch at a time inside a transaction, as
// ObservationWriter writes values: an import brings a city's worth.
type TargetWriter struct {
	*rowWriter
	stamp any
}

// NewTargetWriter writes targets created now inside tx.
func NewTargetWriter(tx *gorm.DB, now time.Time) *TargetWriter {
	const cols = 12
	insert := func(n int, numbered bool) string {
		return insertSQL("targets", "indicator_id, unit_id, year, comparator, value, value_max, baseline_year, baseline_value, yearly, source, revision, reason, created_at",
			cols+1, 0, n, numbered)
	}
	return &TargetWriter{rowWriter: newRowWriter(tx, "targets", cols+1, insert), stamp: dbStamp(tx, now)}
}

// Write buffers one target, writing the buffer when it is full.
func (w *TargetWriter) Write(t Target) error {
	w.args = append(w.args, t.IndicatorID, t.UnitID, t.Year, string(t.Comparator), t.Value, t.ValueMax, t.BaselineYear, t.BaselineValue,
		t.Yearly, t.Source, 1, t.Reason, w.stamp)
	return w.added()
}

// insertSQL is a multi-row INSERT of n rows of ncols columns, with
// PostgreSQL's numbered placeholders where needed. The last shared columns
// of every row take the same values, the statement's first ones: then
// SQLite's placeholders are numbered too (?1).
func insertSQL(table, columns string, ncols, shared, n int, numbered bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, `INSERT INTO %s (%s) VALUES `, table, columns)
	mark := "?"
	if numbered {
		mark = "$"
	}
	own := ncols - shared
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('(')
		for j := 0; j < ncols; j++ {
			if j > 0 {
				b.WriteByte(',')
			}
			switch {
			case j >= own:
				fmt.Fprintf(&b, "%s%d", mark, j-own+1)
			case numbered || shared > 0:
				fmt.Fprintf(&b, "%s%d", mark, shared+i*own+j+1)
			default:
				b.WriteByte('?')
			}
		}
		b.WriteByte(')')
	}
	return b.String()
}

// ObsKey names one observation.
type ObsKey struct {
	IndicatorID, UnitID uint
	Period              string
}

// StoredValue is what an import compares with the value it would write.
type StoredValue struct {
	Value        float64
	Note, Source string
	Demo         bool
}

// FindObservations calls found for each key that has a stored observation,
// looking up to obsBatch keys with one statement (an import compares its
// rows with the stored ones a batch at a time, never holding them all).
func FindObservations(db *gorm.DB, keys []ObsKey, found func(ObsKey, StoredValue)) error {
	ctx := context.Background()
	pg := IsPostgres(db)
	args := make([]any, 0, 3*min(len(keys), obsBatch))
	for start := 0; start < len(keys); start += obsBatch {
		end := min(start+obsBatch, len(keys))
		args = args[:0]
		for _, k := range keys[start:end] {
			args = append(args, k.IndicatorID, k.UnitID, k.Period)
		}
		if err := findBatch(ctx, db, findSQL(end-start, pg), args, found); err != nil {
			return err
		}
	}
	return nil
}

func findBatch(ctx context.Context, db *gorm.DB, query string, args []any, found func(ObsKey, StoredValue)) error {
	rows, err := db.Statement.ConnPool.QueryContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("store: unable to read observations: %w", err)
	}
	defer rows.Close()
	sc := newScanner(7)
	for rows.Next() {
		if err := sc.scan(rows); err != nil {
			return fmt.Errorf("store: unable to read observation: %w", err)
		}
		found(ObsKey{IndicatorID: sc.uint(0), UnitID: sc.uint(1), Period: sc.string(2)},
			StoredValue{Value: sc.float(3), Note: sc.string(4), Source: sc.string(5), Demo: sc.bool(6)})
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: unable to read observations: %w", err)
	}
	return nil
}

// findSQL looks up n keys: a join of the observations' unique index with
// a list of values, so each key is one index probe.
func findSQL(n int, numbered bool) string {
	var b strings.Builder
	b.WriteString(`WITH k(i, u, p) AS (VALUES `)
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		if numbered {
			fmt.Fprintf(&b, "($%d::bigint,$%d::bigint,$%d::text)", 3*i+1, 3*i+2, 3*i+3)
		} else {
			b.WriteString("(?,?,?)")
		}
	}
	b.WriteString(`) SELECT o.indicator_id, o.unit_id, o.period, o.value, o.note, o.source, o.demo
		FROM k JOIN observations o ON o.indicator_id = k.i AND o.unit_id = k.u AND o.period = k.p`)
	return b.String()
}
