package importer_test

import (
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
	plan, err := importer.Preview(store, importer.Parse(files, popt), opt)
	if err != nil {
		t.Fatal(err)
	}
	if err := importer.Commit(store, plan, models.Actor{Username: "test", Via: models.ViaCLI}); err != nil {
		t.Fatalf("commit: %v; problems %+v", err, plan.Problems)
	}
	return plan
}

func TestDebugFixtures(t *testing.T) {
	for _, set := range [][]string{
		{"opensdg-canada/indicator_9-3-1.csv", "opensdg-canada/meta_9-3-1.json"},
		{"gso-vietnam/poverty_rate_by_province.csv"},
		{"gso-vietnam/key_indicators_national_accounts.csv"},
		{"gso-vietnam/monthly_income_per_capita_by_source_by_province.csv"},
		{"gso-vietnam/telephone_internet_subscribers.csv"},
		{"worldbank-vietnam/wb_SI_POV_NAHC.json"},
		{"worldbank-vietnam/wb_gdp_growth.json"},
		{"sdmx/bis_der_data_v2.sdmx-csv2.csv"},
		{"sdmx/oecd_g20_prices_data.sdmx-csv1.csv"},
	} {
		store := apptest.OpenStore(t, apptest.DSN(t))
		b := importer.Parse(readFixtures(t, set...), importer.ParseOptions{})
		plan, err := importer.Preview(store, b, importer.Options{Unit: "VN-SG", Missing: importer.MissingCreate})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%v: format %s rows %d leftout %d obs %d targets %d inds %d problems %v notes %d\n plan %+v %+v %+v %+v skipped %d missingU %d missingI %d",
			set, b.Format, b.Rows, b.LeftOut, len(b.Observations), len(b.Targets), len(b.Indicators), b.Problems, len(b.Notes),
			plan.Units, plan.Indicators, plan.Targets, plan.Observations, plan.SkippedMissing, len(plan.MissingUnits), len(plan.MissingIndicators))
	}
}
