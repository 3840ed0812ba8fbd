package seed

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"tiendo/models"
)

func openDB(t *testing.T) *models.Store {
	t.Helper()
	db, err := models.Open(filepath.Join(t.TempDir(), "seed.db"))
	if err != nil {
		t.Fatal(err)
	}
	if err := models.Migrate(db); err != nil {
		t.Fatal(err)
	}
	return models.NewStore(db)
}

// realData returns the path of a file of shared/realdata, or skips saying so.
func realData(t *testing.T, rel string) string {
	t.Helper()
	p := filepath.Join("..", "..", "shared", "realdata", rel)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("SKIPPED: real data file %s is absent (../shared/realdata not present)", p)
	}
	return p
}

func TestGSOExcerptIsVerbatimFromThePublishedTable(t *testing.T) {
	full, err := os.ReadFile(realData(t, "gso-vietnam/poverty_rate_by_province.csv"))
	if err != nil {
		t.Fatal(err)
	}
	lines := bytes.SplitAfter(bytes.TrimSuffix(gsoExcerpt, []byte("\n")), []byte("\n"))
	if len(lines) != 5 {
		t.Fatalf("excerpt has %d lines, want title, blank, header and two rows", len(lines))
	}
	if !bytes.HasPrefix(full, bytes.Join(lines[:3], nil)) {
		t.Error("the excerpt's title and header differ from the published file")
	}
	for _, row := range lines[3:] {
		if !bytes.Contains(full, row) {
			t.Errorf("row %q is not in the published file", row)
		}
	}
}

func TestGSOPovertyRates(t *testing.T) {
	rates, err := GSOPovertyRates()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]map[int]GSORate{}
	for _, r := range rates {
		if got[r.Unit] == nil {
			got[r.Unit] = map[int]GSORate{}
		}
		got[r.Unit][r.Year] = r
	}
	if len(got[UnitTraVinh]) != 8 || len(got[UnitHCMC]) != 7 {
		t.Fatalf("Trà Vinh %d years (want 8), HCMC %d (want 7: 2016 is missing)", len(got[UnitTraVinh]), len(got[UnitHCMC]))
	}
	if r := got[UnitTraVinh][2016]; r.Value != 10.0 || r.Note == "" {
		t.Errorf("Trà Vinh 2016 = %+v, want 10.0 marked preliminary", r)
	}
	if r := got[UnitTraVinh][2006]; r.Value != 21.8 || r.Note != "" {
		t.Errorf("Trà Vinh 2006 = %+v, want 21.8", r)
	}
	if r := got[UnitHCMC][2006]; r.Value != 0.5 {
		t.Errorf("HCMC 2006 = %+v, want 0.5", r)
	}
}

func count(t *testing.T, s *models.Store, model any) int64 {
	t.Helper()
	var n int64
	if err := s.DB().Model(model).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func TestLoadIsCompleteAndIdempotent(t *testing.T) {
	s := openDB(t)
	if seeded, err := Ensure(s.DB()); err != nil || !seeded {
		t.Fatalf("Ensure on an empty database: %v, %v", seeded, err)
	}
	want := map[string]int64{"units": 2, "indicators": int64(len(indicators)), "targets": 15, "observations": int64(len(observations)) + 15}
	counts := func() map[string]int64 {
		return map[string]int64{
			"units": count(t, s, &models.Unit{}), "indicators": count(t, s, &models.Indicator{}),
			"targets": count(t, s, &models.Target{}), "observations": count(t, s, &models.Observation{}),
		}
	}
	first := counts()
	for k, v := range want {
		if first[k] != v {
			t.Errorf("%s: %d, want %d", k, first[k], v)
		}
	}
	if err := Load(s.DB()); err != nil {
		t.Fatal(err)
	}
	if seeded, _ := Ensure(s.DB()); seeded {
		t.Error("Ensure seeded a database that has units")
	}
	for k, v := range counts() {
		if first[k] != v {
			t.Errorf("loading twice changed %s: %d → %d", k, first[k], v)
		}
	}

	// All 11 HCMC targets of the source document, with their milestones.
	hcmc, _ := s.UnitByCode(UnitHCMC)
	targets, _ := s.UnitTargets(hcmc.ID)
	years := map[int]int{}
	for _, tg := range targets {
		years[tg.Year]++
		if tg.Source != SourceHCMC {
			t.Errorf("target %d has source %q", tg.ID, tg.Source)
		}
	}
	if years[2025] != 3 || years[2030] != 8 {
		t.Errorf("HCMC targets by year: %v, want 3 for 2025 and 8 for 2030", years)
	}
	ind, _ := s.IndicatorByCode("khmer-poor-rate-reduction")
	tv, _ := s.UnitByCode(UnitTraVinh)
	tvTargets, _ := s.UnitTargets(tv.ID)
	found := false
	for _, tg := range tvTargets {
		if tg.IndicatorID == ind.ID {
			found = tg.Comparator == models.Between && tg.Value == 2 && tg.ValueMax != nil && *tg.ValueMax == 3 && tg.Year == 2020
		}
	}
	if !found {
		t.Error("Trà Vinh's Khmer target is a 2–3 point range for 2020")
	}
}

func TestDemoIsMarkedAndRemovable(t *testing.T) {
	s := openDB(t)
	if _, err := Ensure(s.DB()); err != nil {
		t.Fatal(err)
	}
	before := count(t, s, &models.Observation{})
	if err := AddDemo(s.DB()); err != nil {
		t.Fatal(err)
	}
	if err := AddDemo(s.DB()); err != nil {
		t.Fatal(err)
	}
	var demo int64
	s.DB().Model(&models.Observation{}).Where("demo = ? AND note = ?", true, DemoNote).Count(&demo)
	if demo != 66 || count(t, s, &models.Observation{}) != before+66 {
		t.Errorf("demo rows: %d marked, total %d (before %d); want 66 once", demo, count(t, s, &models.Observation{}), before)
	}
	if err := RemoveDemo(s.DB()); err != nil {
		t.Fatal(err)
	}
	if after := count(t, s, &models.Observation{}); after != before {
		t.Errorf("after removing demo: %d observations, want %d", after, before)
	}
}
