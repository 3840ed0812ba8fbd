package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"tiendo/handlers"
	"tiendo/models"
	"tiendo/seed"
)

// openStore opens and migrates the database, and seeds it when empty.
func openStore(dsn string, log *slog.Logger) (*models.Store, error) {
	db, err := models.Open(dsn)
	if err != nil {
		return nil, err
	}
	if err := models.Migrate(db); err != nil {
		return nil, err
	}
	seeded, err := seed.Ensure(db)
	if err != nil {
		return nil, err
	}
	if seeded {
		log.Info("seeded the source document into an empty database")
	}
	return models.NewStore(db), nil
}

func serve(args []string) error {
	var cfg config
	fs := flag.NewFlagSet("serve", flag.ExitOnError)
	cfg.bindServe(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	store, err := openStore(cfg.db, log)
	if err != nil {
		return err
	}
	if cfg.demo {
		if err := seed.AddDemo(store.DB()); err != nil {
			return err
		}
		log.Info("demo actuals added (marked as demo data)")
	}
	// First run: an administrator, so someone can sign in and add the others.
	pw := os.Getenv("TIENDO_ADMIN_PASSWORD")
	created, err := store.EnsureAdmin(pw)
	if err != nil {
		return fmt.Errorf("creating the first administrator (TIENDO_ADMIN_PASSWORD needs at least %d characters): %w", models.MinPasswordLength, err)
	}
	if created != "" && pw == "" {
		log.Warn("no account existed: created the administrator; this password is shown only once", "username", "admin", "password", created)
	} else if created != "" {
		log.Info("no account existed: created the administrator with TIENDO_ADMIN_PASSWORD", "username", "admin")
	}
	app, err := handlers.NewApp(store, handlers.Config{Private: cfg.private}, log, version)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	errc := make(chan error, 1)
	go func() { errc <- app.Listen(cfg.addr) }()
	log.Info("Tiến độ is listening", "addr", "http://"+cfg.addr, "db", cfg.db, "version", version)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing requests in flight")
	if err := app.ShutdownWithTimeout(30 * time.Second); err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	return nil
}
