package handlers_test

import (
	"os"
	"strings"
	"sync"
	"testing"

	"gorm.io/gorm"

	"tiendo/apptest"
	"tiendo/models"
	"tiendo/seed"
)

// pagePaths are the pages and API answers whose queries must use indexes.
var pagePaths = []string{
	"/", "/?unit=VN-DEMO", "/?unit=VN-DEMO&year=2025", "/?unit=VN-DEMO-D01-W01&lang=en",
	"/indicators/demo-001", "/indicators/demo-002?unit=VN-DEMO-D02", "/indicators/5g-coverage",
	"/api/v1/units", "/api/v1/indicators", "/api/v1/indicators/demo-003",
	"/api/v1/assessments?unit=VN-DEMO", "/api/v1/assessments?unit=VN-DEMO&year=2030", "/api/v1/assessments",
}

type capturedQuery struct {
	sql  string
	vars []any
}

// TestPageQueriesUseIndexes records every query the pages make on a
// synthetic city and asks SQLite for its plan: reading observations without
// an index (a full scan of the biggest table) fails the test.
func TestPageQueriesUseIndexes(t *testing.T) {
	if os.Getenv("TIENDO_TEST_PG") != "" {
		t.Skip("SKIPPED on PostgreSQL: this test reads SQLite's EXPLAIN QUERY PLAN; it runs in the SQLite pass")
	}
	s := apptest.Start(t, apptest.Options{Demo: true})
	db := s.Store.DB()
	if _, err := seed.Generate(db, seed.Synthetic{Units: 60, Indicators: 12, From: 2015, To: 2030, Period: models.FrequencyQuarter, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	if err := s.Store.Reassess(); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var queries []capturedQuery
	record := func(tx *gorm.DB) {
		mu.Lock()
		defer mu.Unlock()
		queries = append(queries, capturedQuery{tx.Statement.SQL.String(), append([]any(nil), tx.Statement.Vars...)})
	}
	if err := db.Callback().Query().After("gorm:query").Register("test:record", record); err != nil {
		t.Fatal(err)
	}
	if err := db.Callback().Row().After("gorm:row").Register("test:record", record); err != nil {
		t.Fatal(err)
	}
	for _, p := range pagePaths {
		if code, body := s.Get(t, p); code != 200 {
			t.Fatalf("GET %s: %d %.200s", p, code, body)
		}
	}
	_ = db.Callback().Query().Remove("test:record")
	_ = db.Callback().Row().Remove("test:record")

	checked := 0
	for _, q := range queries {
		if !strings.Contains(q.sql, "observations") {
			continue
		}
		if strings.Count(q.sql, "?") != len(q.vars) {
			// A sub-query built for a bigger one: that one is checked.
			continue
		}
		checked++
		rows, err := db.Raw("EXPLAIN QUERY PLAN "+q.sql, q.vars...).Rows()
		if err != nil {
			t.Fatalf("EXPLAIN %s: %v", q.sql, err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		for _, step := range plan {
			if strings.HasPrefix(step, "SCAN observations") || strings.HasPrefix(step, "SCAN o ") || step == "SCAN o" {
				t.Errorf("full scan of observations:\n  %s\n  plan: %s", q.sql, strings.Join(plan, " | "))
			}
		}
	}
	// Every page reads observations; far fewer checks would mean the
	// recording missed them.
	if checked < 8 {
		t.Fatalf("only %d queries on observations recorded over %d pages", checked, len(pagePaths))
	}
	t.Logf("%d queries, %d on observations, none scans it", len(queries), checked)
}
