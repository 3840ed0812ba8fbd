package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"gorm.io/gorm"

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
		closeDB(db)
		return nil, err
	}
	seeded, err := seed.Ensure(db)
	if err != nil {
		closeDB(db)
		return nil, err
	}
	if seeded {
		log.Info("seeded the source document into an empty database")
	}
	return models.NewStore(db), nil
}

// closeDB closes the connections; for SQLite the last one checkpoints the
// WAL into the database file.
func closeDB(db *gorm.DB) {
	if sqlDB, err := db.DB(); err == nil {
		_ = sqlDB.Close()
	}
}

func serve(args []string) error {
	var cfg config
	fs := newFlagSet("serve")
	cfg.bindServe(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	log := cfg.logger()
	if !models.CommonPasswordsLoaded() {
		return errors.New("this build lacks the list of common passwords (static/vendor/common-passwords.txt): build with make")
	}
	zone, err := cfg.zone()
	if err != nil {
		return err
	}
	passwordLogin, provider, err := cfg.signIn(context.Background())
	if err != nil {
		return err
	}
	// The lock tells `tiendo restore` a server is using the file.
	release, err := models.Lock(cfg.db)
	if err != nil {
		return err
	}
	defer release()
	store, err := openStore(cfg.db, log)
	if err != nil {
		return err
	}
	defer closeDB(store.DB())
	if cfg.tokenTTL <= 0 || cfg.maxTokens <= 0 {
		return fmt.Errorf("TIENDO_TOKEN_TTL (%s) and TIENDO_MAX_TOKENS (%d) must be positive", cfg.tokenTTL, cfg.maxTokens)
	}
	store.SetTokenPolicy(models.TokenPolicy{TTL: cfg.tokenTTL, Max: cfg.maxTokens})
	if _, err := store.UnitByCode(cfg.defaultUnit); err != nil {
		return fmt.Errorf("TIENDO_DEFAULT_UNIT (-default-unit) %q: %w", cfg.defaultUnit, err)
	}
	store.SetMaxBreakdowns(cfg.maxBreakdowns)
	if cfg.demo {
		had, err := seed.HasDemo(store.DB())
		if err != nil {
			return err
		}
		if err := seed.AddDemo(store.DB()); err != nil {
			return err
		}
		if had {
			log.Info("demo actuals were added before: not added again (values deleted since stay deleted)")
		} else {
			log.Info("demo actuals added (marked as demo data)")
		}
	}
	// First run: an administrator, so someone can sign in and add the others.
	pw := cfg.adminPassword
	created, err := store.EnsureAdmin(pw)
	if err != nil {
		return fmt.Errorf("creating the first administrator (TIENDO_ADMIN_PASSWORD needs at least %d characters and must not be a common password): %w", models.MinPasswordLength, err)
	}
	if created != "" && pw == "" {
		log.Warn("no account existed: created the administrator; this password is shown only once", "username", "admin", "password", created)
	} else if created != "" {
		log.Info("no account existed: created the administrator with TIENDO_ADMIN_PASSWORD", "username", "admin")
	}
	mailer, err := cfg.mail.worker(store, log, cmp.Or(cfg.publicURL, "http://"+cfg.addr), cfg.defaultUnit)
	if err != nil {
		return err
	}
	hcfg := cfg.handlerConfig()
	hcfg.PasswordLogin, hcfg.OIDC, hcfg.TimeZone = passwordLogin, provider, zone
	hcfg.DigestSchedule, hcfg.SMTP = mailer.Schedule, mailer.SMTP != nil
	// A database that was upgraded, loaded in bulk or last assessed in
	// another year has its assessments built before the first reader.
	start := time.Now()
	built, err := store.EnsureAssessed()
	if err != nil {
		return err
	}
	if built {
		log.Info("assessments built", "took", time.Since(start).Round(time.Millisecond))
	}
	h, err := handlers.New(store, hcfg, log, version)
	if err != nil {
		return err
	}
	app := h.App()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	errc := make(chan error, 2)
	go func() { errc <- app.Listen(cfg.addr) }()
	log.Info("Tiến độ is listening", "addr", "http://"+cfg.addr, "db", cfg.db, "version", version)
	if cfg.metricsAddr != "" {
		metrics := h.MetricsApp()
		go func() { errc <- metrics.Listen(cfg.metricsAddr) }()
		defer func() { _ = metrics.Shutdown() }()
		log.Info("metrics are served", "addr", "http://"+cfg.metricsAddr+"/metrics")
	}
	if cfg.backupDir != "" && cfg.backupEvery > 0 {
		go backupSchedule(ctx, store, cfg.backupDir, cfg.backupEvery, max(cfg.backupKeep, 1), log)
		log.Info("scheduled backups", "dir", cfg.backupDir, "every", cfg.backupEvery.String(), "keep", cfg.backupKeep)
	}
	// Every instance runs the mail worker; only the holder of the lease sends.
	go mailer.Run(ctx, 15*time.Second)
	if mailer.SMTP == nil {
		log.Warn("no SMTP server configured (-smtp-url): e-mails stay in the outbox (/admin/outbox)")
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	// New connections are refused from here; requests in flight run to their
	// end (each write is one transaction, so none is cut in half), then the
	// deferred calls close the database and release the lock.
	log.Info("shutting down: finishing requests in flight")
	if err := app.ShutdownWithTimeout(30 * time.Second); err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	log.Info("stopped cleanly")
	return nil
}
