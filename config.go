package main

import (
	"flag"
	"os"
	"strconv"
)

// config is read from flags, with environment variables as fallbacks.
type config struct {
	addr    string
	db      string
	demo    bool
	private bool
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
}

func env(key, fallback string) string {
	if v, ok := os.LookupEnv(key); ok && v != "" {
		return v
	}
	return fallback
}

func envBool(key string, fallback bool) bool {
	if b, err := strconv.ParseBool(os.Getenv(key)); err == nil {
		return b
	}
	return fallback
}
