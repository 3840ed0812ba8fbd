package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/debug"
	"time"

	"tiendo/models"
)

// backup writes a consistent copy of the database to FILE, also while a
// server is running and writing.
func backup(args []string) error {
	var cfg config
	fs := newFlagSet("backup")
	cfg.bindCommon(fs)
	say, err := parseCommand(fs, args)
	if err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return say.Err("cli.backup_usage")
	}
	if _, err := os.Stat(cfg.db); err != nil {
		return say.Err("cli.no_database", cfg.db)
	}
	db, err := models.Open(cfg.db)
	if err != nil {
		return err
	}
	defer closeDB(db)
	if err := models.Backup(db, fs.Arg(0)); err != nil {
		return err
	}
	fmt.Println(say.T("cli.backup_written", fs.Arg(0)))
	return nil
}

// restore replaces the database with a backup. It refuses a backup that
// fails its integrity check or comes from a newer schema, and refuses while
// a server runs on the database; the replaced database is kept beside it.
func restore(args []string) error {
	var cfg config
	fs := newFlagSet("restore")
	cfg.bindCommon(fs)
	say, err := parseCommand(fs, args)
	if err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return say.Err("cli.restore_usage")
	}
	kept, err := models.Restore(cfg.db, fs.Arg(0), time.Now())
	if err != nil {
		return err
	}
	if kept != "" {
		fmt.Println(say.T("cli.restore_kept", kept))
	}
	fmt.Println(say.T("cli.restored", cfg.db, fs.Arg(0)))
	return nil
}

// backupSchedule writes a backup to dir every interval and keeps the newest
// keep of them, until ctx ends.
func backupSchedule(ctx context.Context, store *models.Store, dir string, every time.Duration, keep int, log *slog.Logger) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			path, err := scheduledBackup(store, dir, now, keep)
			if err != nil {
				log.Error("scheduled backup failed", "error", err)
				continue
			}
			log.Info("scheduled backup written", "path", path)
		}
	}
}

// scheduledBackup writes one backup and deletes the oldest beyond keep. A
// panic comes back as an error: the schedule runs in its own goroutine,
// where it would end the whole server.
func scheduledBackup(store *models.Store, dir string, now time.Time, keep int) (path string, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v\n%s", r, debug.Stack())
		}
	}()
	path = filepath.Join(dir, "tiendo-"+now.UTC().Format("20060102T150405Z")+".db")
	if err := models.Backup(store.DB(), path); err != nil {
		return "", err
	}
	if _, err := models.PruneBackups(dir, "tiendo-", keep); err != nil {
		return path, fmt.Errorf("backup written to %s, but older ones could not be deleted: %w", path, err)
	}
	return path, nil
}
