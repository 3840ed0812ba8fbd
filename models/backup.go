package models

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"

	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// ErrPostgresBackup is returned when backup or restore is asked of a
// PostgreSQL database, which has its own tools for that.
var ErrPostgresBackup = errors.New("models: back up PostgreSQL with pg_dump and restore it with pg_restore")

// ErrInUse is returned when a restore finds the database held by a running
// server.
var ErrInUse = errors.New("models: the database is in use by a running server: stop it first")

// Backup writes a consistent copy of the SQLite database to path while
// others keep reading and writing it. VACUUM INTO reads inside one
// transaction, so the copy is the database as of one instant, never a write
// cut in half. The copy is written beside path and renamed into place once
// it has passed an integrity check, so path is never a partial file.
func Backup(db *gorm.DB, path string) error {
	if IsPostgres(db) {
		return ErrPostgresBackup
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o755); err != nil {
		return fmt.Errorf("models: unable to create the backup folder: %w", err)
	}
	tmp := abs + ".partial"
	_ = os.Remove(tmp)
	if err := db.Exec("VACUUM INTO ?", tmp).Error; err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("models: backup failed: %w", err)
	}
	if err := CheckFile(tmp); err != nil {
		_ = os.Remove(tmp)
		return err
	}
	if err := syncFile(tmp); err != nil {
		return err
	}
	if err := os.Rename(tmp, abs); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("models: unable to move the backup into place: %w", err)
	}
	return syncFile(filepath.Dir(abs))
}

// CheckFile opens the SQLite file at path read-only and verifies it: the
// integrity check passes, and its schema is one this binary knows.
func CheckFile(path string) error {
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("models: %w", err)
	}
	db, err := gorm.Open(sqlite.Open("file:"+path+"?mode=ro"), &gorm.Config{Logger: logger.Default.LogMode(logger.Silent)})
	if err != nil {
		return fmt.Errorf("models: unable to open %s: %w", path, err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return err
	}
	defer sqlDB.Close()
	if err := IntegrityCheck(db); err != nil {
		return fmt.Errorf("models: %s: %w", path, err)
	}
	var version int
	if err := db.Raw("SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&version).Error; err != nil {
		return fmt.Errorf("models: %s is not a Tiến độ database: %w", path, err)
	}
	if version > SchemaVersion() {
		return fmt.Errorf("models: %s has schema version %d, newer than this binary's %d: use a newer tiendo", path, version, SchemaVersion())
	}
	return nil
}

// IntegrityCheck runs SQLite's full integrity check and foreign key check.
func IntegrityCheck(db *gorm.DB) error {
	var rows []string
	if err := db.Raw("PRAGMA integrity_check").Scan(&rows).Error; err != nil {
		return fmt.Errorf("integrity check failed to run: %w", err)
	}
	if len(rows) != 1 || rows[0] != "ok" {
		return fmt.Errorf("integrity check failed: %s", strings.Join(rows, "; "))
	}
	var fk []map[string]any
	if err := db.Raw("PRAGMA foreign_key_check").Scan(&fk).Error; err != nil {
		return fmt.Errorf("foreign key check failed to run: %w", err)
	}
	if len(fk) > 0 {
		return fmt.Errorf("foreign key check failed: %d rows point at nothing", len(fk))
	}
	return nil
}

// Restore replaces the SQLite database at dsn with the backup at from. It
// refuses a backup that fails CheckFile, and refuses while a server holds the
// database (see Lock). The database it replaces is kept beside it as
// <dsn>.before-restore-<time>, so a restore can itself be undone. It returns
// the path of that copy ("" when there was no database).
func Restore(dsn, from string, now time.Time) (string, error) {
	if isPostgres(dsn) {
		return "", ErrPostgresBackup
	}
	if err := CheckFile(from); err != nil {
		return "", err
	}
	release, err := Lock(dsn)
	if err != nil {
		return "", err
	}
	defer release()
	kept := ""
	if _, err := os.Stat(dsn); err == nil {
		kept = dsn + ".before-restore-" + now.UTC().Format("20060102T150405Z")
		db, err := Open(dsn)
		if err != nil {
			return "", err
		}
		err = Backup(db, kept)
		if sqlDB, e := db.DB(); e == nil {
			_ = sqlDB.Close() // the last connection to close checkpoints the WAL
		}
		if err != nil {
			return "", fmt.Errorf("models: unable to keep the current database before restoring: %w", err)
		}
	}
	tmp := dsn + ".restoring"
	if err := copyFile(from, tmp); err != nil {
		return "", err
	}
	// A WAL left beside the old file would be replayed onto the restored one.
	for _, suffix := range []string{"-wal", "-shm", "-journal"} {
		if err := os.Remove(dsn + suffix); err != nil && !os.IsNotExist(err) {
			return "", fmt.Errorf("models: unable to remove %s: %w", dsn+suffix, err)
		}
	}
	if err := os.Rename(tmp, dsn); err != nil {
		return "", fmt.Errorf("models: unable to move the restored database into place: %w", err)
	}
	if err := syncFile(filepath.Dir(dsn)); err != nil {
		return "", err
	}
	return kept, CheckFile(dsn)
}

// Lock takes an exclusive advisory lock on <dsn>.lock for as long as a server
// runs, so a restore cannot swap the file under it. The kernel drops the
// lock when the process ends, even by SIGKILL.
func Lock(dsn string) (release func(), err error) {
	if isPostgres(dsn) {
		return func() {}, nil
	}
	if dir := filepath.Dir(dsn); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, err
		}
	}
	f, err := os.OpenFile(dsn+".lock", os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("models: unable to open the lock file: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, ErrInUse
		}
		return nil, fmt.Errorf("models: unable to lock the database: %w", err)
	}
	return func() { _ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN); f.Close() }, nil
}

// PruneBackups deletes the oldest files matching prefix*.db in dir so that
// keep remain. Names carry a sortable UTC time, so name order is age order.
func PruneBackups(dir, prefix string, keep int) ([]string, error) {
	matches, err := filepath.Glob(filepath.Join(dir, prefix+"*.db"))
	if err != nil {
		return nil, err
	}
	sort.Strings(matches)
	var removed []string
	for len(matches) > keep {
		if err := os.Remove(matches[0]); err != nil {
			return removed, err
		}
		removed = append(removed, matches[0])
		matches = matches[1:]
	}
	return removed, nil
}

func copyFile(from, to string) error {
	src, err := os.Open(from)
	if err != nil {
		return fmt.Errorf("models: unable to read %s: %w", from, err)
	}
	defer src.Close()
	dst, err := os.OpenFile(to, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o644)
	if err != nil {
		return fmt.Errorf("models: unable to write %s: %w", to, err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		return fmt.Errorf("models: unable to copy %s: %w", from, err)
	}
	if err := dst.Sync(); err != nil {
		dst.Close()
		return fmt.Errorf("models: unable to sync %s: %w", to, err)
	}
	return dst.Close()
}

// syncFile flushes a file or folder to disk, so a rename survives a power cut.
func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		return fmt.Errorf("models: unable to sync %s: %w", path, err)
	}
	return nil
}
