package models_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"tiendo/apptest"
	"tiendo/models"
)

func TestParseBreakdownCanonicalForm(t *testing.T) {
	for _, tc := range []struct{ in, want, err string }{
		{"", "", ""},
		{"_T", "", ""},
		{"  ", "", ""},
		{"SEX=F", "SEX=F", ""},
		{"SEX=F;AGE=Y15T24", "AGE=Y15T24;SEX=F", ""},
		{" SEX = F ; AGE=Y15T24 ;", "AGE=Y15T24;SEX=F", ""},
		{"SEX=_T;AGE=Y15T24", "AGE=Y15T24", ""},
		{"SEX=_T;AGE=_T", "", ""},
		{"SEX", "", "error.breakdown_pair"},
		{"SEX=", "", "error.breakdown_pair"},
		{"=F", "", "error.breakdown_pair"},
		{"SEX=F;sex=M", "", "error.breakdown_twice"},
		{"SEX=F;SEX=_T", "", "error.breakdown_twice"},
	} {
		t.Run(tc.in, func(t *testing.T) {
			got, err := models.CanonicalBreakdown(tc.in)
			var be *models.BreakdownError
			switch {
			case tc.err != "" && (!errors.As(err, &be) || be.Key != tc.err):
				t.Fatalf("%q: error %v, want %s", tc.in, err, tc.err)
			case tc.err == "" && err != nil:
				t.Fatalf("%q: %v", tc.in, err)
			case tc.err == "" && got != tc.want:
				t.Fatalf("%q → %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

// testRules are two dimensions, an indicator (id 7) broken down by SEX only.
func testRules(max int) *models.BreakdownRules {
	dims := []models.Dimension{
		{ID: 1, Code: "SEX", Values: []models.DimensionValue{{Code: "F"}, {Code: "M"}}},
		{ID: 2, Code: "AGE", Values: []models.DimensionValue{{Code: "Y15T24"}, {Code: "Y_GE65"}}},
	}
	return models.NewBreakdownRules(dims, map[uint][]uint{7: {1}}, map[uint][]string{7: {"SEX=F"}}, max)
}

func TestBreakdownRulesCheck(t *testing.T) {
	ind := models.Indicator{ID: 7, Code: "skills"}
	for _, tc := range []struct{ in, want, problem string }{
		{"", "", ""},
		{"sex=f", "SEX=F", ""},
		{"SEX=M;AGE=_T", "SEX=M", ""},
		{"SEX=X", "", "error.breakdown_value"},
		{"COLOUR=RED", "", "error.breakdown_dimension"},
		{"AGE=Y15T24", "", "error.breakdown_not_listed"},
		{"SEX", "", "error.breakdown_pair"},
	} {
		p := models.Problems{}
		got := testRules(0).Check(p, "breakdown", ind, tc.in)
		if p["breakdown"].Key != tc.problem {
			t.Errorf("%q: problem %v, want %q", tc.in, p, tc.problem)
		}
		if tc.problem == "" && got != tc.want {
			t.Errorf("%q → %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestBreakdownCapCountsTheBatch: the cap counts breakdowns held already
// and those accepted earlier in the same batch; one held already passes.
func TestBreakdownCapCountsTheBatch(t *testing.T) {
	ind := models.Indicator{ID: 7, Code: "skills"}
	r := testRules(2)
	p := models.Problems{}
	r.Check(p, "a", ind, "SEX=F") // held
	r.Check(p, "b", ind, "SEX=M") // second
	if len(p) != 0 {
		t.Fatalf("within the cap: %v", p)
	}
	r.Check(p, "c", ind, "SEX=F")
	if len(p) != 0 {
		t.Fatalf("a breakdown held already counts once: %v", p)
	}
	r2 := testRules(1)
	r2.Check(p, "d", ind, "SEX=M")
	if got := p["d"]; got.Key != "error.breakdown_cap" || !reflect.DeepEqual(got.Args, []any{"skills", 1}) {
		t.Fatalf("over the cap: %v", p)
	}
}

func TestSeededDimensions(t *testing.T) {
	store := apptest.OpenStore(t, apptest.DSN(t))
	dims, err := store.Dimensions()
	if err != nil {
		t.Fatal(err)
	}
	codes := map[string][]string{}
	for _, d := range dims {
		if d.NameVI == "" || d.NameEN == "" {
			t.Errorf("%s has no name", d.Code)
		}
		for _, v := range d.Values {
			codes[d.Code] = append(codes[d.Code], v.Code)
			if v.NameVI == "" || v.NameEN == "" || v.Code == models.BreakdownTotal {
				t.Errorf("%s=%s: %+v", d.Code, v.Code, v)
			}
		}
	}
	want := map[string][]string{"SEX": {"F", "M"}, "URBANISATION": {"U", "R"}, "INCOME_WEALTH_QUANTILE": {"Q1", "Q2", "Q3", "Q4", "Q5"}}
	for dim, vals := range want {
		if !reflect.DeepEqual(codes[dim], vals) {
			t.Errorf("%s: %v, want %v", dim, codes[dim], vals)
		}
	}
	for dim, val := range map[string]string{"AGE": "Y15T24", "ETHNICITY": "KHMER", "SECTOR": "J"} {
		if !strings.Contains(strings.Join(codes[dim], " "), val) {
			t.Errorf("%s lacks %s: %v", dim, val, codes[dim])
		}
	}
	if n := len(codes["ETHNICITY"]); n != 54 {
		t.Errorf("%d ethnic groups, want 54", n)
	}
}

func breakdownStore(t *testing.T) (*models.Store, *models.Indicator, models.Unit) {
	t.Helper()
	store := apptest.OpenStore(t, apptest.DSN(t))
	store.SetClock(func() time.Time { return apptest.Today })
	ind, err := store.IndicatorByCode("poverty-funds")
	if err != nil {
		t.Fatal(err)
	}
	var unit models.Unit
	store.DB().Where("code = ?", "VN-SG").First(&unit)
	if err := store.SetIndicatorDimensions(models.Actor{Username: "admin"}, *ind, []string{"sex", "AGE"}); err != nil {
		t.Fatal(err)
	}
	return store, ind, unit
}

// TestSavingBreakdownValues: a value with a breakdown goes beside the total,
// never over it; it is audited and logged as a change like a total; it is
// changed and deleted by the same call.
func TestSavingBreakdownValues(t *testing.T) {
	store, ind, unit := breakdownStore(t)
	actor := models.Actor{Username: "planner"}
	total, women, men := 100.0, 40.0, 61.0
	var changesBefore int64
	store.DB().Table("data_changes").Count(&changesBefore)
	err := store.SaveObservations(actor, *ind, []models.ObservationInput{
		{Unit: unit, Period: "2024", Value: &total, Source: "s"},
		{Unit: unit, Period: "2024", Value: &women, Source: "s", Breakdown: "sex=f"},
		{Unit: unit, Period: "2024", Value: &men, Source: "s", Breakdown: "AGE=_T;SEX=M"},
	})
	if err != nil {
		t.Fatal(err)
	}
	var obs []models.Observation
	store.DB().Where("indicator_id = ? AND unit_id = ?", ind.ID, unit.ID).Find(&obs)
	if len(obs) != 1 || obs[0].Value != total {
		t.Fatalf("totals: %+v", obs)
	}
	got, err := store.BreakdownValues(ind.ID, unit.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Breakdown != "SEX=F" || got[0].Value != women || got[1].Breakdown != "SEX=M" || got[1].Year != 2024 {
		t.Fatalf("breakdowns: %+v", got)
	}
	var audits []models.AuditEntry
	store.DB().Where("entity = ?", "breakdown_value").Find(&audits)
	if len(audits) != 2 || audits[0].EntityKey != "poverty-funds/VN-SG/2024/SEX=F" || audits[0].Username != "planner" {
		t.Fatalf("audit: %+v", audits)
	}
	var changesAfter int64
	store.DB().Table("data_changes").Count(&changesAfter)
	if changesAfter <= changesBefore {
		t.Fatal("no change logged")
	}

	// A change and a deletion; the total stays.
	women2 := 42.0
	err = store.SaveObservations(actor, *ind, []models.ObservationInput{
		{Unit: unit, Period: "2024", Value: &women2, Source: "s", Breakdown: "SEX=F"},
		{Unit: unit, Period: "2024", Value: nil, Breakdown: "SEX=M"},
	})
	if err != nil {
		t.Fatal(err)
	}
	got, _ = store.BreakdownValues(ind.ID, unit.ID, "SEX=F")
	if len(got) != 1 || got[0].Value != women2 {
		t.Fatalf("after the change: %+v", got)
	}
	if got, _ := store.BreakdownValues(ind.ID, 0, "SEX=M"); len(got) != 0 {
		t.Fatalf("not deleted: %+v", got)
	}
	store.DB().Where("indicator_id = ? AND unit_id = ?", ind.ID, unit.ID).Find(&obs)
	if len(obs) != 1 || obs[0].Value != total {
		t.Fatalf("the total moved: %+v", obs)
	}
}

// TestBadBreakdownChangesNothing: one bad breakdown in a batch refuses the
// whole batch, naming the field.
func TestBadBreakdownChangesNothing(t *testing.T) {
	store, ind, unit := breakdownStore(t)
	v := 5.0
	err := store.SaveObservations(models.Actor{Username: "x"}, *ind, []models.ObservationInput{
		{Key: "a.", Unit: unit, Period: "2024", Value: &v, Source: "s"},
		{Key: "b.", Unit: unit, Period: "2024", Value: &v, Source: "s", Breakdown: "URBANISATION=U"},
	})
	var p models.Problems
	if !errors.As(err, &p) || p["b.breakdown"].Key != "error.breakdown_not_listed" {
		t.Fatalf("got %v", err)
	}
	var n int64
	store.DB().Model(&models.Observation{}).Where("indicator_id = ? AND unit_id = ? AND period = ?", ind.ID, unit.ID, "2024").Count(&n)
	if n != 0 {
		t.Fatal("the total was stored")
	}
}

func TestUpsertBreakdownValuesInATransaction(t *testing.T) {
	store, ind, unit := breakdownStore(t)
	rows := []models.BreakdownValue{
		{IndicatorID: ind.ID, UnitID: unit.ID, Period: "2023", Year: 2023, Breakdown: "SEX=F", Value: 1},
		{IndicatorID: ind.ID, UnitID: unit.ID, Period: "2023", Year: 2023, Breakdown: "AGE=Y15T24;SEX=F", Value: 2, Demo: true},
	}
	for i := 0; i < 2; i++ { // twice: the second run updates
		if err := store.InTx(func(tx *gorm.DB) error { return models.UpsertBreakdownValues(tx, rows, apptest.Today) }); err != nil {
			t.Fatal(err)
		}
		rows[0].Value = 3
	}
	got, err := store.BreakdownValues(ind.ID, unit.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Breakdown != "AGE=Y15T24;SEX=F" || !got[0].Demo || got[1].Value != 3 {
		t.Fatalf("%+v", got)
	}
	rules, err := store.BreakdownRules(ind.ID)
	if err != nil {
		t.Fatal(err)
	}
	rules.Max = 2
	p := models.Problems{}
	rules.Check(p, "f", *ind, "SEX=M")
	if p["f"].Key != "error.breakdown_cap" {
		t.Fatalf("stored breakdowns count toward the cap: %v", p)
	}
}

func TestDimensionAdmin(t *testing.T) {
	store, ind, unit := breakdownStore(t)
	admin := models.Actor{Username: "admin"}
	d, err := store.CreateDimension(admin, models.Dimension{Code: "DISABILITY", NameVI: "Khuyết tật", NameEN: "Disability"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.CreateDimension(admin, models.Dimension{Code: "sex", NameVI: "x", NameEN: "x"}); !hasProblem(err, "code", "error.duplicate_code") {
		t.Fatalf("duplicate dimension: %v", err)
	}
	if _, err := store.CreateDimensionValue(admin, d.Code, models.DimensionValue{Code: "_T", NameVI: "x", NameEN: "x"}); !hasProblem(err, "code", "error.code_pattern") && !hasProblem(err, "code", "error.breakdown_total_code") {
		t.Fatalf("_T as a value: %v", err)
	}
	if _, err := store.CreateDimensionValue(admin, d.Code, models.DimensionValue{Code: "PWD", NameVI: "Người khuyết tật", NameEN: "Persons with disability"}); err != nil {
		t.Fatal(err)
	}
	if _, err := store.CreateDimensionValue(admin, "NOPE", models.DimensionValue{Code: "A", NameVI: "x", NameEN: "x"}); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("unknown dimension: %v", err)
	}
	v := 1.0
	in := []models.ObservationInput{{Unit: unit, Period: "2024", Value: &v, Source: "s", Breakdown: "DISABILITY=PWD"}}
	if err := store.SaveObservations(admin, *ind, in); !hasProblem(err, "breakdown", "error.breakdown_not_listed") {
		t.Fatalf("before listing: %v", err)
	}
	if err := store.SetIndicatorDimensions(admin, *ind, []string{"SEX", "AGE", "DISABILITY"}); err != nil {
		t.Fatal(err)
	}
	in[0].Breakdown = "DISABILITY=PWD"
	if err := store.SaveObservations(admin, *ind, in); err != nil {
		t.Fatal(err)
	}
	if err := store.SetIndicatorDimensions(admin, *ind, []string{"SEX"}); !hasProblem(err, "dimensions", "error.breakdown_dimension_used") {
		t.Fatalf("removing a used dimension: %v", err)
	}
	dims, err := store.IndicatorDimensions(ind.ID)
	if err != nil || len(dims) != 3 {
		t.Fatalf("%v %+v", err, dims)
	}
}

func hasProblem(err error, field, key string) bool {
	var p models.Problems
	return errors.As(err, &p) && p[field].Key == key
}

// TestFrequencyKeptWhileBreakdownsHoldValues: an indicator whose only
// values are of breakdowns cannot change its frequency either (they would
// no longer fit it).
func TestFrequencyKeptWhileBreakdownsHoldValues(t *testing.T) {
	store, ind, unit := breakdownStore(t)
	v := 3.0
	if err := store.SaveObservations(models.Actor{Username: "p"}, *ind, []models.ObservationInput{
		{Unit: unit, Period: "2024", Value: &v, Source: "s", Breakdown: "SEX=F"}}); err != nil {
		t.Fatal(err)
	}
	store.DB().Where("indicator_id = ?", ind.ID).Delete(&models.Observation{})
	changed := *ind
	changed.Frequency = models.FrequencyMonth
	if p := store.ValidateIndicator(&changed, ind.Pillar.Code, ind.Code); p["frequency"].Key != "error.frequency_has_data" {
		t.Fatalf("frequency change with breakdown values: %v", p)
	}
}
