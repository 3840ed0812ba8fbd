package models

import (
	"database/sql"
	"fmt"
	"time"
)

// Size returns the bytes the database takes: pages in use for SQLite, the
// database's size for PostgreSQL.
func (s *Store) Size() (int64, error) {
	var n int64
	q := "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()"
	if IsPostgres(s.db) {
		q = "SELECT pg_database_size(current_database())"
	}
	if err := s.db.Raw(q).Scan(&n).Error; err != nil {
		return 0, fmt.Errorf("store: unable to measure the database: %w", err)
	}
	return n, nil
}

// LastImport returns when the latest import was committed (from the audit
// log), or the zero time when nothing was ever imported.
func (s *Store) LastImport() (time.Time, error) {
	// ORDER BY rather than MAX(at): SQLite keeps the column's type only then.
	var last []AuditEntry
	err := s.db.Select("at").Where("via = ? OR action = ?", ViaImport, "import").
		Order("at DESC").Limit(1).Find(&last).Error
	if err != nil {
		return time.Time{}, fmt.Errorf("store: unable to read the last import: %w", err)
	}
	if len(last) == 0 {
		return time.Time{}, nil
	}
	return last[0].At, nil
}

// AppliedSchemaVersion returns the latest migration the database has run.
func (s *Store) AppliedSchemaVersion() (int, error) {
	var v sql.NullInt64
	if err := s.db.Raw("SELECT MAX(version) FROM schema_migrations").Scan(&v).Error; err != nil {
		return 0, fmt.Errorf("store: unable to read the schema version: %w", err)
	}
	return int(v.Int64), nil
}
