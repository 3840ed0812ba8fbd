package importer_test

import (
	"os"
	"path/filepath"
	"testing"

	"tiendo/importer"
)

// FuzzParse: whatever the bytes, every format parses without a panic and
// every problem names its file. The real fixtures seed the corpus.
func FuzzParse(f *testing.F) {
	paths, _ := filepath.Glob(filepath.Join(realdata, "*", "*"))
	for _, p := range paths {
		if data, err := os.ReadFile(p); err == nil && len(data) < 64<<10 {
			f.Add(filepath.Base(p), data)
		}
	}
	// The importers' own fixtures: SDMX-CSV and SDMX-JSON in every layout,
	// Open SDG with series, units of measure and breakdowns.
	own, _ := filepath.Glob(filepath.Join("testdata", "*"))
	for _, p := range own {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(filepath.Base(p), data)
		}
	}
	f.Add("obs.csv", []byte("indicator,unit,period,value\nx,VN-SG,2024-Q3,1.5\n"))
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		for _, format := range append([]string{""}, importer.Formats...) {
			b := importer.Parse([]importer.File{{Name: name, Data: data}}, importer.ParseOptions{Format: format})
			for _, p := range b.Problems {
				if p.File == "" {
					t.Fatalf("format %q: a problem without its file: %+v", format, p)
				}
			}
		}
	})
}
