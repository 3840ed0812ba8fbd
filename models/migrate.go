package models

import (
	"fmt"
	"strings"

	"gorm.io/gorm"
)

// migrations is the ordered schema history; each entry's position is its
// version. Append, never edit: databases in the field have run the old ones.
// The SQL is portable: {{ID}} is the auto-increment key and {{REAL}} a
// double-precision column, the only words SQLite and PostgreSQL spell apart.
var migrations = []string{
	// 1: the foundation schema.
	`CREATE TABLE units (
		id {{ID}},
		code VARCHAR(64) NOT NULL UNIQUE,
		name_vi TEXT NOT NULL,
		name_en TEXT NOT NULL,
		level VARCHAR(16) NOT NULL,
		parent_id BIGINT REFERENCES units(id),
		ended_on TIMESTAMP,
		demo BOOLEAN NOT NULL DEFAULT FALSE,
		created_at TIMESTAMP,
		updated_at TIMESTAMP
	);
	CREATE INDEX idx_units_parent_id ON units(parent_id);
	CREATE TABLE pillars (
		id {{ID}},
		code VARCHAR(64) NOT NULL UNIQUE,
		name_vi TEXT NOT NULL,
		name_en TEXT NOT NULL,
		position INTEGER NOT NULL DEFAULT 0
	);
	CREATE TABLE indicators (
		id {{ID}},
		code VARCHAR(64) NOT NULL UNIQUE,
		name_vi TEXT NOT NULL,
		name_en TEXT NOT NULL,
		pillar_id BIGINT NOT NULL REFERENCES pillars(id),
		measure TEXT NOT NULL,
		direction VARCHAR(8) NOT NULL,
		"limit" {{REAL}},
		decimals INTEGER NOT NULL DEFAULT 1,
		frequency VARCHAR(16) NOT NULL DEFAULT 'year',
		position INTEGER NOT NULL DEFAULT 0,
		retired BOOLEAN NOT NULL DEFAULT FALSE,
		created_at TIMESTAMP,
		updated_at TIMESTAMP
	);
	CREATE INDEX idx_indicators_pillar_id ON indicators(pillar_id);
	CREATE TABLE targets (
		id {{ID}},
		indicator_id BIGINT NOT NULL REFERENCES indicators(id),
		unit_id BIGINT NOT NULL REFERENCES units(id),
		year INTEGER NOT NULL,
		comparator VARCHAR(16) NOT NULL,
		value {{REAL}} NOT NULL,
		value_max {{REAL}},
		baseline_year INTEGER,
		baseline_value {{REAL}},
		yearly BOOLEAN NOT NULL DEFAULT FALSE,
		source TEXT NOT NULL DEFAULT '',
		revision INTEGER NOT NULL DEFAULT 1,
		reason TEXT NOT NULL DEFAULT '',
		superseded_at TIMESTAMP,
		created_at TIMESTAMP
	);
	CREATE INDEX idx_target_lookup ON targets(indicator_id, unit_id, year);
	CREATE INDEX idx_targets_unit ON targets(unit_id, superseded_at);
	CREATE TABLE observations (
		id {{ID}},
		indicator_id BIGINT NOT NULL REFERENCES indicators(id),
		unit_id BIGINT NOT NULL REFERENCES units(id),
		period VARCHAR(16) NOT NULL,
		year INTEGER NOT NULL,
		value {{REAL}} NOT NULL,
		note TEXT NOT NULL DEFAULT '',
		source TEXT NOT NULL DEFAULT '',
		demo BOOLEAN NOT NULL DEFAULT FALSE,
		created_at TIMESTAMP,
		updated_at TIMESTAMP
	);
	CREATE UNIQUE INDEX idx_obs_key ON observations(indicator_id, unit_id, period);
	CREATE INDEX idx_obs_unit ON observations(unit_id, indicator_id);`,
}

// SchemaVersion is the version a fully migrated database has.
func SchemaVersion() int { return len(migrations) }

// Migrate brings the schema up to date, one transaction per version.
func Migrate(db *gorm.DB) error {
	if err := db.Exec(`CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY)`).Error; err != nil {
		return fmt.Errorf("models: unable to create schema_migrations: %w", err)
	}
	var current int
	if err := db.Raw(`SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&current).Error; err != nil {
		return fmt.Errorf("models: unable to read schema version: %w", err)
	}
	for i := current; i < len(migrations); i++ {
		version := i + 1
		err := db.Transaction(func(tx *gorm.DB) error {
			for _, stmt := range splitStatements(dialectSQL(db, migrations[i])) {
				if err := tx.Exec(stmt).Error; err != nil {
					return err
				}
			}
			return tx.Exec(`INSERT INTO schema_migrations (version) VALUES (?)`, version).Error
		})
		if err != nil {
			return fmt.Errorf("models: migration %d failed: %w", version, err)
		}
	}
	return nil
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
