package main

import (
	"path/filepath"
	"testing"

	"tiendo/models"
)

// TestExportOpensASmallPageCache: the export's SQLite connections keep a
// 4 MB page cache, not the server's 64 MB (the parameter given first is
// the one the driver takes), and a PostgreSQL URL is left as it is.
func TestExportOpensASmallPageCache(t *testing.T) {
	db, err := models.Open(exportDSN(filepath.Join(t.TempDir(), "x.db")))
	if err != nil {
		t.Fatal(err)
	}
	defer closeDB(db)
	var pages int
	if err := db.Raw("PRAGMA cache_size").Scan(&pages).Error; err != nil || pages != -4096 {
		t.Errorf("cache_size %d (%v), want -4096", pages, err)
	}
	if got := exportDSN("a.db?mode=ro"); got != "a.db?mode=ro&_cache_size=-4096" {
		t.Errorf("with a query: %s", got)
	}
	if u := "postgres://u@h/db"; exportDSN(u) != u {
		t.Errorf("a PostgreSQL URL became %s", exportDSN(u))
	}
}
