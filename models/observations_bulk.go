package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
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

// A rowTable is where a rowWriter writes: the table, the columns each row
// gives (in the order of its values), the columns whose value every row
// of the writer shares (bound once a statement), and what follows the
// VALUES (an upsert's ON CONFLICT). uniform lists the row columns that
// are often the same in a whole batch (an import's empty notes, its
// indicator): a batch where they are is written with them bound once too.
type rowTable struct {
	table   string
	columns []string
	shared  []string
	uniform []int
	suffix  string
}

// The observations' two time stamps are the same in every row.
var observationsTable = rowTable{table: "observations",
	columns: []string{"indicator_id", "unit_id", "period", "year", "value", "note", "source", "demo"},
	shared:  []string{"created_at", "updated_at"},
	uniform: []int{0, 5, 6, 7},
	suffix: ` ON CONFLICT (indicator_id, unit_id, period) DO UPDATE SET value = excluded.value,
		note = excluded.note, source = excluded.source, demo = excluded.demo, updated_at = excluded.updated_at`}

// dbStamp is now in the form the driver takes: formatted once, not once
// per row by the driver.
func dbStamp(tx *gorm.DB, now time.Time) any {
	if IsPostgres(tx) {
		return now
	}
	return now.UTC().Format("2006-01-02 15:04:05.999999999-07:00")
}

// rowWriter writes rows into a table inside a transaction, obsBatch rows a
// multi-row statement. The statements for full batches are prepared once
// and run straight on the transaction's connection, past GORM's per-call
// SQL building, as this is the hot path of imports. Rows are buffered:
// Close writes the last ones. Values every row shares (a time stamp, the
// audit entry, a batch's uniform columns) are bound once a statement, as
// its first parameters: each bound value is a call into SQLite, and an
// import binds tens of millions.
type rowWriter struct {
	tx     *gorm.DB
	t      rowTable
	full   map[uint64]*sql.Stmt // full batches' statements, by their uniform columns
	args   []any                // the shared values, then the rows'
	packed []any                // a batch's arguments with its uniform columns bound once
}

func newRowWriter(tx *gorm.DB, t rowTable, shared ...any) *rowWriter {
	if len(shared) != len(t.shared) {
		panic("store: " + t.table + " takes " + strconv.Itoa(len(t.shared)) + " shared values")
	}
	args := append(make([]any, 0, len(shared)+obsBatch*len(t.columns)), shared...)
	return &rowWriter{tx: tx, t: t, args: args, full: map[uint64]*sql.Stmt{}}
}

// added writes the buffer once a row's arguments made it full.
func (w *rowWriter) added() error {
	if len(w.args) == len(w.t.shared)+obsBatch*len(w.t.columns) {
		return w.Flush()
	}
	return nil
}

// Flush writes the buffered rows.
func (w *rowWriter) Flush() error {
	ncols := len(w.t.columns)
	n := (len(w.args) - len(w.t.shared)) / ncols
	if n == 0 {
		return nil
	}
	mask, args := w.pack(n)
	ctx := context.Background()
	pg := IsPostgres(w.tx)
	var err error
	if n == obsBatch {
		stmt := w.full[mask]
		if stmt == nil {
			if stmt, err = w.tx.Statement.ConnPool.PrepareContext(ctx, w.t.insertSQL(mask, n, pg)); err != nil {
				return fmt.Errorf("store: unable to prepare %s: %w", w.t.table, err)
			}
			w.full[mask] = stmt
		}
		_, err = stmt.ExecContext(ctx, args...)
	} else {
		_, err = w.tx.Statement.ConnPool.ExecContext(ctx, w.t.insertSQL(mask, n, pg), args...)
	}
	w.args = w.args[:len(w.t.shared)]
	if err != nil {
		return fmt.Errorf("store: unable to write %s: %w", w.t.table, err)
	}
	return nil
}

// pack finds the uniform columns the n buffered rows all have the same
// (a bit each, in the order of t.uniform) and returns the arguments with
// those bound once, after the shared values.
func (w *rowWriter) pack(n int) (uint64, []any) {
	ncols := len(w.t.columns)
	rows := w.args[len(w.t.shared):]
	var mask uint64
	for bit, c := range w.t.uniform {
		same := true
		for i := 1; i < n && same; i++ {
			same = rows[i*ncols+c] == rows[c]
		}
		if same {
			mask |= 1 << bit
		}
	}
	if mask == 0 {
		return 0, w.args
	}
	out := append(w.packed[:0], w.args[:len(w.t.shared)]...)
	for bit, c := range w.t.uniform {
		if mask&(1<<bit) != 0 {
			out = append(out, rows[c])
		}
	}
	for i := 0; i < n; i++ {
		for j, v := range rows[i*ncols : (i+1)*ncols] {
			if !w.t.isUniform(j, mask) {
				out = append(out, v)
			}
		}
	}
	w.packed = out
	return mask, out
}

// isUniform says whether row column j is bound once under mask.
func (t rowTable) isUniform(j int, mask uint64) bool {
	for bit, c := range t.uniform {
		if c == j {
			return mask&(1<<bit) != 0
		}
	}
	return false
}

// Close writes what is buffered and frees the prepared statements.
func (w *rowWriter) Close() error {
	err := w.Flush()
	for mask, stmt := range w.full {
		err = errors.Join(err, stmt.Close())
		delete(w.full, mask)
	}
	return err
}

// insertSQL is the statement writing n rows whose uniform columns in mask
// are bound once: the columns each row gives, then those bound once (the
// shared ones, then the uniform ones), which take the statement's first
// values, as pack orders them.
func (t rowTable) insertSQL(mask uint64, n int, numbered bool) string {
	var own, once []string
	for j, c := range t.columns {
		if !t.isUniform(j, mask) {
			own = append(own, c)
		}
	}
	once = append(once, t.shared...)
	for bit, c := range t.uniform {
		if mask&(1<<bit) != 0 {
			once = append(once, t.columns[c])
		}
	}
	return insertSQL(t.table, strings.Join(append(own, once...), ", "), len(own)+len(once), len(once), n, numbered) + t.suffix
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
	stamp := dbStamp(tx, now)
	return &ObservationWriter{rowWriter: newRowWriter(tx, observationsTable, stamp, stamp)}
}

// Write buffers one row, writing the buffer when it is full. Numbers go
// in as int64, which the driver takes as they are (others it converts by
// reflection).
func (w *ObservationWriter) Write(o ObservationRow) error {
	w.args = append(w.args, int64(o.IndicatorID), int64(o.UnitID), o.Period, int64(o.Year), o.Value, o.Note, o.Source, o.Demo)
	return w.added()
}

// TargetWriter inserts new targets (the first revision of their indicator,
// unit and year) a batch at a time inside a transaction, as
// ObservationWriter writes values: an import brings a city's worth.
type TargetWriter struct {
	*rowWriter
}

var targetsTable = rowTable{table: "targets",
	columns: []string{"indicator_id", "unit_id", "year", "comparator", "value", "value_max", "baseline_year", "baseline_value",
		"yearly", "source", "revision", "reason"},
	shared: []string{"created_at"}}

// NewTargetWriter writes targets created now inside tx.
func NewTargetWriter(tx *gorm.DB, now time.Time) *TargetWriter {
	return &TargetWriter{rowWriter: newRowWriter(tx, targetsTable, dbStamp(tx, now))}
}

// Write buffers one target, writing the buffer when it is full.
func (w *TargetWriter) Write(t Target) error {
	w.args = append(w.args, int64(t.IndicatorID), int64(t.UnitID), int64(t.Year), string(t.Comparator), t.Value, t.ValueMax,
		t.BaselineYear, t.BaselineValue, t.Yearly, t.Source, int64(1), t.Reason)
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
