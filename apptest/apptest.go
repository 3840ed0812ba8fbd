// Package apptest starts the real application for tests: a real database
// (a temporary SQLite file, or PostgreSQL when TIENDO_TEST_PG names one),
// the real routes, and a real HTTP listener on 127.0.0.1.
package apptest

import (
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"tiendo/handlers"
	"tiendo/models"
	"tiendo/seed"
)

// Today is the date tests run at, so assessments do not drift with the clock.
var Today = time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)

// Options change how the server starts.
type Options struct {
	Demo    bool            // add the demo actuals
	Config  handlers.Config // handler configuration
	DSN     string          // database; empty: a new temporary SQLite file
	NoClock bool            // use the real clock instead of Today
	// ConfigFor, when set, gives the configuration from the server's URL
	// (known only once it listens), e.g. an identity provider's callback.
	ConfigFor func(url string) handlers.Config
}

// Server is a running application.
type Server struct {
	URL     string
	Store   *models.Store
	App     *fiber.App
	DSN     string
	Handler *handlers.Handler
}

// Start opens, migrates and seeds a database and serves the app on a free
// port until the test ends.
func Start(t testing.TB, opt Options) *Server {
	t.Helper()
	dsn := opt.DSN
	if dsn == "" {
		dsn = DSN(t)
	}
	store := OpenStore(t, dsn)
	if opt.Demo {
		if err := seed.AddDemo(store.DB()); err != nil {
			t.Fatal(err)
		}
	}
	if !opt.NoClock {
		store.SetClock(func() time.Time { return Today })
	}
	// As tiendo serve does before it listens.
	if _, err := store.EnsureAssessed(); err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if testing.Verbose() {
		log = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cfg := opt.Config
	if opt.ConfigFor != nil {
		cfg = opt.ConfigFor("http://" + ln.Addr().String())
	}
	if cfg.DefaultUnit == "" {
		cfg.DefaultUnit = seed.UnitHCMC
	}
	h, err := handlers.New(store, cfg, log, "test")
	if err != nil {
		ln.Close()
		t.Fatal(err)
	}
	app := h.App()
	go func() { _ = app.Listener(ln) }()
	t.Cleanup(func() { _ = app.ShutdownWithTimeout(5 * time.Second) })
	return &Server{URL: "http://" + ln.Addr().String(), Store: store, App: app, DSN: dsn, Handler: h}
}

// DSN returns a fresh database for one test: a temporary SQLite file, or a
// new schema-less PostgreSQL database when TIENDO_TEST_PG is set.
func DSN(t testing.TB) string {
	t.Helper()
	if pg := os.Getenv("TIENDO_TEST_PG"); pg != "" {
		return freshPostgres(t, pg)
	}
	return filepath.Join(t.TempDir(), "tiendo.db")
}

// OpenStore opens, migrates and seeds the database at dsn.
func OpenStore(t testing.TB, dsn string) *models.Store {
	t.Helper()
	store := EmptyStore(t, dsn)
	if _, err := seed.Ensure(store.DB()); err != nil {
		t.Fatal(err)
	}
	return store
}

// EmptyStore opens and migrates the database at dsn, leaving it empty.
func EmptyStore(t testing.TB, dsn string) *models.Store {
	t.Helper()
	db, err := models.Open(dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if sqlDB, err := db.DB(); err == nil {
			sqlDB.Close()
		}
	})
	if err := models.Migrate(db); err != nil {
		t.Fatal(err)
	}
	return models.NewStore(db)
}

// Get fetches path and returns the status and body.
func (s *Server) Get(t testing.TB, path string) (int, string) {
	t.Helper()
	return s.Do(t, "GET", path, "", nil)
}

// Do sends a request with an optional body and headers ("Name: value").
func (s *Server) Do(t testing.TB, method, path, body string, headers map[string]string) (int, string) {
	t.Helper()
	resp, b := Send(t, http.DefaultClient, method, s.URL+path, body, headers)
	return resp.StatusCode, string(b)
}

// Send makes one request with hc and reads the whole response body.
func Send(t testing.TB, hc *http.Client, method, url, body string, headers map[string]string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

// StartMetrics serves the metrics listener of a running server (what
// -metrics-addr does) on a free port until the test ends.
func StartMetrics(t testing.TB, s *Server) *Server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	app := s.Handler.MetricsApp()
	go func() { _ = app.Listener(ln) }()
	t.Cleanup(func() { _ = app.ShutdownWithTimeout(5 * time.Second) })
	return &Server{URL: "http://" + ln.Addr().String(), Store: s.Store, App: app, DSN: s.DSN, Handler: s.Handler}
}
