package handlers_test

import (
	"fmt"
	"net/url"
	"sort"
	"testing"
	"time"

	"tiendo/apptest"
	"tiendo/models"
)

// BenchmarkSaveGrid300x12 posts a full grid of 300 wards by 12 months, every
// cell changed, through the real route: parse, validate, one transaction
// with an audit entry and (from the second save) a history row per value.
// The median of the saves is reported as ms/median.
//
//	go test ./handlers/ -run XXX -bench SaveGrid -benchtime 7x
func BenchmarkSaveGrid300x12(b *testing.B) {
	s := apptest.Start(b, apptest.Options{})
	city, err := s.Store.UnitByCode("VN-SG")
	if err != nil {
		b.Fatal(err)
	}
	units := make([]models.Unit, 300)
	for i := range units {
		units[i] = models.Unit{Code: fmt.Sprintf("B-W%03d", i), NameVI: fmt.Sprintf("Phường %d", i), NameEN: fmt.Sprintf("Ward %d", i),
			Level: models.LevelWard, ParentID: &city.ID}
	}
	if err := s.Store.DB().CreateInBatches(units, 100).Error; err != nil {
		b.Fatal(err)
	}
	s.AddUser(b, "planner", models.RolePlanner, "", testPassword)
	c := s.NewClient(b)
	c.Login(b, "planner", testPassword)
	// vbsp-loans is monthly; the range is the 12 months to the test's today.
	path := "/edit/indicators/vbsp-loans/grid"
	var durations []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		form := url.Values{"from": {"2025-12"}, "to": {"2026-11"}, "source": {"benchmark"}}
		for _, u := range units {
			for m := 0; m < 12; m++ {
				per := models.Period{Year: 2025 + (11+m)/12, Month: (11+m)%12 + 1}
				form.Set("v|"+u.Code+"|"+per.String(), fmt.Sprintf("%d,%d", 100+i, m))
			}
		}
		start := time.Now()
		code, body := c.Post(b, path, form)
		durations = append(durations, time.Since(start))
		if code != 303 {
			b.Fatalf("save %d: %d %.300s", i, code, body)
		}
	}
	b.StopTimer()
	sort.Slice(durations, func(i, j int) bool { return durations[i] < durations[j] })
	b.ReportMetric(float64(durations[len(durations)/2].Microseconds())/1000, "ms/median")
	var n int64
	s.Store.DB().Model(&models.Observation{}).Where("source = ?", "benchmark").Count(&n)
	if n != 3600 {
		b.Fatalf("%d values stored, want 3600", n)
	}
}
