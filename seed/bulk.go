package seed

import (
	"database/sql"
	"fmt"
	"strings"
)

// bulkInsert writes many rows with multi-row INSERTs prepared once: the
// fastest portable way into SQLite and PostgreSQL inside one transaction.
type bulkInsert struct {
	tx      *sql.Tx
	pg      bool
	table   string
	cols    []string
	perStmt int
	full    *sql.Stmt
	args    []any
	rows    int
}

// maxBindings stays under SQLite's limit of 32 766 parameters a statement.
const maxBindings = 30000

func newBulkInsert(tx *sql.Tx, pg bool, table string, cols ...string) *bulkInsert {
	per := maxBindings / len(cols)
	if per > 500 {
		per = 500
	}
	return &bulkInsert{tx: tx, pg: pg, table: table, cols: cols, perStmt: per}
}

// insertSQL is the statement for n rows, with ? or $n placeholders.
func (b *bulkInsert) insertSQL(n int) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "INSERT INTO %s (%s) VALUES ", b.table, strings.Join(b.cols, ", "))
	k := 0
	for r := 0; r < n; r++ {
		if r > 0 {
			sb.WriteByte(',')
		}
		sb.WriteByte('(')
		for c := range b.cols {
			if c > 0 {
				sb.WriteByte(',')
			}
			k++
			if b.pg {
				fmt.Fprintf(&sb, "$%d", k)
			} else {
				sb.WriteByte('?')
			}
		}
		sb.WriteByte(')')
	}
	return sb.String()
}

// add queues one row; a full batch is written at once.
func (b *bulkInsert) add(values ...any) error {
	b.args = append(b.args, values...)
	b.rows++
	if b.rows < b.perStmt {
		return nil
	}
	if b.full == nil {
		stmt, err := b.tx.Prepare(b.insertSQL(b.perStmt))
		if err != nil {
			return fmt.Errorf("seed: prepare insert into %s: %w", b.table, err)
		}
		b.full = stmt
	}
	if _, err := b.full.Exec(b.args...); err != nil {
		return fmt.Errorf("seed: insert into %s: %w", b.table, err)
	}
	b.args, b.rows = b.args[:0], 0
	return nil
}

// close writes the last, partial batch.
func (b *bulkInsert) close() error {
	if b.full != nil {
		defer b.full.Close()
	}
	if b.rows == 0 {
		return nil
	}
	if _, err := b.tx.Exec(b.insertSQL(b.rows), b.args...); err != nil {
		return fmt.Errorf("seed: insert into %s: %w", b.table, err)
	}
	b.args, b.rows = b.args[:0], 0
	return nil
}
