package seed_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"tiendo/apptest"
	"tiendo/models"
	"tiendo/seed"
)

var small = seed.Synthetic{Units: 40, Indicators: 13, From: 2015, To: 2026, Period: models.FrequencyQuarter, Seed: 7}

type obsKey struct {
	indicator, unit, period string
}

// synthetic generates spec into a fresh database (SQLite, or PostgreSQL
// under TIENDO_TEST_PG) and returns the store.
func synthetic(t *testing.T, spec seed.Synthetic) *models.Store {
	t.Helper()
	store := apptest.OpenStore(t, apptest.DSN(t))
	st, err := seed.Generate(store.DB(), spec)
	if err != nil {
		t.Fatal(err)
	}
	// Quarters from..to that have started: later ones get no value.
	periods := 0
	for y := spec.From; y <= spec.To; y++ {
		for q := 1; q <= 4; q++ {
			if (models.Period{Year: y, Quarter: q}).Started(time.Now()) {
				periods++
			}
		}
	}
	want := seed.SyntheticStats{Units: spec.Units, Indicators: spec.Indicators, Targets: 2 * spec.Units * spec.Indicators,
		Observations: spec.Units * spec.Indicators * periods}
	if st != want {
		t.Fatalf("generated %+v, want %+v", st, want)
	}
	return store
}

func values(t *testing.T, store *models.Store) map[obsKey]float64 {
	t.Helper()
	var rows []struct {
		Indicator, Unit, Period string
		Value                   float64
	}
	err := store.DB().Raw(`SELECT i.code AS indicator, u.code AS unit, o.period, o.value FROM observations o
		JOIN indicators i ON i.id = o.indicator_id JOIN units u ON u.id = o.unit_id WHERE o.demo = ?`, true).Scan(&rows).Error
	if err != nil {
		t.Fatal(err)
	}
	out := map[obsKey]float64{}
	for _, r := range rows {
		out[obsKey{r.Indicator, r.Unit, r.Period}] = r.Value
	}
	return out
}

func TestSyntheticCityIsARealisticTree(t *testing.T) {
	store := synthetic(t, small)
	city, err := store.UnitByCode(seed.SyntheticCity)
	if err != nil {
		t.Fatal(err)
	}
	districts, err := store.Children(city.ID)
	if err != nil {
		t.Fatal(err)
	}
	// 40 units: the city, round(40/15) = 3 districts, 36 wards shared out.
	if city.Level != models.LevelCity || !city.Demo || len(districts) != 3 {
		t.Fatalf("city %+v with %d districts, want a demo city with 3", city, len(districts))
	}
	wards := 0
	for _, d := range districts {
		ws, err := store.Children(d.ID)
		if err != nil {
			t.Fatal(err)
		}
		if d.Level != models.LevelDistrict || len(ws) < 11 || len(ws) > 12 {
			t.Errorf("district %s (%s) has %d wards, want 12 each", d.Code, d.Level, len(ws))
		}
		for _, w := range ws {
			if w.Level != models.LevelWard || !w.Demo {
				t.Errorf("ward %s: level %s, demo %v", w.Code, w.Level, w.Demo)
			}
		}
		wards += len(ws)
	}
	if wards != 36 {
		t.Errorf("%d wards, want 36", wards)
	}
	// Every row is marked demo.
	for table, mine := range map[string]string{
		"observations": "unit_id IN (SELECT id FROM units WHERE code LIKE 'VN-DEMO%')",
		"targets":      "unit_id IN (SELECT id FROM units WHERE code LIKE 'VN-DEMO%')",
		"indicators":   "code LIKE 'demo-%'",
		"units":        "code LIKE 'VN-DEMO%'",
	} {
		var all, notDemo int64
		if err := store.DB().Raw(`SELECT COUNT(*) FROM ` + table + ` WHERE ` + mine).Scan(&all).Error; err != nil {
			t.Fatal(err)
		}
		if err := store.DB().Raw(`SELECT COUNT(*) FROM ` + table + ` WHERE demo = FALSE AND ` + mine).Scan(&notDemo).Error; err != nil {
			t.Fatal(err)
		}
		if all == 0 || notDemo > 0 {
			t.Errorf("%s: %d synthetic rows, %d of them not marked demo", table, all, notDemo)
		}
	}
	// The assessments spread over the statuses, as a real city's would.
	rows, err := store.CachedEffectiveProgress(*city, 2030)
	if err != nil {
		t.Fatal(err)
	}
	counts := models.StatusCounts(rows)
	if len(rows) != small.Indicators || len(counts) < 3 {
		t.Errorf("%d rows at 2030, statuses %v: want one per indicator and at least 3 statuses", len(rows), counts)
	}
}

func TestSyntheticDataIsDeterministic(t *testing.T) {
	a, b := values(t, synthetic(t, small)), values(t, synthetic(t, small))
	other := small
	other.Seed++
	c := values(t, synthetic(t, other))
	if len(a) != len(b) || len(a) == 0 {
		t.Fatalf("%d and %d values", len(a), len(b))
	}
	same := 0
	for k, v := range a {
		if b[k] != v {
			t.Fatalf("%v: %v then %v with the same seed", k, v, b[k])
		}
		if c[k] == v {
			same++
		}
	}
	if same > len(a)/10 {
		t.Errorf("another seed changed only %d of %d values", len(a)-same, len(a))
	}
}

func TestSyntheticDataIsRemovedWithTheDemo(t *testing.T) {
	store := synthetic(t, small)
	if _, err := seed.Generate(store.DB(), small); !errors.Is(err, seed.ErrSyntheticPresent) {
		t.Errorf("generating twice: %v, want ErrSyntheticPresent", err)
	}
	if err := seed.RemoveDemo(store.DB()); err != nil {
		t.Fatal(err)
	}
	for _, table := range []string{"observations", "targets", "indicators", "units"} {
		var n int64
		if err := store.DB().Raw(`SELECT COUNT(*) FROM ` + table + ` WHERE demo = TRUE`).Scan(&n).Error; err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Errorf("%d demo rows left in %s", n, table)
		}
	}
	// The source document's own data stays.
	if _, err := store.UnitByCode(seed.UnitHCMC); err != nil {
		t.Errorf("HCMC removed with the demo: %v", err)
	}
	if _, err := seed.Generate(store.DB(), seed.Synthetic{Units: 2, Indicators: 1, From: 2015, To: 2016, Period: "year"}); err == nil {
		t.Error("2 units accepted: a city needs a district and a ward")
	}
	if _, err := seed.Generate(store.DB(), seed.Synthetic{Units: 5, Indicators: 1, From: 2015, To: 2016, Period: "week"}); err == nil {
		t.Error("period week accepted")
	}
}

// The synthetic city has values only for periods that have started, as
// the API and imports refuse later ones: its export imports back whole.
func TestSyntheticCityHasNoFutureValues(t *testing.T) {
	store := apptest.OpenStore(t, apptest.DSN(t))
	if _, err := seed.Generate(store.DB(), seed.Synthetic{Units: 3, Indicators: 2, From: 2024, To: 2030, Period: models.FrequencyQuarter, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	var periods []string
	if err := store.DB().Model(&models.Observation{}).Where("demo").Distinct().Order("period").Pluck("period", &periods).Error; err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	if len(periods) == 0 {
		t.Fatal("no values")
	}
	for _, s := range periods {
		if p, err := models.ParsePeriod(s); err != nil || !p.Started(now) {
			t.Errorf("value for %s, which has not started", s)
		}
	}
	if last := periods[len(periods)-1]; last != fmt.Sprintf("%d-Q%d", now.Year(), (int(now.Month())+2)/3) {
		t.Errorf("last period %s, want the current quarter", last)
	}
}
