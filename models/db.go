package models

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"gorm.io/driver/postgres"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Open connects to the database named by dsn: a file path for the embedded
// SQLite database (its folder is created), or a postgres:// URL.
// Everything specific to one database engine lives in this file.
func Open(dsn string) (*gorm.DB, error) {
	cfg := &gorm.Config{Logger: logger.Default.LogMode(logger.Silent), PrepareStmt: true}
	if isPostgres(dsn) {
		return openPostgres(dsn, cfg)
	}
	if dir := filepath.Dir(dsn); dir != "" && dir != "." {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("models: unable to create database folder: %w", err)
		}
	}
	// WAL lets readers go on during a write; synchronous=FULL keeps every
	// committed transaction through a power cut; the busy timeout makes
	// writers queue instead of failing with "database is locked"; a 64 MB
	// page cache per connection (grown only when used) keeps a city's
	// indexes in memory during bulk loads and page reads.
	params := "_journal_mode=WAL&_synchronous=FULL&_foreign_keys=on&_busy_timeout=10000&_txlock=immediate&_cache_size=-65536"
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	db, err := gorm.Open(sqlite.Open("file:"+dsn+sep+params), cfg)
	if err != nil {
		return nil, fmt.Errorf("models: unable to open %s: %w", dsn, err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, err
	}
	sqlDB.SetMaxOpenConns(8)
	return db, nil
}

// unprepared returns tx with its statements run straight on the
// transaction. In GORM's prepared-statement mode each call inside a
// transaction prepares its statement anew (database/sql's Tx.Stmt of a
// statement bound to the transaction) and keeps it until the commit: a
// transaction of thousands of calls, as an import's or a rebuild of the
// assessments, held hundreds of megabytes of them.
func unprepared(tx *gorm.DB) *gorm.DB {
	p, ok := tx.Statement.ConnPool.(*gorm.PreparedStmtTX)
	if !ok {
		return tx
	}
	ctx := tx.Statement.Context
	if ctx == nil {
		ctx = context.Background()
	}
	d := tx.WithContext(ctx) // a copy of the statement, with its own pool
	d.Statement.ConnPool = p.Tx
	return d
}

func isPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// IsPostgres reports whether db talks to PostgreSQL.
func IsPostgres(db *gorm.DB) bool { return db.Name() == "postgres" }

// openPostgres connects to PostgreSQL through pgx. Several app instances may
// share one server: every cache of the app is invalidated through the
// change log (see changes.go), so nothing else is instance-local.
func openPostgres(dsn string, cfg *gorm.Config) (*gorm.DB, error) {
	db, err := gorm.Open(postgres.Open(dsn), cfg)
	if err != nil {
		return nil, fmt.Errorf("models: unable to open PostgreSQL: %w", err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, err
	}
	// A few connections per instance: PostgreSQL's default limit is 100,
	// shared by every instance behind the load balancer.
	sqlDB.SetMaxOpenConns(16)
	sqlDB.SetMaxIdleConns(8)
	return db, nil
}

func dialectSQL(db *gorm.DB, sql string) string {
	id, real := "INTEGER PRIMARY KEY AUTOINCREMENT", "REAL"
	if IsPostgres(db) {
		id, real = "BIGSERIAL PRIMARY KEY", "DOUBLE PRECISION"
	}
	return strings.NewReplacer("{{ID}}", id, "{{REAL}}", real).Replace(sql)
}

func splitStatements(sql string) []string {
	var out []string
	for _, s := range strings.Split(sql, ";") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}
