package models_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"tiendo/apptest"
	"tiendo/models"
)

// TestSQLiteSettingsOnEveryConnection checks the durability settings hold on
// every pooled connection, not just the first (they are per connection).
func TestSQLiteSettingsOnEveryConnection(t *testing.T) {
	if os.Getenv("TIENDO_TEST_PG") != "" {
		t.Skip("SKIPPED: SQLite settings; this run uses PostgreSQL")
	}
	store := apptest.OpenStore(t, filepath.Join(t.TempDir(), "t.db"))
	sqlDB, err := store.DB().DB()
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	want := map[string]string{"journal_mode": "wal", "foreign_keys": "1", "synchronous": "2", "busy_timeout": "10000"}
	for i := range 4 { // hold four connections at once so each is a distinct one
		conn, err := sqlDB.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		for pragma, w := range want {
			var got string
			if err := conn.QueryRowContext(ctx, "PRAGMA "+pragma).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if got != w {
				t.Errorf("connection %d: PRAGMA %s = %s, want %s", i, pragma, got, w)
			}
		}
	}
	// Foreign keys really are enforced.
	err = store.DB().Exec("INSERT INTO targets (indicator_id, unit_id, year, comparator, value) VALUES (999999, 999999, 2030, 'at_least', 1)").Error
	if err == nil {
		t.Error("a target pointing at no indicator was stored: foreign keys are off")
	}
}

// TestBackupUnderWritesRoundTrips takes a backup while writers keep
// committing, and restores it: the copy passes the integrity check and holds
// exactly the rows committed at one instant (a prefix of the writes).
func TestBackupUnderWritesRoundTrips(t *testing.T) {
	if os.Getenv("TIENDO_TEST_PG") != "" {
		t.Skip("SKIPPED: SQLite backup; PostgreSQL is backed up with pg_dump")
	}
	dir := t.TempDir()
	dsn := filepath.Join(dir, "live.db")
	store := apptest.OpenStore(t, dsn)
	db := store.DB()
	var written atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var writeErr atomic.Value
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				// Each write is two rows in one transaction: a backup must
				// never hold one without the other.
				tx := db.Begin()
				key := fmt.Sprintf("w%d-%d", w, i)
				e1 := tx.Exec("INSERT INTO audit_log (at, username, action, entity, entity_key, via) VALUES (?, 'load', 'create', 'pair-a', ?, 'test')", time.Now(), key).Error
				e2 := tx.Exec("INSERT INTO audit_log (at, username, action, entity, entity_key, via) VALUES (?, 'load', 'create', 'pair-b', ?, 'test')", time.Now(), key).Error
				if e1 != nil || e2 != nil {
					tx.Rollback()
					writeErr.Store(errors.Join(e1, e2))
					return
				}
				if err := tx.Commit().Error; err != nil {
					writeErr.Store(err)
					return
				}
				written.Add(1)
			}
		}()
	}
	for written.Load() < 200 {
		time.Sleep(5 * time.Millisecond)
	}
	backup := filepath.Join(dir, "backups", "copy.db")
	before := written.Load()
	if err := models.Backup(db, backup); err != nil {
		t.Fatal(err)
	}
	after := written.Load()
	close(stop)
	wg.Wait()
	if err, _ := writeErr.Load().(error); err != nil {
		t.Fatalf("a writer failed during the backup: %v", err)
	}
	if err := models.CheckFile(backup); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(backup + ".partial"); !os.IsNotExist(err) {
		t.Error("the partial backup file was left behind")
	}
	copyStore := apptest.OpenStore(t, backup)
	var a, b int64
	copyStore.DB().Raw("SELECT COUNT(*) FROM audit_log WHERE entity = 'pair-a'").Scan(&a)
	copyStore.DB().Raw("SELECT COUNT(*) FROM audit_log WHERE entity = 'pair-b'").Scan(&b)
	if a != b {
		t.Fatalf("the backup holds %d first halves and %d second halves of the writes: a write was cut", a, b)
	}
	if a < before || a > after+4 {
		t.Errorf("the backup holds %d writes; %d were committed before it began and %d when it ended", a, before, after)
	}
	var orphans int64
	copyStore.DB().Raw(`SELECT COUNT(*) FROM audit_log x WHERE entity = 'pair-a' AND NOT EXISTS
		(SELECT 1 FROM audit_log y WHERE y.entity = 'pair-b' AND y.entity_key = x.entity_key)`).Scan(&orphans)
	if orphans != 0 {
		t.Errorf("%d writes are in the backup by halves", orphans)
	}
	closeStore(t, copyStore)

	// A restore is refused while a server holds the database…
	release, err := models.Lock(dsn)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := models.Restore(dsn, backup, time.Now()); !errors.Is(err, models.ErrInUse) {
		t.Errorf("restore while the database is locked: %v, want ErrInUse", err)
	}
	release()
	// …and works once it stops, keeping what it replaced.
	var live int64
	db.Raw("SELECT COUNT(*) FROM audit_log WHERE entity = 'pair-a'").Scan(&live)
	closeStore(t, store)
	kept, err := models.Restore(dsn, backup, time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(kept) != "live.db.before-restore-20261126T090000Z" {
		t.Errorf("kept the old database as %s", kept)
	}
	restored := apptest.OpenStore(t, dsn)
	var n int64
	restored.DB().Raw("SELECT COUNT(*) FROM audit_log WHERE entity = 'pair-a'").Scan(&n)
	if n != a {
		t.Errorf("restored database holds %d writes, the backup %d", n, a)
	}
	keptStore := apptest.OpenStore(t, kept)
	keptStore.DB().Raw("SELECT COUNT(*) FROM audit_log WHERE entity = 'pair-a'").Scan(&n)
	if n != live {
		t.Errorf("the kept database holds %d writes, the live one held %d", n, live)
	}
}

func TestRestoreRefusesABadBackup(t *testing.T) {
	dir := t.TempDir()
	dsn := filepath.Join(dir, "live.db")
	closeStore(t, apptest.OpenStore(t, dsn))
	garbage := filepath.Join(dir, "garbage.db")
	if err := os.WriteFile(garbage, []byte("SQLite format 3\x00 but not really a database at all"), 0o644); err != nil {
		t.Fatal(err)
	}
	newer := filepath.Join(dir, "newer.db")
	s := apptest.OpenStore(t, newer)
	s.DB().Exec("INSERT INTO schema_migrations (version) VALUES (?)", models.SchemaVersion()+100)
	closeStore(t, s)
	for _, bad := range []string{garbage, newer, filepath.Join(dir, "missing.db")} {
		if _, err := models.Restore(dsn, bad, time.Now()); err == nil {
			t.Errorf("%s was restored", filepath.Base(bad))
		}
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if filepath.Ext(e.Name()) == ".restoring" || len(e.Name()) > 20 && e.Name()[:20] == "live.db.before-resto" {
			t.Errorf("a refused restore left %s", e.Name())
		}
	}
}

func TestPruneBackupsKeepsTheNewest(t *testing.T) {
	dir := t.TempDir()
	names := []string{"tiendo-20261124T000000Z.db", "tiendo-20261126T000000Z.db", "tiendo-20261125T000000Z.db", "other.db"}
	for _, n := range names {
		if err := os.WriteFile(filepath.Join(dir, n), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	removed, err := models.PruneBackups(dir, "tiendo-", 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(removed) != 1 || filepath.Base(removed[0]) != "tiendo-20261124T000000Z.db" {
		t.Errorf("removed %v, want only the oldest", removed)
	}
	if _, err := os.Stat(filepath.Join(dir, "other.db")); err != nil {
		t.Error("a file that is not a scheduled backup was deleted")
	}
}

func closeStore(t *testing.T, s *models.Store) {
	t.Helper()
	sqlDB, err := s.DB().DB()
	if err != nil {
		t.Fatal(err)
	}
	if err := sqlDB.Close(); err != nil {
		t.Fatal(err)
	}
}
