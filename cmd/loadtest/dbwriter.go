package main

import (
	"fmt"
	"sync"
	"time"

	"gorm.io/gorm"

	"tiendo/models"
)

// dbWriter commits values into the server's database from this process, as
// `tiendo import` beside a running server would, and remembers every write
// the database acknowledged.
type dbWriter struct {
	db    *gorm.DB
	inds  []uint
	units map[int]uint
	mu    sync.Mutex
	acked map[uint][]string // unit → periods acknowledged
}

func newDBWriter(dbPath string) (*dbWriter, error) {
	db, err := models.Open(dbPath)
	if err != nil {
		return nil, err
	}
	w := &dbWriter{db: db, units: map[int]uint{}, acked: map[uint][]string{}}
	if err := db.Model(&models.Indicator{}).Order("id").Pluck("id", &w.inds).Error; err != nil {
		return nil, err
	}
	if len(w.inds) == 0 {
		return nil, fmt.Errorf("loadtest: the database has no indicators")
	}
	return w, nil
}

func (w *dbWriter) close() {
	if sqlDB, err := w.db.DB(); err == nil {
		sqlDB.Close()
	}
}

// write commits three values and their audit entry in one transaction.
func (w *dbWriter) write(i, n int) result {
	start := time.Now()
	unit, err := w.unit(i)
	if err != nil {
		return result{kind: "import", err: err.Error()}
	}
	period := fmt.Sprintf("w%dn%d", i, n)
	err = w.db.Transaction(func(tx *gorm.DB) error {
		for k := range 3 {
			o := models.Observation{IndicatorID: w.inds[(n+k)%len(w.inds)], UnitID: unit, Period: period, Year: 2025, Value: float64(n), Note: "load test"}
			if err := tx.Create(&o).Error; err != nil {
				return err
			}
		}
		return models.RecordAudit(tx, models.Actor{Username: "loadtest", Via: models.ViaImport}, "create", "observation", period, nil, period)
	})
	if err != nil {
		return result{kind: "import", err: err.Error()}
	}
	w.mu.Lock()
	w.acked[unit] = append(w.acked[unit], period)
	w.mu.Unlock()
	return result{kind: "import", latency: time.Since(start)}
}

func (w *dbWriter) unit(i int) (uint, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if id, ok := w.units[i]; ok {
		return id, nil
	}
	u := models.Unit{Code: fmt.Sprintf("LOAD-%d-%d", i, time.Now().UnixNano()), NameVI: "Tải thử", NameEN: "Load test", Level: models.LevelDistrict}
	if err := w.db.Create(&u).Error; err != nil {
		return 0, err
	}
	w.units[i] = u.ID
	return u.ID, nil
}

// verify counts the acknowledged writes the database does not hold in full.
func (w *dbWriter) verify() (int, error) {
	lost := 0
	for unit, periods := range w.acked {
		var rows []struct {
			Period string
			N      int
		}
		err := w.db.Raw("SELECT period, COUNT(*) AS n FROM observations WHERE unit_id = ? GROUP BY period", unit).Scan(&rows).Error
		if err != nil {
			return 0, err
		}
		have := map[string]int{}
		for _, r := range rows {
			have[r.Period] = r.N
		}
		for _, p := range periods {
			if have[p] != 3 {
				lost++
			}
		}
	}
	return lost, nil
}
