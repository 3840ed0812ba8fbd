package models

import (
	"fmt"
	"strings"

	"gorm.io/gorm"
)

// A migration is one step of the schema history. Never edit one that has
// shipped: databases in the field have run it. Add a new version instead.
// The SQL is portable: {{ID}} is the auto-increment key and {{REAL}} a
// double-precision column, the only words SQLite and PostgreSQL spell apart.
type migration struct {
	version int
	name    string
	sql     string
}

// migrations is the ordered schema history. Each area of the app owns a
// range of versions so work on different areas never collides:
// 1–9 foundation, 10–19 accounts and editing, 20–29 imports and exports,
// 30–39 unit tree and leaders' views, 40–49 scale, 50–59 reliability,
// 60–69 hardening, 70–79 one truth, 80–89 engine, 90–99 breakdowns,
// 100–109 reporting cycle, 110–119 leaders' experience, 120–129 sign-in,
// 130–139 planners' desk.
var migrations = []migration{
	{1, "foundation", `CREATE TABLE units (
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
	CREATE INDEX idx_obs_unit ON observations(unit_id, indicator_id);`},
	{2, "audit log", `CREATE TABLE audit_log (
		id {{ID}},
		at TIMESTAMP NOT NULL,
		user_id BIGINT,
		username VARCHAR(64) NOT NULL DEFAULT '',
		action VARCHAR(32) NOT NULL,
		entity VARCHAR(32) NOT NULL,
		entity_key TEXT NOT NULL DEFAULT '',
		before_json TEXT NOT NULL DEFAULT '',
		after_json TEXT NOT NULL DEFAULT '',
		address VARCHAR(64) NOT NULL DEFAULT '',
		via VARCHAR(16) NOT NULL DEFAULT ''
	);
	CREATE INDEX idx_audit_at ON audit_log(at);
	CREATE INDEX idx_audit_entity ON audit_log(entity, entity_key)`},
	{10, "accounts", `CREATE TABLE users (
		id {{ID}},
		username VARCHAR(64) NOT NULL UNIQUE,
		password_hash TEXT NOT NULL,
		role VARCHAR(16) NOT NULL,
		unit_id BIGINT REFERENCES units(id),
		disabled BOOLEAN NOT NULL DEFAULT FALSE,
		created_at TIMESTAMP,
		updated_at TIMESTAMP
	);
	CREATE TABLE sessions (
		id VARCHAR(64) PRIMARY KEY,
		user_id BIGINT NOT NULL REFERENCES users(id),
		csrf VARCHAR(64) NOT NULL,
		address VARCHAR(64) NOT NULL DEFAULT '',
		created_at TIMESTAMP NOT NULL,
		expires_at TIMESTAMP NOT NULL
	);
	CREATE INDEX idx_sessions_user ON sessions(user_id);
	CREATE TABLE api_tokens (
		id {{ID}},
		user_id BIGINT NOT NULL REFERENCES users(id),
		name TEXT NOT NULL DEFAULT '',
		token_hash VARCHAR(64) NOT NULL UNIQUE,
		created_at TIMESTAMP NOT NULL,
		last_used_at TIMESTAMP,
		revoked_at TIMESTAMP
	);
	CREATE INDEX idx_api_tokens_user ON api_tokens(user_id);
	CREATE TABLE login_attempts (
		id {{ID}},
		at TIMESTAMP NOT NULL,
		username VARCHAR(64) NOT NULL DEFAULT '',
		address VARCHAR(64) NOT NULL DEFAULT '',
		ok BOOLEAN NOT NULL DEFAULT FALSE
	);
	CREATE INDEX idx_login_attempts_user ON login_attempts(username, at);
	CREATE INDEX idx_login_attempts_addr ON login_attempts(address, at)`},
	{11, "observation history", `CREATE TABLE observation_history (
		id {{ID}},
		observation_id BIGINT NOT NULL,
		indicator_id BIGINT NOT NULL REFERENCES indicators(id),
		unit_id BIGINT NOT NULL REFERENCES units(id),
		period VARCHAR(16) NOT NULL,
		value {{REAL}} NOT NULL,
		note TEXT NOT NULL DEFAULT '',
		source TEXT NOT NULL DEFAULT '',
		demo BOOLEAN NOT NULL DEFAULT FALSE,
		valid_from TIMESTAMP,
		replaced_at TIMESTAMP NOT NULL,
		change VARCHAR(16) NOT NULL,
		changed_by VARCHAR(64) NOT NULL DEFAULT ''
	);
	CREATE INDEX idx_obs_history_key ON observation_history(indicator_id, unit_id, period)`},
	{30, "roll-up rule per indicator", `ALTER TABLE indicators ADD COLUMN rollup VARCHAR(16) NOT NULL DEFAULT '';
	ALTER TABLE indicators ADD COLUMN rollup_weight VARCHAR(64) NOT NULL DEFAULT '';
	UPDATE indicators SET rollup = 'mean' WHERE code IN ('dvc-l34-online', 'dvc-national-portal', 'systems-connected',
		'dvc-l4-multidevice', 'dossiers-city-district', 'dossiers-ward', 'procedures-cut', 'fibre-coverage', '5g-coverage');
	UPDATE indicators SET rollup = 'sum' WHERE code IN ('poor-households', 'khmer-poor-households', 'poverty-funds',
		'poverty-funds-central', 'poverty-funds-policies', 'vbsp-loans', 'vbsp-loan-households', 'health-insurance-cards',
		'health-insurance-value')`},
	{31, "unit changes: end basis and successors", `ALTER TABLE units ADD COLUMN ended_basis TEXT NOT NULL DEFAULT '';
	CREATE TABLE unit_successions (
		id {{ID}},
		predecessor_id BIGINT NOT NULL REFERENCES units(id),
		successor_id BIGINT NOT NULL REFERENCES units(id)
	);
	CREATE UNIQUE INDEX idx_unit_successions ON unit_successions(predecessor_id, successor_id);
	CREATE INDEX idx_unit_successions_successor ON unit_successions(successor_id)`},
	{40, "data version and demo marks", `CREATE TABLE data_version (
		id INTEGER PRIMARY KEY,
		version BIGINT NOT NULL,
		changed_at BIGINT NOT NULL
	);
	INSERT INTO data_version (id, version, changed_at) VALUES (1, 1, 0);
	ALTER TABLE indicators ADD COLUMN demo BOOLEAN NOT NULL DEFAULT FALSE;
	ALTER TABLE targets ADD COLUMN demo BOOLEAN NOT NULL DEFAULT FALSE`},
	{60, "hardening: read-only API tokens; sign-in failures counted per account and address", `ALTER TABLE api_tokens ADD COLUMN read_only BOOLEAN NOT NULL DEFAULT FALSE;
	CREATE INDEX idx_login_attempts_user_addr ON login_attempts(username, address, at)`},
	{70, "roll-up coverage threshold per indicator", `ALTER TABLE indicators ADD COLUMN rollup_threshold {{REAL}}`},
	// The change log replaces the data version: one row per write naming
	// the unit and indicator it touched (0: all), read by every instance.
	{80, "change log", `CREATE TABLE data_changes (
		id {{ID}},
		unit_id BIGINT NOT NULL DEFAULT 0,
		indicator_id BIGINT NOT NULL DEFAULT 0,
		at BIGINT NOT NULL
	);
	CREATE INDEX idx_data_changes_at ON data_changes(at);
	DROP TABLE data_version`},
	// The table is built by the first reader (or `tiendo reassess`), not
	// here: the migration also runs for commands that never read it
	// (tiendo user, backup), and on a national database the build takes
	// minutes.
	{81, "stored assessments", `CREATE TABLE assessments (
		unit_id BIGINT NOT NULL,
		breakdown VARCHAR(255) NOT NULL DEFAULT '',
		indicator_id BIGINT NOT NULL,
		milestone INTEGER NOT NULL DEFAULT 0,
		target_id BIGINT NOT NULL DEFAULT 0,
		target_unit_id BIGINT NOT NULL DEFAULT 0,
		status VARCHAR(32) NOT NULL,
		progress_value {{REAL}},
		score {{REAL}},
		base_year INTEGER,
		base_value {{REAL}},
		current_year INTEGER,
		current_value {{REAL}},
		expected_now {{REAL}},
		expected_at_current {{REAL}},
		projected_year INTEGER,
		required_annual_change {{REAL}},
		straight_path BOOLEAN NOT NULL DEFAULT FALSE,
		latest_period VARCHAR(16) NOT NULL DEFAULT '',
		latest_value {{REAL}},
		latest_demo BOOLEAN NOT NULL DEFAULT FALSE,
		rollup_rule VARCHAR(16) NOT NULL DEFAULT '',
		rollup_from INTEGER NOT NULL DEFAULT 0,
		rollup_of INTEGER NOT NULL DEFAULT 0,
		series TEXT NOT NULL DEFAULT '',
		assessed_on VARCHAR(10) NOT NULL DEFAULT '',
		PRIMARY KEY (unit_id, breakdown, indicator_id, milestone, target_id)
	);
	CREATE INDEX idx_assessments_indicator ON assessments(indicator_id, unit_id);
	CREATE TABLE assessment_state (
		id INTEGER PRIMARY KEY,
		built BOOLEAN NOT NULL,
		day VARCHAR(10) NOT NULL DEFAULT ''
	);
	INSERT INTO assessment_state (id, built, day) VALUES (1, FALSE, '')`},
	// Breakdowns (issue 13): totals stay in observations, so every total
	// computation keeps its meaning; the parts of a total live beside them.
	{90, "breakdowns: dimensions, their values, the dimensions of an indicator, breakdown values", `CREATE TABLE dimensions (
		id {{ID}},
		code VARCHAR(64) NOT NULL UNIQUE,
		name_vi TEXT NOT NULL,
		name_en TEXT NOT NULL,
		position INTEGER NOT NULL DEFAULT 0
	);
	CREATE TABLE dimension_values (
		id {{ID}},
		dimension_id BIGINT NOT NULL REFERENCES dimensions(id),
		code VARCHAR(64) NOT NULL,
		name_vi TEXT NOT NULL,
		name_en TEXT NOT NULL,
		position INTEGER NOT NULL DEFAULT 0
	);
	CREATE UNIQUE INDEX idx_dimension_values_code ON dimension_values(dimension_id, code);
	CREATE TABLE indicator_dimensions (
		indicator_id BIGINT NOT NULL REFERENCES indicators(id),
		dimension_id BIGINT NOT NULL REFERENCES dimensions(id),
		PRIMARY KEY (indicator_id, dimension_id)
	);
	CREATE TABLE indicator_breakdowns (
		indicator_id BIGINT NOT NULL REFERENCES indicators(id),
		breakdown VARCHAR(255) NOT NULL,
		position INTEGER NOT NULL DEFAULT 0,
		PRIMARY KEY (indicator_id, breakdown)
	);
	CREATE TABLE breakdown_values (
		id {{ID}},
		indicator_id BIGINT NOT NULL REFERENCES indicators(id),
		unit_id BIGINT NOT NULL REFERENCES units(id),
		period VARCHAR(16) NOT NULL,
		year INTEGER NOT NULL,
		breakdown VARCHAR(255) NOT NULL,
		value {{REAL}} NOT NULL,
		note TEXT NOT NULL DEFAULT '',
		source TEXT NOT NULL DEFAULT '',
		demo BOOLEAN NOT NULL DEFAULT FALSE,
		created_at TIMESTAMP,
		updated_at TIMESTAMP
	);
	CREATE UNIQUE INDEX idx_breakdown_values_key ON breakdown_values(indicator_id, unit_id, period, breakdown);
	CREATE INDEX idx_breakdown_values_unit ON breakdown_values(unit_id, indicator_id);
	` + dimensionsSeedSQL},
	{100, "reporting cycle: due delays, reporting levels and assignments, unit start dates", `ALTER TABLE indicators ADD COLUMN due_days INTEGER NOT NULL DEFAULT 30;
	ALTER TABLE indicators ADD COLUMN levels VARCHAR(128) NOT NULL DEFAULT '';
	ALTER TABLE units ADD COLUMN started_on TIMESTAMP;
	CREATE TABLE indicator_units (
		indicator_id BIGINT NOT NULL REFERENCES indicators(id),
		unit_id BIGINT NOT NULL REFERENCES units(id),
		PRIMARY KEY (indicator_id, unit_id)
	);
	CREATE INDEX idx_indicator_units_unit ON indicator_units(unit_id);
	` + levelsBackfill},
	{101, "alerts and notifications", `CREATE TABLE alert_rules (
		id {{ID}},
		kind VARCHAR(32) NOT NULL,
		indicator_id BIGINT REFERENCES indicators(id),
		pillar_id BIGINT REFERENCES pillars(id),
		unit_id BIGINT NOT NULL REFERENCES units(id),
		subtree BOOLEAN NOT NULL DEFAULT FALSE,
		margin {{REAL}} NOT NULL DEFAULT 0,
		created_by VARCHAR(64) NOT NULL DEFAULT '',
		created_at TIMESTAMP,
		updated_at TIMESTAMP
	);
	CREATE TABLE alert_subscriptions (
		rule_id BIGINT NOT NULL REFERENCES alert_rules(id) ON DELETE CASCADE,
		user_id BIGINT NOT NULL REFERENCES users(id),
		PRIMARY KEY (rule_id, user_id)
	);
	CREATE TABLE alert_states (
		id {{ID}},
		rule_id BIGINT NOT NULL REFERENCES alert_rules(id) ON DELETE CASCADE,
		indicator_id BIGINT NOT NULL REFERENCES indicators(id),
		unit_id BIGINT NOT NULL REFERENCES units(id),
		firing BOOLEAN NOT NULL DEFAULT FALSE,
		ref_status VARCHAR(32) NOT NULL DEFAULT '',
		fired INTEGER NOT NULL DEFAULT 0,
		fired_at TIMESTAMP,
		cleared_at TIMESTAMP,
		checked_at TIMESTAMP
	);
	CREATE UNIQUE INDEX idx_alert_states_key ON alert_states(rule_id, indicator_id, unit_id);
	CREATE TABLE notifications (
		id {{ID}},
		user_id BIGINT NOT NULL REFERENCES users(id),
		event_key VARCHAR(160) NOT NULL,
		kind VARCHAR(32) NOT NULL,
		indicator_id BIGINT NOT NULL DEFAULT 0,
		unit_id BIGINT NOT NULL DEFAULT 0,
		period VARCHAR(16) NOT NULL DEFAULT '',
		status VARCHAR(32) NOT NULL DEFAULT '',
		link TEXT NOT NULL DEFAULT '',
		mailed BOOLEAN NOT NULL DEFAULT FALSE,
		created_at TIMESTAMP NOT NULL,
		read_at TIMESTAMP
	);
	CREATE UNIQUE INDEX idx_notifications_event ON notifications(user_id, event_key);
	CREATE INDEX idx_notifications_inbox ON notifications(user_id, read_at);
	CREATE INDEX idx_notifications_mailed ON notifications(mailed)`},
	{102, "e-mail: addresses, outbox, lease, settings", `ALTER TABLE users ADD COLUMN email VARCHAR(254) NOT NULL DEFAULT '';
	ALTER TABLE users ADD COLUMN lang VARCHAR(8) NOT NULL DEFAULT 'vi';
	ALTER TABLE users ADD COLUMN mail_off BOOLEAN NOT NULL DEFAULT FALSE;
	CREATE TABLE outbox (
		id {{ID}},
		idem_key VARCHAR(160) NOT NULL UNIQUE,
		user_id BIGINT NOT NULL DEFAULT 0,
		to_addr TEXT NOT NULL,
		subject TEXT NOT NULL,
		body TEXT NOT NULL,
		attachment_name TEXT NOT NULL DEFAULT '',
		attachment TEXT NOT NULL DEFAULT '',
		state VARCHAR(16) NOT NULL DEFAULT 'queued',
		attempts INTEGER NOT NULL DEFAULT 0,
		next_at TIMESTAMP NOT NULL,
		last_error TEXT NOT NULL DEFAULT '',
		created_at TIMESTAMP NOT NULL,
		sent_at TIMESTAMP
	);
	CREATE INDEX idx_outbox_due ON outbox(state, next_at);
	CREATE TABLE leases (
		name VARCHAR(32) PRIMARY KEY,
		holder VARCHAR(64) NOT NULL DEFAULT '',
		until_ms BIGINT NOT NULL DEFAULT 0
	);
	INSERT INTO leases (name, holder, until_ms) VALUES ('mail', '', 0);
	CREATE TABLE app_settings (
		name VARCHAR(64) PRIMARY KEY,
		value TEXT NOT NULL
	)`},
	{110, "indicator texts: names of the measure and metadata, vi and en", `ALTER TABLE indicators ADD COLUMN measure_vi TEXT NOT NULL DEFAULT '';
	ALTER TABLE indicators ADD COLUMN measure_en TEXT NOT NULL DEFAULT '';
	ALTER TABLE indicators ADD COLUMN definition_vi TEXT NOT NULL DEFAULT '';
	ALTER TABLE indicators ADD COLUMN definition_en TEXT NOT NULL DEFAULT '';
	ALTER TABLE indicators ADD COLUMN formula_vi TEXT NOT NULL DEFAULT '';
	ALTER TABLE indicators ADD COLUMN formula_en TEXT NOT NULL DEFAULT '';
	ALTER TABLE indicators ADD COLUMN agency_vi TEXT NOT NULL DEFAULT '';
	ALTER TABLE indicators ADD COLUMN agency_en TEXT NOT NULL DEFAULT '';
	ALTER TABLE indicators ADD COLUMN source_vi TEXT NOT NULL DEFAULT '';
	ALTER TABLE indicators ADD COLUMN source_en TEXT NOT NULL DEFAULT '';
	ALTER TABLE indicators ADD COLUMN notes_vi TEXT NOT NULL DEFAULT '';
	ALTER TABLE indicators ADD COLUMN notes_en TEXT NOT NULL DEFAULT '';
	UPDATE indicators SET measure_vi = measure, measure_en = measure;
	UPDATE indicators SET measure_en = '%/year' WHERE measure = '%/năm';
	UPDATE indicators SET measure_en = 'pp' WHERE measure = 'điểm %';
	UPDATE indicators SET measure_en = 'households' WHERE measure = 'hộ';
	UPDATE indicators SET measure_en = 'billion VND' WHERE measure = 'tỷ đồng';
	UPDATE indicators SET measure_en = 'cards' WHERE measure = 'thẻ';
	UPDATE indicators SET measure_en = 'people' WHERE measure = 'người';
	UPDATE indicators SET measure_en = 'communes' WHERE measure = 'xã'`},
	{111, "unit end basis in English", `ALTER TABLE units ADD COLUMN ended_basis_en TEXT NOT NULL DEFAULT ''`},
	{120, "sign-in with an identity provider, password resets", `ALTER TABLE users ADD COLUMN oidc_issuer TEXT NOT NULL DEFAULT '';
	ALTER TABLE users ADD COLUMN oidc_subject TEXT NOT NULL DEFAULT '';
	CREATE UNIQUE INDEX idx_users_oidc ON users(oidc_issuer, oidc_subject) WHERE oidc_subject <> '';
	ALTER TABLE sessions ADD COLUMN method VARCHAR(16) NOT NULL DEFAULT 'password';
	CREATE TABLE oidc_logins (
		id VARCHAR(64) PRIMARY KEY,
		nonce VARCHAR(64) NOT NULL,
		verifier VARCHAR(128) NOT NULL,
		next TEXT NOT NULL DEFAULT '',
		expires_at TIMESTAMP NOT NULL
	);
	CREATE TABLE password_resets (
		id VARCHAR(64) PRIMARY KEY,
		user_id BIGINT NOT NULL REFERENCES users(id),
		created_at TIMESTAMP NOT NULL,
		expires_at TIMESTAMP NOT NULL,
		used_at TIMESTAMP
	);
	CREATE INDEX idx_password_resets_user ON password_resets(user_id)`},
	// Demo data is added once: a user's deletion of a demo value must not
	// be undone by the next start with -demo. A database that already holds
	// demo values has had them.
	{130, "seed marks: demo data added once", `CREATE TABLE seed_marks (
		name VARCHAR(64) PRIMARY KEY,
		added_at TIMESTAMP NOT NULL
	);
	INSERT INTO seed_marks (name, added_at) SELECT 'demo', CURRENT_TIMESTAMP WHERE EXISTS (SELECT 1 FROM observations WHERE demo = TRUE)`},
	// The country above the provinces and cities, so national tables have a
	// unit to land on; a database of the source document (HCMC or Trà Vinh
	// present) gets it, with its ISO 3166-2:VN provinces and cities under
	// it. Each change is in the audit log, as a user's would be.
	{131, "national unit VN", nationalUnit},
	// An import changes many records under one audit entry; each change
	// (before and after, as the log keeps them) is listed beside it.
	{132, "audit changes of imports", `CREATE TABLE audit_changes (
		id {{ID}},
		audit_id BIGINT NOT NULL REFERENCES audit_log(id),
		entity VARCHAR(32) NOT NULL,
		entity_key TEXT NOT NULL,
		before_json TEXT NOT NULL DEFAULT '',
		after_json TEXT NOT NULL DEFAULT ''
	);
	CREATE INDEX idx_audit_changes_audit ON audit_changes(audit_id, id)`},
}

// nationalUnit is migration 131. The seed adds the same to new databases.
const nationalUnit = `INSERT INTO audit_log (at, username, action, entity, entity_key, before_json, after_json, address, via)
	SELECT CURRENT_TIMESTAMP, 'tiendo', 'create', 'unit', 'VN', '', '{"code":"VN","level":"country","name_en":"Viet Nam","name_vi":"Việt Nam","parent":""}', 'localhost', 'system'
	WHERE EXISTS (SELECT 1 FROM units WHERE code IN ('VN-SG', 'VN-51')) AND NOT EXISTS (SELECT 1 FROM units WHERE code = 'VN');
	INSERT INTO units (code, name_vi, name_en, level, demo, created_at, updated_at)
	SELECT 'VN', 'Việt Nam', 'Viet Nam', 'country', FALSE, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP
	WHERE EXISTS (SELECT 1 FROM units WHERE code IN ('VN-SG', 'VN-51')) AND NOT EXISTS (SELECT 1 FROM units WHERE code = 'VN');
	INSERT INTO audit_log (at, username, action, entity, entity_key, before_json, after_json, address, via)
	SELECT CURRENT_TIMESTAMP, 'tiendo', 'update', 'unit', code, '{"parent":""}', '{"parent":"VN"}', 'localhost', 'system' FROM units
	WHERE parent_id IS NULL AND level IN ('city', 'province') AND code LIKE 'VN-%' AND EXISTS (SELECT 1 FROM units WHERE code = 'VN');
	UPDATE units SET parent_id = (SELECT v.id FROM units v WHERE v.code = 'VN'), updated_at = CURRENT_TIMESTAMP
	WHERE parent_id IS NULL AND level IN ('city', 'province') AND code LIKE 'VN-%' AND EXISTS (SELECT 1 FROM units WHERE code = 'VN')`

// levelsBackfill gives each indicator already stored the levels of the units
// that hold its targets or real (not demo) values, so completeness counts
// what was reported so far; planners change them on the indicator's form.
var levelsBackfill = func() string {
	var b strings.Builder
	for _, level := range []string{LevelCountry, LevelCity, LevelProvince, LevelDistrict, LevelWard, LevelCommune} {
		fmt.Fprintf(&b, `UPDATE indicators SET levels = levels || ',%[1]s' WHERE id IN (
		SELECT t.indicator_id FROM targets t JOIN units u ON u.id = t.unit_id WHERE u.level = '%[1]s' AND t.demo = FALSE
		UNION SELECT o.indicator_id FROM observations o JOIN units u ON u.id = o.unit_id WHERE u.level = '%[1]s' AND o.demo = FALSE);
	`, level)
	}
	b.WriteString(`UPDATE indicators SET levels = SUBSTR(levels, 2) WHERE levels LIKE ',%'`)
	return b.String()
}()

// SchemaVersion is the version a fully migrated database has.
func SchemaVersion() int { return migrations[len(migrations)-1].version }

// Migrate runs, in version order, every migration the database has not run
// yet, one transaction each.
func Migrate(db *gorm.DB) error {
	if err := db.Exec(`CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY)`).Error; err != nil {
		return fmt.Errorf("models: unable to create schema_migrations: %w", err)
	}
	var done []int
	if err := db.Raw(`SELECT version FROM schema_migrations`).Scan(&done).Error; err != nil {
		return fmt.Errorf("models: unable to read schema version: %w", err)
	}
	applied := map[int]bool{}
	for _, v := range done {
		applied[v] = true
	}
	// Every version not yet applied runs, whatever its place: areas merge
	// their ranges in any order, so a database may hold 110 before 100.
	ran := false
	for i, m := range migrations {
		if i > 0 && m.version <= migrations[i-1].version {
			return fmt.Errorf("models: migration %d is out of order", m.version)
		}
		if applied[m.version] {
			continue
		}
		version := m.version
		err := db.Transaction(func(tx *gorm.DB) error {
			for _, stmt := range splitStatements(dialectSQL(db, m.sql)) {
				if err := tx.Exec(stmt).Error; err != nil {
					return err
				}
			}
			return tx.Exec(`INSERT INTO schema_migrations (version) VALUES (?)`, version).Error
		})
		if err != nil {
			return fmt.Errorf("models: migration %d failed: %w", version, err)
		}
		ran = true
	}
	if ran {
		// A migration may change the data assessed (the unit tree, say):
		// the stored assessments are built again before they are read.
		return MarkUnassessed(db)
	}
	return nil
}
