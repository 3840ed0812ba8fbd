package importer_test

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"tiendo/apptest"
	"tiendo/importer"
	"tiendo/models"
)

// benchRows is how many observations one benchmark import writes.
const benchRows = 100_000

// benchCSV is our long format: the units, then benchRows monthly values
// of one indicator over them.
func benchCSV() (units, values []byte) {
	var b strings.Builder
	b.WriteString("record,unit,unit_vi,unit_en,level,parent,indicator,period,value\n")
	for u := 0; u < (benchRows+119)/120; u++ {
		fmt.Fprintf(&b, "unit,B-%d,Đơn vị %d,Unit %d,ward,VN-SG,,,\n", u, u, u)
	}
	units = []byte(b.String())
	b.Reset()
	b.WriteString("record,unit,unit_vi,unit_en,level,parent,indicator,period,value\n")
	for i := 0; i < benchRows; i++ {
		u, m := i/120, i%120
		fmt.Fprintf(&b, "observation,B-%d,,,,,5g-coverage,%d-%02d,%s\n", u, 2016+m/12, m%12+1, strconv.FormatFloat(float64(i%1000)/10, 'f', -1, 64))
	}
	return units, []byte(b.String())
}

// BenchmarkImportCommit measures the commit step of benchRows new values
// (the units exist; parse and preview are outside the timer):
// go test ./importer -run X -bench . -benchtime 3x
func BenchmarkImportCommit(b *testing.B) {
	units, data := benchCSV()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		store := apptest.OpenStore(b, apptest.DSN(b))
		setup, _ := importer.Preview(store, importer.Parse([]importer.File{{Name: "units.csv", Data: units}}, importer.ParseOptions{}), importer.Options{UnitTree: true})
		if err := importer.Commit(store, setup, models.Actor{Username: "bench"}); err != nil {
			b.Fatal(err)
		}
		plan, err := importer.Preview(store, importer.Parse([]importer.File{{Name: "bench.csv", Data: data}}, importer.ParseOptions{}), importer.Options{UnitTree: true})
		if err != nil || plan.Err() != nil {
			b.Fatal(err, plan.Err(), plan.Problems, plan.MissingUnits, plan.MissingIndicators)
		}
		b.StartTimer()
		if err := importer.Commit(store, plan, models.Actor{Username: "bench"}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(benchRows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkRawPreparedInsert is the yardstick: the same rows through one
// prepared INSERT statement in one transaction.
func BenchmarkRawPreparedInsert(b *testing.B) {
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		store := apptest.OpenStore(b, apptest.DSN(b))
		sqlDB, _ := store.DB().DB()
		var indID, unitID int
		sqlDB.QueryRow(`SELECT id FROM indicators WHERE code = '5g-coverage'`).Scan(&indID)
		sqlDB.QueryRow(`SELECT id FROM units WHERE code = 'VN-SG'`).Scan(&unitID)
		b.StartTimer()
		tx, err := sqlDB.Begin()
		if err != nil {
			b.Fatal(err)
		}
		marks := "?,?,?,?,?,?,?,?"
		if models.IsPostgres(store.DB()) {
			marks = "$1,$2,$3,$4,$5,$6,$7,$8"
		}
		stmt, err := tx.Prepare(`INSERT INTO observations (indicator_id, unit_id, period, year, value, note, source, demo, created_at, updated_at) VALUES (` + marks + `,CURRENT_TIMESTAMP,CURRENT_TIMESTAMP)`)
		if err != nil {
			b.Fatal(err)
		}
		for r := 0; r < benchRows; r++ {
			if _, err := stmt.Exec(indID, unitID, fmt.Sprintf("B%07d", r), 2020, float64(r%1000)/10, "", "", false); err != nil {
				b.Fatal(err)
			}
		}
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(benchRows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
