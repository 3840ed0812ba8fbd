package main

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"tiendo/apptest"
	"tiendo/models"
)

// TestImportKilledMidCommitLeavesNothing: the real binary, killed with
// SIGKILL while it commits a big file, leaves none of the file in the
// database, which opens and checks clean; the same import then runs whole.
func TestImportKilledMidCommitLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "t.db")
	path := filepath.Join(dir, "big.csv")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	fmt.Fprintln(w, "record,unit,unit_vi,unit_en,level,parent,indicator,indicator_vi,indicator_en,frequency,period,value")
	fmt.Fprintln(w, "indicator,,,,,,k-cover,Độ phủ,Coverage,month,,")
	const wards, months = 3000, 120
	for u := 0; u < wards; u++ {
		fmt.Fprintf(w, "unit,K-%d,Phường %d,Ward %d,ward,VN-SG,,,,,,\n", u, u, u)
	}
	for u := 0; u < wards; u++ {
		for m := 0; m < months; m++ {
			fmt.Fprintf(w, "observation,K-%d,,,,,k-cover,,,,%d-%02d,%d\n", u, 2016+m/12, m%12+1, m)
		}
	}
	if err := errors.Join(w.Flush(), f.Close()); err != nil {
		t.Fatal(err)
	}

	cmd := exec.Command(apptest.Binary(t), "import", "-db", db, "-lang", "en", path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// The preview is printed before the commit starts: its table ends with
	// the values' line.
	lines := bufio.NewScanner(out)
	for lines.Scan() && !strings.HasPrefix(lines.Text(), "Values") {
	}
	time.Sleep(300 * time.Millisecond)
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	err = cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("the import was not killed mid-commit (%v): make the file bigger", err)
	}

	store := apptest.OpenStore(t, db)
	var check string
	if err := store.DB().Raw("PRAGMA integrity_check").Scan(&check).Error; err != nil || check != "ok" {
		t.Fatalf("integrity check: %q %v", check, err)
	}
	var units, values, imports int64
	store.DB().Model(&models.Unit{}).Where("code LIKE 'K-%'").Count(&units)
	store.DB().Model(&models.Observation{}).Where("indicator_id IN (SELECT id FROM indicators WHERE code = 'k-cover')").Count(&values)
	store.DB().Model(&models.AuditEntry{}).Where("action = 'import'").Count(&imports)
	if units+values+imports != 0 {
		t.Fatalf("the killed import left %d units, %d values, %d audit entries", units, values, imports)
	}
	if code, out := runBinary(t, nil, "import", "-db", db, path); code != 0 {
		t.Fatalf("the import again: exit %d\n%s", code, out)
	}
	store.DB().Model(&models.Observation{}).Where("indicator_id IN (SELECT id FROM indicators WHERE code = 'k-cover')").Count(&values)
	if values != wards*months {
		t.Errorf("%d values after the import ran whole, want %d", values, wards*months)
	}
}
