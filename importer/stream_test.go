package importer_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tiendo/apptest"
	"tiendo/importer"
	"tiendo/models"
)

// wardsCSV is our long format: a monthly indicator, n wards under VN-SG,
// then its values in each ward from 2016, months values each.
func wardsCSV(wards, months int) string {
	var b strings.Builder
	b.WriteString("record,unit,unit_vi,unit_en,level,parent,indicator,indicator_vi,indicator_en,frequency,direction,period,value,note\n")
	b.WriteString("indicator,,,,,,s-cover,Độ phủ,Coverage,month,higher,,,\n")
	for u := 0; u < wards; u++ {
		fmt.Fprintf(&b, "unit,S-%d,\"Phường %d, TP\",\"Ward %d, City\",ward,VN-SG,,,,,,,,\n", u, u, u)
	}
	for u := 0; u < wards; u++ {
		for m := 0; m < months; m++ {
			fmt.Fprintf(&b, "observation,S-%d,,,,,s-cover,,,,,%d-%02d,%d.5,\"ghi chú, %d\"\n", u, 2016+m/12, m%12+1, (u+m)%90, m)
		}
	}
	return b.String()
}

func writeFile(t *testing.T, name, content string) importer.File {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return importer.File{Name: name, Path: path}
}

// A file on disk streams through the preview and the commit and imports
// exactly what the same file read into memory does; importing it again
// changes nothing.
func TestStreamedImportEqualsTheFileReadWhole(t *testing.T) {
	content := wardsCSV(30, 100)
	file := writeFile(t, "wards.csv", content)
	opt := importer.Options{UnitTree: true}
	streamed := apptest.OpenStore(t, apptest.DSN(t))
	whole := apptest.OpenStore(t, apptest.DSN(t))

	var rows []int
	plan, err := importer.PreviewFiles(streamed, []importer.File{file},
		importer.ParseOptions{Progress: func(n int, share float64) { rows = append(rows, n) }}, opt)
	if err != nil {
		t.Fatal(err)
	}
	inMemory, err := importer.Preview(whole, importer.Parse([]importer.File{{Name: "wards.csv", Data: []byte(content)}}, importer.ParseOptions{}), opt)
	if err != nil {
		t.Fatal(err)
	}
	if plan.Observations != (importer.Counts{Create: 3000}) || plan.Units != (importer.Counts{Create: 30}) || plan.Rows != 3031 {
		t.Fatalf("preview: %+v units %+v, %d rows", plan.Observations, plan.Units, plan.Rows)
	}
	if plan.Observations != inMemory.Observations || plan.Units != inMemory.Units || fmt.Sprint(plan.Sample(5)) != fmt.Sprint(inMemory.Sample(5)) {
		t.Errorf("streamed %+v %v, in memory %+v %v", plan.Observations, plan.Sample(5), inMemory.Observations, inMemory.Sample(5))
	}
	if len(rows) == 0 || rows[len(rows)-1] != 3031 {
		t.Errorf("progress reports %v, want the rows read, ending at 3031", rows)
	}
	for _, c := range []struct {
		store *models.Store
		plan  *importer.Plan
	}{{streamed, plan}, {whole, inMemory}} {
		if err := importer.Commit(c.store, c.plan, models.Actor{Username: "test", Via: models.ViaCLI}); err != nil {
			t.Fatal(err)
		}
	}
	if a, b := dumpValues(t, streamed), dumpValues(t, whole); a != b || !strings.Contains(a, "S-29/2024-04=") {
		t.Errorf("stored values differ:\n%.300s\n%.300s", a, b)
	}
	if v, note := obsValue(t, streamed, "s-cover", "S-7", "2017-03"); v != 21.5 || note != "ghi chú, 14" {
		t.Errorf("S-7 2017-03 = %v %q", v, note)
	}
	again, err := importer.PreviewFiles(streamed, []importer.File{file}, importer.ParseOptions{}, opt)
	if err != nil {
		t.Fatal(err)
	}
	if again.Changes() != 0 || again.Observations.Same != 3000 {
		t.Errorf("a second import would change %d: %+v", again.Changes(), again.Observations)
	}
}

// dumpValues lists every value of the S- wards, sorted.
func dumpValues(t *testing.T, store *models.Store) string {
	t.Helper()
	var rows []string
	err := store.DB().Raw(`SELECT u.code || '/' || o.period || '=' || o.value || '/' || o.note FROM observations o JOIN units u ON u.id = o.unit_id
		WHERE u.code LIKE 'S-%' ORDER BY u.code, o.period`).Scan(&rows).Error
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(rows, "\n")
}

// A file that defines its units after their values is read twice for the
// preview (the values are planned against every definition), once more for
// the commit.
func TestDefinitionsAfterTheirValues(t *testing.T) {
	store := apptest.OpenStore(t, apptest.DSN(t))
	content := wardsCSV(3, 12)
	head, defs, _ := strings.Cut(content, "\n")
	defs, values, _ := strings.Cut(defs, "observation,")
	file := writeFile(t, "late.csv", head+"\nobservation,"+values+defs)
	plan, err := importer.PreviewFiles(store, []importer.File{file}, importer.ParseOptions{}, importer.Options{UnitTree: true})
	if err != nil {
		t.Fatal(err)
	}
	if plan.Err() != nil || plan.Observations.Create != 36 || plan.Units.Create != 3 || plan.Indicators.Create != 1 || len(plan.MissingUnits) != 0 {
		t.Fatalf("plan %+v %+v missing %v: %v %+v", plan.Observations, plan.Units, plan.MissingUnits, plan.Err(), plan.Problems)
	}
	if err := importer.Commit(store, plan, models.Actor{Username: "test"}); err != nil {
		t.Fatal(err)
	}
	if n := count(t, store, "observations"); n < 36 {
		t.Errorf("%d values stored", n)
	}
}

// A file changed between the preview and the commit is not imported: the
// commit reads it again and finds other rows.
func TestFileChangedAfterThePreview(t *testing.T) {
	store := apptest.OpenStore(t, apptest.DSN(t))
	file := writeFile(t, "wards.csv", wardsCSV(3, 12))
	plan, err := importer.PreviewFiles(store, []importer.File{file}, importer.ParseOptions{}, importer.Options{UnitTree: true})
	if err != nil || plan.Err() != nil {
		t.Fatal(err, plan.Err())
	}
	if err := os.WriteFile(file.Path, []byte(wardsCSV(3, 13)), 0o600); err != nil {
		t.Fatal(err)
	}
	before := count(t, store, "observations") + count(t, store, "units") + count(t, store, "audit_log")
	if err := importer.Commit(store, plan, models.Actor{Username: "test"}); !errors.Is(err, importer.ErrChanged) {
		t.Fatalf("commit of a changed file: %v", err)
	}
	if after := count(t, store, "observations") + count(t, store, "units") + count(t, store, "audit_log"); after != before {
		t.Errorf("rows went from %d to %d", before, after)
	}
}

// The preview lists the first problems and counts the others.
func TestPreviewListsTheFirstProblems(t *testing.T) {
	store := apptest.OpenStore(t, apptest.DSN(t))
	var b strings.Builder
	b.WriteString("indicator,unit,period,value\n")
	for i := 0; i < 250; i++ {
		fmt.Fprintf(&b, "5g-coverage,VN-SG,2020-%02d,abc\n", i%12+1)
	}
	plan, err := importer.PreviewFiles(store, []importer.File{writeFile(t, "bad.csv", b.String())}, importer.ParseOptions{}, importer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Problems) != importer.MaxProblems || plan.ProblemsTotal() != 250 || plan.Problems[99].Row != 101 {
		t.Errorf("%d problems listed of %d, the last at row %d", len(plan.Problems), plan.ProblemsTotal(), plan.Problems[len(plan.Problems)-1].Row)
	}
}

// A file whose new indicator names its direction is read once for the
// preview, though its target has no baseline; without a direction the
// preview reads the values before planning, to infer it from the earliest
// value (twice in all), and says so.
func TestPreviewReadsOnceWhenTheFileNamesTheDirection(t *testing.T) {
	file := func(direction string) string {
		return "record,unit,unit_vi,unit_en,level,parent,indicator,indicator_vi,indicator_en,frequency,direction,period,value\n" +
			"indicator,,,,,,t-rate,Tỉ lệ,Rate,year," + direction + ",,\n" +
			"unit,T-1,Phường 1,Ward 1,ward,VN-SG,,,,,,,\n" +
			"target,T-1,,,,,t-rate,,,,,2030,50\n" +
			"observation,T-1,,,,,t-rate,,,,,2020,40\n" +
			"observation,T-1,,,,,t-rate,,,,,2021,45\n"
	}
	for _, c := range []struct {
		direction string
		reads     int
		want      importer.DirectionChoice
	}{
		{"lower", 1, importer.DirectionChoice{Indicator: "t-rate", Direction: models.DirectionLower, From: importer.DirectionFromFile}},
		{"", 2, importer.DirectionChoice{Indicator: "t-rate", Direction: models.DirectionHigher, From: importer.DirectionFromTarget}},
	} {
		store := apptest.OpenStore(t, apptest.DSN(t))
		reads := 0
		popt := importer.ParseOptions{Progress: func(_ int, share float64) {
			if share == 1 {
				reads++
			}
		}}
		plan, err := importer.PreviewFiles(store, []importer.File{writeFile(t, "rate.csv", file(c.direction))}, popt, importer.Options{UnitTree: true})
		if err != nil {
			t.Fatal(err)
		}
		if plan.Err() != nil || plan.Observations.Create != 2 || plan.Targets.Create != 1 {
			t.Fatalf("direction %q: %v, %+v, %+v, %v", c.direction, plan.Err(), plan.Observations, plan.Targets, plan.Problems)
		}
		if reads != c.reads || len(plan.Directions) != 1 || plan.Directions[0] != c.want {
			t.Errorf("direction %q: %d reads, directions %+v; want %d, %+v", c.direction, reads, plan.Directions, c.reads, c.want)
		}
	}
}
