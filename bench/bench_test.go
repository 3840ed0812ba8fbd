// Package bench holds the benchmarks of BENCHMARKS.md. `make test` runs each
// once on a small synthetic city (-benchtime=1x); scripts/bench.sh runs them
// on the reference dataset (TIENDO_BENCH_DB, TIENDO_BENCH_ROWS).
package bench

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"tiendo/apptest"
	"tiendo/handlers"
	"tiendo/models"
	"tiendo/seed"
)

const city = "/?unit=" + seed.SyntheticCity
const cityAPI = "/api/v1/assessments?unit=" + seed.SyntheticCity

// database returns the database to benchmark the app on: TIENDO_BENCH_DB
// (the reference dataset made by scripts/bench.sh), else a small synthetic
// city made for this run.
func database(b *testing.B) string {
	b.Helper()
	if dsn := os.Getenv("TIENDO_BENCH_DB"); dsn != "" {
		return dsn
	}
	dsn := filepath.Join(b.TempDir(), "bench.db")
	store := apptest.OpenStore(b, dsn)
	spec := seed.Synthetic{Units: 30, Indicators: 20, From: 2015, To: 2030, Period: models.FrequencyQuarter, Seed: 1}
	if _, err := seed.Generate(store.DB(), spec); err != nil {
		b.Fatal(err)
	}
	return dsn
}

// get fetches path uncompressed (as wrk does) and fails on anything but 200.
func get(b *testing.B, s *apptest.Server, path string) string {
	code, body := s.Do(b, "GET", path, "", map[string]string{"Accept-Encoding": "identity"})
	if code != 200 {
		b.Fatalf("GET %s: %d %.200s", path, code, body)
	}
	return body
}

// BenchmarkStartup opens, migrates and checks the database and builds the
// app, as `tiendo serve` does before it listens.
func BenchmarkStartup(b *testing.B) {
	dsn := database(b)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	for b.Loop() {
		db, err := models.Open(dsn)
		if err != nil {
			b.Fatal(err)
		}
		if err := models.Migrate(db); err != nil {
			b.Fatal(err)
		}
		if _, err := seed.Ensure(db); err != nil {
			b.Fatal(err)
		}
		if _, err := handlers.NewApp(models.NewStore(db), handlers.Config{DefaultUnit: seed.UnitHCMC}, log, "bench"); err != nil {
			b.Fatal(err)
		}
		sqlDB, _ := db.DB()
		sqlDB.Close()
	}
}

func benchPage(b *testing.B, path string, afterWrite bool) {
	s := apptest.Start(b, apptest.Options{DSN: database(b)})
	size := len(get(b, s, path))
	b.SetBytes(int64(size))
	write := wardWriter(b, s.Store)
	for b.Loop() {
		if afterWrite {
			write()
		}
		get(b, s, path)
	}
}

// wardWriter returns a function that changes one ward's latest value of
// one indicator through the store, as a planner's form does (the write
// assesses the ward, its district and the city again in its transaction);
// the value is put back at the end.
func wardWriter(b *testing.B, store *models.Store) func() {
	write := latestWriter(b, store, seed.SyntheticCity+"-D01-W01")
	i := 0
	return func() {
		i++
		write(float64(i%9+1) / 100) // never the value before, never out of range
	}
}

// latestWriter returns a function that stores the unit's latest value of
// demo-001 plus delta through the store; the value is put back at the end.
func latestWriter(b *testing.B, store *models.Store, unitCode string) func(delta float64) float64 {
	db := store.DB()
	var all []models.Observation
	err := db.Joins("JOIN units ON units.id = observations.unit_id").Joins("JOIN indicators ON indicators.id = observations.indicator_id").
		Where("units.code = ? AND indicators.code = ?", unitCode, "demo-001").Order("period DESC").Find(&all).Error
	if err != nil {
		b.Fatal(err)
	}
	// The latest value of a period that has started (an older reference
	// file has values up to 2030; a write of a later period is refused).
	var obs models.Observation
	for _, o := range all {
		if p, err := models.ParsePeriod(o.Period); err == nil && p.Started(store.Now()) {
			obs = o
			break
		}
	}
	if obs.ID == 0 {
		b.Fatalf("no value of demo-001 in %s for a period started", unitCode)
	}
	unit, err := store.UnitByCode(unitCode)
	if err != nil {
		b.Fatal(err)
	}
	ind, err := store.IndicatorByCode("demo-001")
	if err != nil {
		b.Fatal(err)
	}
	actor := models.Actor{Username: "bench"}
	save := func(v float64) error {
		return store.SaveObservations(actor, *ind, []models.ObservationInput{{Unit: *unit, Period: obs.Period, Value: &v, Note: obs.Note, Source: obs.Source}})
	}
	b.Cleanup(func() {
		if err := save(obs.Value); err != nil {
			b.Error(err)
		}
	})
	return func(delta float64) float64 {
		if err := save(obs.Value + delta); err != nil {
			b.Fatal(err)
		}
		return obs.Value + delta
	}
}

// The city's overview and assessments, served from the stored answer.
func BenchmarkOverviewStored(b *testing.B)    { benchPage(b, city, false) }
func BenchmarkAssessmentsStored(b *testing.B) { benchPage(b, cityAPI, false) }

// The same right after a ward's value changed: the city's answers are
// computed again (its other districts' summaries stay stored).
func BenchmarkOverviewAfterWrite(b *testing.B)    { benchPage(b, city, true) }
func BenchmarkAssessmentsAfterWrite(b *testing.B) { benchPage(b, cityAPI, true) }

// BenchmarkWriteVisible writes one observation (the city's latest value of
// one indicator) and reads the city's assessments once: the new value must
// be there. The original value is put back at the end.
func BenchmarkWriteVisible(b *testing.B) {
	s := apptest.Start(b, apptest.Options{DSN: database(b)})
	write := latestWriter(b, s.Store, seed.SyntheticCity)
	get(b, s, cityAPI)
	i := 0
	for b.Loop() {
		i++
		value := write(float64(i%400)/10 + 0.05)
		var rows []struct {
			Indicator    string   `json:"indicator"`
			CurrentValue *float64 `json:"current_value"`
		}
		if err := json.Unmarshal([]byte(get(b, s, cityAPI)), &rows); err != nil {
			b.Fatal(err)
		}
		seen := false
		for _, r := range rows {
			seen = seen || (r.Indicator == "demo-001" && r.CurrentValue != nil && *r.CurrentValue == value)
		}
		if !seen {
			b.Fatalf("value %v written, not in the next answer", value)
		}
	}
}

// rows is how many observations the insert benchmarks write:
// TIENDO_BENCH_ROWS, else 20 000.
func rows(b *testing.B) int {
	n, err := strconv.Atoi(os.Getenv("TIENDO_BENCH_ROWS"))
	if err != nil || n <= 0 {
		return 20000
	}
	return n
}

// freshSQLite is an empty, migrated and seeded database file.
func freshSQLite(b *testing.B) (*models.Store, *sql.DB) {
	b.Helper()
	store := apptest.OpenStore(b, filepath.Join(b.TempDir(), "insert.db"))
	sqlDB, err := store.DB().DB()
	if err != nil {
		b.Fatal(err)
	}
	return store, sqlDB
}

// BenchmarkRawInsert is the yardstick for loading data: one prepared
// single-row INSERT into observations, executed for every row, in one
// transaction, into a fresh SQLite file.
func BenchmarkRawInsert(b *testing.B) {
	n := rows(b)
	for b.Loop() {
		b.StopTimer()
		_, sqlDB := freshSQLite(b)
		now := time.Now().UTC().Truncate(time.Second)
		inds, units := referenced(b, sqlDB, max(1, n/(335*64)+1), 335, now)
		b.StartTimer()
		tx, err := sqlDB.Begin()
		if err != nil {
			b.Fatal(err)
		}
		stmt, err := tx.Prepare( //nolint:sqlclosecheck // closed with its transaction
			`INSERT INTO observations (indicator_id, unit_id, period, year, value, note, source, demo, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
		if err != nil {
			b.Fatal(err)
		}
		// Same shape as the synthetic city: indicator, unit, quarter.
		for i := 0; i < n; i++ {
			q := i % 64
			period := fmt.Sprintf("%d-Q%d", 2015+q/4, q%4+1)
			if _, err := stmt.Exec(inds[i/(64*335)], units[(i/64)%335], period, 2015+q/4, float64(i%1000)/10, "", "Minh họa (demo)", true, now, now); err != nil {
				b.Fatal(err)
			}
		}
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// referenced makes the indicators and units the raw rows point to.
func referenced(b *testing.B, sqlDB *sql.DB, indicators, units int, now time.Time) (inds, us []int64) {
	b.Helper()
	for i := 0; i < indicators; i++ {
		var id int64
		err := sqlDB.QueryRow(`INSERT INTO indicators (code, name_vi, name_en, pillar_id, measure, direction, created_at, updated_at)
			VALUES (?, 'x', 'x', (SELECT MIN(id) FROM pillars), '%', 'higher', ?, ?) RETURNING id`, fmt.Sprintf("raw-%d", i), now, now).Scan(&id)
		if err != nil {
			b.Fatal(err)
		}
		inds = append(inds, id)
	}
	for u := 0; u < units; u++ {
		var id int64
		err := sqlDB.QueryRow(`INSERT INTO units (code, name_vi, name_en, level, created_at, updated_at)
			VALUES (?, 'x', 'x', 'ward', ?, ?) RETURNING id`, fmt.Sprintf("RAW-%d", u), now, now).Scan(&id)
		if err != nil {
			b.Fatal(err)
		}
		us = append(us, id)
	}
	return inds, us
}

// BenchmarkGenerate loads the same number of observations through the
// synthetic city's bulk loader (seed.Generate).
func BenchmarkGenerate(b *testing.B) {
	n := rows(b)
	indicators := max(1, n/(335*64))
	spec := seed.Synthetic{Units: min(335, max(3, n/64)), Indicators: indicators, From: 2015, To: 2030, Period: models.FrequencyQuarter, Seed: 1}
	var obs int
	for b.Loop() {
		b.StopTimer()
		store, _ := freshSQLite(b)
		b.StartTimer()
		st, err := seed.Generate(store.DB(), spec)
		if err != nil {
			b.Fatal(err)
		}
		obs = st.Observations
	}
	b.ReportMetric(float64(obs)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
