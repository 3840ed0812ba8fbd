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
	want := map[string]int64{"units": int64(1 + len(units) + len(mergerProvinces) + len(hcmcDistricts)), "indicators": int64(len(indicators)), "targets": 15, "observations": int64(len(observations)) + 15}
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
	// HCMC: 11 indicators × 6 years; 21 districts and 6 wards: 6 local
	// indicators × 6 years, less Cần Giờ's 5G; District 1 has none of its own.
	want := int64(66 + (21+len(demoWards))*len(demoLocalIndicators)*6 - 6)
	if demo != want || count(t, s, &models.Observation{}) != before+want {
		t.Errorf("demo rows: %d marked, total %d (before %d); want %d once", demo, count(t, s, &models.Observation{}), before, want)
	}
	var wards int64
	s.DB().Model(&models.Unit{}).Where("demo = ? AND level = ?", true, models.LevelWard).Count(&wards)
	if wards != int64(len(demoWards)) {
		t.Errorf("%d demo wards, want %d", wards, len(demoWards))
	}
	// A demo value deleted is not added again; removing the demo data
	// (and its mark) lets it be added afresh.
	s.DB().Where("demo = ? AND period = ?", true, "2024").Delete(&models.Observation{})
	if err := AddDemo(s.DB()); err != nil {
		t.Fatal(err)
	}
	var again int64
	s.DB().Model(&models.Observation{}).Where("demo = ? AND period = ?", true, "2024").Count(&again)
	if again != 0 {
		t.Errorf("%d deleted demo values came back", again)
	}
	if err := RemoveDemo(s.DB()); err != nil {
		t.Fatal(err)
	}
	if after := count(t, s, &models.Observation{}); after != before {
		t.Errorf("after removing demo: %d observations, want %d", after, before)
	}
	var left int64
	s.DB().Model(&models.Unit{}).Where("demo = ?", true).Count(&left)
	if left != 0 {
		t.Errorf("%d demo units left after RemoveDemo", left)
	}
	if err := AddDemo(s.DB()); err != nil {
		t.Fatal(err)
	}
	if n := count(t, s, &models.Observation{}); n != before+want {
		t.Errorf("after RemoveDemo, AddDemo added %d, want %d", n-before, want)
	}
}

func TestEverySeededNameIsInBothLanguages(t *testing.T) {
	s := openDB(t)
	if _, err := Ensure(s.DB()); err != nil {
		t.Fatal(err)
	}
	if err := AddDemo(s.DB()); err != nil {
		t.Fatal(err)
	}
	var unitsAll []models.Unit
	s.DB().Find(&unitsAll)
	var inds []models.Indicator
	s.DB().Find(&inds)
	var pillarsAll []models.Pillar
	s.DB().Find(&pillarsAll)
	if len(unitsAll) < 30 || len(inds) == 0 || len(pillarsAll) == 0 {
		t.Fatalf("seed too small: %d units, %d indicators, %d pillars", len(unitsAll), len(inds), len(pillarsAll))
	}
	for _, u := range unitsAll {
		if u.NameVI == "" || u.NameEN == "" {
			t.Errorf("unit %s lacks a name: vi %q, en %q", u.Code, u.NameVI, u.NameEN)
		}
	}
	for _, i := range inds {
		if i.NameVI == "" || i.NameEN == "" {
			t.Errorf("indicator %s lacks a name: vi %q, en %q", i.Code, i.NameVI, i.NameEN)
		}
	}
	for _, p := range pillarsAll {
		if p.NameVI == "" || p.NameEN == "" {
			t.Errorf("pillar %s lacks a name", p.Code)
		}
	}
}

func TestTreeAndReform(t *testing.T) {
	s := openDB(t)
	if _, err := Ensure(s.DB()); err != nil {
		t.Fatal(err)
	}
	hcmc, err := s.UnitByCode(UnitHCMC)
	if err != nil {
		t.Fatal(err)
	}
	districts, _ := s.Children(hcmc.ID)
	if len(districts) != 22 {
		t.Fatalf("HCMC has %d districts, want the 22 of 2021–2025", len(districts))
	}
	for _, d := range districts {
		if d.Level != models.LevelDistrict || d.EndedOn == nil || !d.EndedOn.Equal(DistrictLevelEnd) || d.Demo {
			t.Errorf("district %s: level %s, ended %v, demo %v", d.Code, d.Level, d.EndedOn, d.Demo)
		}
	}
	if hcmc.EndedOn != nil {
		t.Error("HCMC continues after the merger")
	}
	preds, _ := s.Predecessors(hcmc.ID)
	if len(preds) != 2 || preds[0].Code != UnitBinhDuong && preds[1].Code != UnitBinhDuong {
		t.Errorf("HCMC's predecessors: %+v, want Bình Dương and Bà Rịa – Vũng Tàu", preds)
	}
	tv, _ := s.UnitByCode(UnitTraVinh)
	succ, _ := s.Successors(tv.ID)
	if tv.EndedOn == nil || !tv.EndedOn.Equal(ProvinceMergerDate) || len(succ) != 1 || succ[0].Code != UnitVinhLong {
		t.Errorf("Trà Vinh ended %v, successors %+v; want 12/06/2025 into Vĩnh Long (VN-49)", tv.EndedOn, succ)
	}
	if err := Load(s.DB()); err != nil {
		t.Fatal(err)
	}
	var links int64
	s.DB().Model(&models.UnitSuccession{}).Count(&links)
	if links != int64(len(successions)) {
		t.Errorf("%d succession links after loading twice, want %d", links, len(successions))
	}
	// The default seed invents nothing: no values below the city.
	var local int64
	s.DB().Model(&models.Observation{}).Where("unit_id IN (?)", s.DB().Model(&models.Unit{}).Select("id").Where("level IN ?", []string{models.LevelDistrict, models.LevelWard, models.LevelCommune})).Count(&local)
	if local != 0 {
		t.Errorf("%d values in districts without -demo", local)
	}
}

// A database seeded before the unit tree existed gets the tree (and the
// roll-up rules, by migration) on its next start, without new figures.
func TestEnsureAddsTheTreeToAnOlderDatabase(t *testing.T) {
	s := openDB(t)
	db := s.DB()
	if err := Load(db); err != nil {
		t.Fatal(err)
	}
	// Make it look like a database of the foundation: no tree, no reform.
	db.Exec("DELETE FROM unit_successions")
	db.Exec("DELETE FROM units WHERE parent_id IS NOT NULL")
	db.Exec("DELETE FROM units WHERE code IN (?)", []string{UnitVinhLong, UnitBenTre, UnitBinhDuong, UnitBaRiaVungTau})
	db.Exec("UPDATE units SET ended_on = NULL, ended_basis = ''")
	obsBefore := count(t, s, &models.Observation{})
	if seeded, err := Ensure(db); err != nil || seeded {
		t.Fatalf("Ensure: %v, %v", seeded, err)
	}
	hcmc, _ := s.UnitByCode(UnitHCMC)
	if districts, _ := s.Children(hcmc.ID); len(districts) != 22 {
		t.Errorf("%d districts after Ensure, want 22", len(districts))
	}
	tv, _ := s.UnitByCode(UnitTraVinh)
	if succ, _ := s.Successors(tv.ID); tv.EndedOn == nil || len(succ) != 1 {
		t.Errorf("Trà Vinh not ended into Vĩnh Long: %v %v", tv.EndedOn, succ)
	}
	if count(t, s, &models.Observation{}) != obsBefore {
		t.Error("Ensure added figures")
	}
}

func TestNationalUnitAboveProvincesAndCities(t *testing.T) {
	s := openDB(t)
	db := s.DB()
	if n := count(t, s, &models.Unit{}); n != 0 {
		t.Fatalf("an empty database has %d units after migrating, want none (the seed adds the country)", n)
	}
	if _, err := Ensure(db); err != nil {
		t.Fatal(err)
	}
	vn, err := s.UnitByCode(UnitVN)
	if err != nil || vn.Level != models.LevelCountry || vn.NameVI != "Việt Nam" || vn.ParentID != nil {
		t.Fatalf("national unit: %+v, %v", vn, err)
	}
	children, _ := s.Children(vn.ID)
	got := map[string]bool{}
	for _, c := range children {
		got[c.Code] = true
	}
	for _, code := range []string{UnitHCMC, UnitTraVinh, UnitVinhLong, UnitBenTre, UnitBinhDuong, UnitBaRiaVungTau} {
		if !got[code] {
			t.Errorf("%s is not under Việt Nam (children %v)", code, got)
		}
	}
	if len(children) != 6 {
		t.Errorf("Việt Nam has %d children, want the 6 provinces and cities seeded", len(children))
	}
}

func TestMigrationAddsTheNationalUnitToAnOlderDatabase(t *testing.T) {
	s := openDB(t)
	db := s.DB()
	if err := Load(db); err != nil {
		t.Fatal(err)
	}
	// A database from before migration 131: no country, provinces at the
	// top, and a province of another country that must stay where it is.
	db.Exec("UPDATE units SET parent_id = NULL WHERE code LIKE 'VN-%' AND level IN ('city', 'province')")
	db.Exec("DELETE FROM units WHERE code = ?", UnitVN)
	db.Exec("DELETE FROM schema_migrations WHERE version = 131")
	db.Exec("DELETE FROM audit_log")
	if err := db.Create(&models.Unit{Code: "CA-ON", NameVI: "Ontario", NameEN: "Ontario", Level: models.LevelProvince}).Error; err != nil {
		t.Fatal(err)
	}
	if err := models.Migrate(db); err != nil {
		t.Fatal(err)
	}
	vn, err := s.UnitByCode(UnitVN)
	if err != nil || vn.Level != models.LevelCountry || vn.NameVI != NameVN || vn.NameEN != NameVNEN {
		t.Fatalf("national unit after migrating: %+v, %v", vn, err)
	}
	children, _ := s.Children(vn.ID)
	if len(children) != 6 {
		t.Errorf("Việt Nam has %d children after migrating, want 6", len(children))
	}
	on, _ := s.UnitByCode("CA-ON")
	if on.ParentID != nil {
		t.Error("a unit of another country was put under Việt Nam")
	}
	var entries []models.AuditEntry
	db.Order("id").Find(&entries)
	if len(entries) != 7 || entries[0].Action != "create" || entries[0].EntityKey != UnitVN || entries[0].Via != models.ViaSystem {
		t.Fatalf("audit after migrating: %+v, want the country created and 6 units moved", entries)
	}
	for _, e := range entries[1:] {
		if e.Action != "update" || e.Entity != "unit" || e.After != `{"parent":"VN"}` {
			t.Errorf("audit entry %+v, want a unit moved under VN", e)
		}
	}
	if len(entries) > 0 && entries[0].At.IsZero() {
		t.Error("the migration's audit entries have no time")
	}
	// Running it again changes nothing; the seed's Ensure adds no second country.
	if _, err := Ensure(db); err != nil {
		t.Fatal(err)
	}
	var n int64
	db.Model(&models.Unit{}).Where("level = ?", models.LevelCountry).Count(&n)
	if n != 1 {
		t.Errorf("%d countries after Ensure, want 1", n)
	}
}

func TestMigrationLeavesOtherDatabasesWithoutACountry(t *testing.T) {
	s := openDB(t)
	db := s.DB()
	if err := db.Create(&models.Unit{Code: "CA-ON", NameVI: "Ontario", NameEN: "Ontario", Level: models.LevelProvince}).Error; err != nil {
		t.Fatal(err)
	}
	db.Exec("DELETE FROM schema_migrations WHERE version = 131")
	if err := models.Migrate(db); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UnitByCode(UnitVN); err == nil {
		t.Error("a database without the source document's units got a Việt Nam unit")
	}
}
