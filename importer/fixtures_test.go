package importer_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"tiendo/apptest"
	"tiendo/importer"
	"tiendo/models"
)

const realdata = "../../shared/realdata/"

// readFixtures reads real published files, or skips the test saying so.
func readFixtures(t *testing.T, names ...string) []importer.File {
	t.Helper()
	var files []importer.File
	for _, n := range names {
		data, err := os.ReadFile(filepath.Join(realdata, n))
		if err != nil {
			t.Skip("SKIPPED: real data fixture missing: " + n)
		}
		files = append(files, importer.File{Name: n, Data: data})
	}
	return files
}

func importFiles(t *testing.T, store *models.Store, files []importer.File, popt importer.ParseOptions, opt importer.Options) *importer.Plan {
	t.Helper()
	opt.UnitTree = true // as the command line, which acts with an admin's rights
	plan, err := importer.Preview(store, importer.Parse(files, popt), opt)
	if err != nil {
		t.Fatal(err)
	}
	if err := importer.Commit(store, plan, models.Actor{Username: "test", Via: models.ViaCLI}); err != nil {
		t.Fatalf("commit: %v; problems %+v", err, plan.Problems)
	}
	return plan
}

func obsValue(t *testing.T, store *models.Store, indicator, unit, period string) (float64, string) {
	t.Helper()
	var o models.Observation
	err := store.DB().Joins("JOIN indicators i ON i.id = observations.indicator_id").Joins("JOIN units u ON u.id = observations.unit_id").
		Where("i.code = ? AND u.code = ? AND observations.period = ?", indicator, unit, period).First(&o).Error
	if err != nil {
		t.Fatalf("observation %s %s %s: %v", indicator, unit, period, err)
	}
	return o.Value, o.Note
}

func count(t *testing.T, store *models.Store, table string) int64 {
	t.Helper()
	var n int64
	if err := store.DB().Table(table).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// fixtureValue is an observation a fixture must import.
type fixtureValue struct {
	indicator, unit, period string
	value                   float64
}

// TestRealFixtures imports every real published file and checks the counts
// and a few values; importing again changes nothing.
func TestRealFixtures(t *testing.T) {
	cases := []struct {
		name    string
		files   []string
		opt     importer.Options
		obs     int
		targets int
		values  []fixtureValue // observations to read back
		check   func(t *testing.T, store *models.Store)
	}{
		// HCMC and Trà Vinh are seeded from this very table; the four other
		// provinces of the seed's 2025 mergers (Bình Dương, Bà Rịa – Vũng Tàu,
		// Vĩnh Long, Bến Tre) are found by name, 8 years each, and so is the
		// whole country (Việt Nam).
		{"gso poverty", []string{"gso-vietnam/poverty_rate_by_province.csv"}, importer.Options{Missing: importer.MissingSkip}, 40, 0,
			[]fixtureValue{{"gso-poverty-rate", "VN-43", "2006", 7.0}, {"gso-poverty-rate", "VN", "2016", 5.8}}, // Bà Rịa – Vũng Tàu, matched by name
			func(t *testing.T, store *models.Store) {
				v, note := obsValue(t, store, "gso-poverty-rate", "VN-51", "2016")
				if v != 10.0 || note != importer.PreliminaryNote {
					t.Errorf("Trà Vinh 2016 = %v %q, want 10.0 with the preliminary note", v, note)
				}
			}},
		{"gso poverty create", []string{"gso-vietnam/poverty_rate_by_province.csv"}, importer.Options{Missing: importer.MissingCreate}, 545, 0,
			[]fixtureValue{{"gso-poverty-rate", "ha-noi", "2006", 3.0}, {"gso-poverty-rate", "VN", "2006", 15.5}}, nil}, // " WHOLE COUNTRY" is Việt Nam
		{"gso income", []string{"gso-vietnam/monthly_income_per_capita_by_source_by_province.csv"}, importer.Options{Missing: importer.MissingCreate}, 280, 0,
			[]fixtureValue{{"gso-monthly-income-per-capita-by-source-by-province", "VN-51", "2016", 2213}}, nil},
		// Tables of the whole country land on Việt Nam, whatever the default unit.
		{"gso national accounts", []string{"gso-vietnam/key_indicators_national_accounts.csv"}, importer.Options{Unit: "VN-SG", Missing: importer.MissingCreate}, 128, 0,
			[]fixtureValue{{"gso-gross-domestic-product-at-current-prices-bill.-dongs", "VN", "2009", 1809149}}, nil},
		{"gso telephone", []string{"gso-vietnam/telephone_internet_subscribers.csv"}, importer.Options{Missing: importer.MissingCreate}, 36, 0,
			[]fixtureValue{{"gso-number-of-internet-subscribers-adsl", "VN", "2005", 210}}, nil},
		// Every row with a value: the totals and the breakdowns (433 rows, 76 blank).
		{"open sdg 9.3.1", []string{"opensdg-canada/indicator_9-3-1.csv", "opensdg-canada/meta_9-3-1.json"}, importer.Options{Unit: "VN-SG", Missing: importer.MissingCreate}, 357, 1,
			[]fixtureValue{{"9.3.1", "VN-SG", "2016", 84.3}},
			func(t *testing.T, store *models.Store) {
				var tg models.Target
				if err := store.DB().Joins("JOIN indicators i ON i.id = targets.indicator_id").Where("i.code = ?", "9.3.1").First(&tg).Error; err != nil {
					t.Fatal(err)
				}
				if tg.Value != 100 || tg.Year != 2030 || tg.Comparator != models.AtLeast {
					t.Errorf("9.3.1 target = %v %v %v, want at_least 100 by 2030", tg.Comparator, tg.Value, tg.Year)
				}
			}},
		{"open sdg 1.1.1", []string{"opensdg-canada/indicator_1-1-1.csv", "opensdg-canada/meta_1-1-1.json"}, importer.Options{Unit: "VN-SG", Missing: importer.MissingCreate}, -1, 1, nil, nil},
		{"world bank poverty", []string{"worldbank-vietnam/wb_SI_POV_NAHC.json"}, importer.Options{Missing: importer.MissingCreate}, 16, 0,
			[]fixtureValue{{"SI.POV.NAHC", "VN", "2016", 9.2}}, nil},
		{"world bank growth", []string{"worldbank-vietnam/wb_gdp_growth.json"}, importer.Options{Missing: importer.MissingCreate}, 40, 0, nil, nil},
		// MEASURE holds the indicator, UNIT_MEASURE its measure; METHODOLOGY,
		// ADJUSTMENT and TRANSFORMATION are breakdowns (EXPENDITURE is _T).
		{"sdmx 1.0", []string{"sdmx/oecd_g20_prices_data.sdmx-csv1.csv"}, importer.Options{Missing: importer.MissingCreate}, 41, 0, nil,
			func(t *testing.T, store *models.Store) {
				var v float64
				store.DB().Raw(`SELECT b.value FROM breakdown_values b JOIN indicators i ON i.id = b.indicator_id JOIN units u ON u.id = b.unit_id
					WHERE i.code = 'CPI' AND u.code = 'CHN' AND b.period = '1985' AND b.breakdown = 'ADJUSTMENT=N;METHODOLOGY=N;TRANSFORMATION=GY'`).Scan(&v)
				if v != 9.3 {
					t.Errorf("CPI CHN 1985 ADJUSTMENT=N;METHODOLOGY=N;TRANSFORMATION=GY = %v, want 9.3", v)
				}
			}},
		{"sdmx 2.0", []string{"sdmx/bis_der_data_v2.sdmx-csv2.csv"}, importer.Options{Unit: "VN-SG", Missing: importer.MissingCreate}, 7, 0, nil, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			store := apptest.OpenStore(t, apptest.DSN(t))
			files := readFixtures(t, c.files...)
			before := count(t, store, "observations") + count(t, store, "breakdown_values")
			plan := importFiles(t, store, files, importer.ParseOptions{}, c.opt)
			if c.obs >= 0 && plan.Observations.Create != c.obs {
				t.Errorf("observations created = %d, want %d", plan.Observations.Create, c.obs)
			}
			if plan.Targets.Create != c.targets {
				t.Errorf("targets created = %d, want %d", plan.Targets.Create, c.targets)
			}
			if got := count(t, store, "observations") + count(t, store, "breakdown_values") - before; got != int64(plan.Observations.Create) {
				t.Errorf("database holds %d new observations, preview said %d", got, plan.Observations.Create)
			}
			for _, w := range c.values {
				if v, _ := obsValue(t, store, w.indicator, w.unit, w.period); v != w.value {
					t.Errorf("%s %s %s = %v, want %v", w.indicator, w.unit, w.period, v, w.value)
				}
			}
			if c.check != nil {
				c.check(t, store)
			}
			again := importFiles(t, store, files, importer.ParseOptions{}, c.opt)
			if again.Changes() != 0 {
				t.Errorf("second import would change %d records, want none: %+v", again.Changes(), again.Summary())
			}
			var audits int64
			store.DB().Model(&models.AuditEntry{}).Where("action = ? AND entity_key = ?", "import", files[0].Name).Count(&audits)
			if audits != 2 {
				t.Errorf("audit entries = %d, want 2", audits)
			}
		})
	}
}

// TestUnknownNeedsChoice: unknown units stop the import until the user
// chooses; Viet Nam is the seeded national unit, not unknown.
func TestUnknownNeedsChoice(t *testing.T) {
	store := apptest.OpenStore(t, apptest.DSN(t))
	files := readFixtures(t, "worldbank-vietnam/wb_SI_POV_NAHC.json", "sdmx/oecd_g20_prices_data.sdmx-csv1.csv")
	plan, err := importer.Preview(store, importer.Parse(files, importer.ParseOptions{}), importer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range plan.MissingUnits {
		if u.Code == "VN" {
			t.Errorf("Viet Nam is missing: %+v", plan.MissingUnits)
		}
	}
	if len(plan.MissingUnits) == 0 || len(plan.MissingIndicators) != 2 {
		t.Fatalf("missing = %+v %+v", plan.MissingUnits, plan.MissingIndicators)
	}
	if err := importer.Commit(store, plan, models.Actor{}); !errors.Is(err, importer.ErrChoice) {
		t.Fatalf("commit without a choice: %v, want ErrChoice", err)
	}
	if n := count(t, store, "audit_log"); n != 0 {
		t.Errorf("audit entries = %d, want none", n)
	}
}
