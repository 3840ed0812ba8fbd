package main

import (
	"flag"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"time"

	"tiendo/handlers"
)

// config is read from flags, with environment variables as fallbacks.
type config struct {
	addr        string
	db          string
	demo        bool
	private     bool
	logJSON     bool
	metricsAddr string
	backupDir   string
	backupEvery time.Duration
	backupKeep  int
	publicURL   string
	trusted     string
}

// bindCommon adds the flags every command shares.
func (c *config) bindCommon(fs *flag.FlagSet) {
	fs.StringVar(&c.db, "db", env("TIENDO_DB", "data/tiendo.db"), "database: a SQLite file path or a postgres:// URL (TIENDO_DB)")
}

// bindServe adds the server's flags.
func (c *config) bindServe(fs *flag.FlagSet) {
	c.bindCommon(fs)
	fs.StringVar(&c.addr, "addr", env("TIENDO_ADDR", "127.0.0.1:8080"), "address to listen on (TIENDO_ADDR)")
	fs.BoolVar(&c.demo, "demo", envBool("TIENDO_DEMO", false), "add made-up demo actuals, marked as demo (TIENDO_DEMO)")
	fs.BoolVar(&c.private, "private", envBool("TIENDO_PRIVATE", false), "require a login for every page and the API (TIENDO_PRIVATE)")
	fs.BoolVar(&c.logJSON, "log-json", envBool("TIENDO_LOG_JSON", false), "write logs as JSON lines (TIENDO_LOG_JSON)")
	fs.StringVar(&c.metricsAddr, "metrics-addr", env("TIENDO_METRICS_ADDR", ""), "serve Prometheus /metrics without login on this private address, e.g. 127.0.0.1:9090 (TIENDO_METRICS_ADDR)")
	fs.StringVar(&c.backupDir, "backup-dir", env("TIENDO_BACKUP_DIR", ""), "write scheduled backups into this folder (TIENDO_BACKUP_DIR)")
	fs.DurationVar(&c.backupEvery, "backup-every", envDuration("TIENDO_BACKUP_EVERY", 24*time.Hour), "time between scheduled backups (TIENDO_BACKUP_EVERY)")
	fs.StringVar(&c.publicURL, "public-url", env("TIENDO_PUBLIC_URL", ""), "address readers use, e.g. https://tiendo.example.gov.vn, for absolute links such as the briefing's printed one; empty: relative links (TIENDO_PUBLIC_URL)")
	fs.StringVar(&c.trusted, "trusted-proxies", env("TIENDO_TRUSTED_PROXIES", ""), "comma-separated addresses or CIDR ranges of reverse proxies whose X-Forwarded-For/-Proto count, e.g. 127.0.0.1,10.0.0.0/8 (TIENDO_TRUSTED_PROXIES)")
	fs.IntVar(&c.backupKeep, "backup-keep", envInt("TIENDO_BACKUP_KEEP", 14), "scheduled backups to keep; older ones are deleted (TIENDO_BACKUP_KEEP)")
}

// logger writes text, or JSON lines with -log-json, to standard error.
func (c *config) logger() *slog.Logger {
	if c.logJSON {
		return slog.New(slog.NewJSONHandler(os.Stderr, nil))
	}
	return slog.New(slog.NewTextHandler(os.Stderr, nil))
}

func env(key, fallback string) string {
	if v, ok := os.LookupEnv(key); ok && v != "" {
		return v
	}
	return fallback
}

func envDuration(key string, fallback time.Duration) time.Duration {
	if d, err := time.ParseDuration(os.Getenv(key)); err == nil {
		return d
	}
	return fallback
}

func envInt(key string, fallback int) int {
	if n, err := strconv.Atoi(os.Getenv(key)); err == nil {
		return n
	}
	return fallback
}

func envBool(key string, fallback bool) bool {
	if b, err := strconv.ParseBool(os.Getenv(key)); err == nil {
		return b
	}
	return fallback
}

// handlerConfig is what the handlers need from the flags.
func (c *config) handlerConfig() handlers.Config {
	var trusted []string
	for _, s := range strings.Split(c.trusted, ",") {
		if s = strings.TrimSpace(s); s != "" {
			trusted = append(trusted, s)
		}
	}
	return handlers.Config{Private: c.private, PublicURL: c.publicURL, TrustedProxies: trusted}
}
