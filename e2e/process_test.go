package e2e

import (
	"bufio"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
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

// TestSIGTERMLetsARequestInFlightFinish starts the real binary, begins a
// planner's API write whose body arrives slowly, sends SIGTERM in the middle
// of it, and expects the write to be answered 201 and stored before the
// process exits cleanly.
func TestSIGTERMLetsARequestInFlightFinish(t *testing.T) {
	dsn := filepath.Join(t.TempDir(), "t.db")
	const password = "a long enough password 1"
	add := exec.Command(apptest.Binary(t), "user", "add", "-db", dsn, "-username", "sigterm", "-role", "planner", "-password", password)
	if out, err := add.CombinedOutput(); err != nil {
		t.Fatalf("tiendo user add: %v\n%s", err, out)
	}
	p := apptest.StartBinary(t, dsn)
	resp, err := http.Post(p.URL+"/api/v1/auth/token", "application/json",
		strings.NewReader(`{"username":"sigterm","password":"`+password+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	var tok struct {
		Token string `json:"token"`
	}
	err = json.NewDecoder(resp.Body).Decode(&tok)
	resp.Body.Close()
	if err != nil || tok.Token == "" {
		t.Fatalf("no API token: %d %v", resp.StatusCode, err)
	}
	conn, err := net.Dial("tcp", strings.TrimPrefix(p.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	note := strings.Repeat("chậm ", 400)
	body := `{"indicator":"digital-economy-grdp","unit":"VN-SG","period":"2019","value":12.5,"note":"` + note + `"}`
	fmt.Fprintf(conn, "POST /api/v1/observations HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n", tok.Token, len(body))
	if _, err := io.WriteString(conn, body[:100]); err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond) // the server is now reading this request
	p.Signal(t, syscall.SIGTERM)
	time.Sleep(500 * time.Millisecond)
	// The listener is closed to newcomers…
	if _, err := http.Get(p.URL + "/healthz"); err == nil {
		t.Error("a new request was accepted after SIGTERM")
	}
	// …but the write in flight is read to its end, stored and answered.
	if _, err := io.WriteString(conn, body[100:]); err != nil {
		t.Fatalf("the server dropped the request in flight: %v", err)
	}
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	resp, err = http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("no answer to the request in flight: %v\n%s", err, p.Stderr)
	}
	answer, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Errorf("write in flight answered %d %s", resp.StatusCode, answer)
	}
	if err := p.Wait(t, 15*time.Second); err != nil {
		t.Errorf("tiendo exited with %v after SIGTERM\n%s", err, p.Stderr)
	}
	if !strings.Contains(p.Stderr.String(), "stopped cleanly") {
		t.Errorf("no clean stop in the log:\n%s", p.Stderr)
	}
	db := openRaw(t, dsn)
	defer db.Close()
	var stored string
	err = db.QueryRow(`SELECT o.note FROM observations o JOIN indicators i ON i.id = o.indicator_id
		WHERE i.code = 'digital-economy-grdp' AND o.period = '2019'`).Scan(&stored)
	if err != nil || stored != strings.TrimSpace(note) {
		t.Errorf("the acknowledged write is not stored whole after the stop (%v, %d bytes)", err, len(stored))
	}
}

// TestBackupWhileServingAndRestore runs `tiendo backup` against a running
// server, checks `tiendo restore` refuses while it runs, then restores.
func TestBackupWhileServingAndRestore(t *testing.T) {
	dir := t.TempDir()
	dsn := filepath.Join(dir, "live.db")
	p := apptest.StartBinary(t, dsn, "-demo")
	bin := apptest.Binary(t)
	before := tableSums(t, dsn)
	copyPath := filepath.Join(dir, "copy.db")
	if out, err := exec.Command(bin, "backup", "-db", dsn, copyPath).CombinedOutput(); err != nil {
		t.Fatalf("tiendo backup: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "restore", "-db", dsn, copyPath).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "in use by a running server") {
		t.Errorf("restore while serving: %v\n%s", err, out)
	}
	p.Signal(t, syscall.SIGTERM)
	if err := p.Wait(t, 15*time.Second); err != nil {
		t.Fatal(err)
	}
	// Change the live database, then bring the backup back.
	db := openRaw(t, dsn)
	if _, err := db.Exec("DELETE FROM observations WHERE demo"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if tableSums(t, dsn)["observations"] == before["observations"] {
		t.Fatal("the change did not change the checksum")
	}
	if out, err := exec.Command(bin, "restore", "-db", dsn, copyPath).CombinedOutput(); err != nil {
		t.Fatalf("tiendo restore: %v\n%s", err, out)
	}
	after := tableSums(t, dsn)
	for table, sum := range before {
		if after[table] != sum {
			t.Errorf("%s differs after backup and restore", table)
		}
	}
	apptest.StartBinary(t, dsn) // and it serves again
}

// TestKillMidwayLosesNothing SIGKILLs a large write in one transaction, and
// the server beside it, midway; after a restart the database passes its
// integrity check, holds nothing of the write, and everything before it.
func TestKillMidwayLosesNothing(t *testing.T) {
	dsn := filepath.Join(t.TempDir(), "t.db")
	p := apptest.StartBinary(t, dsn, "-demo")
	before := tableSums(t, dsn)
	writer := exec.Command(apptest.Build(t, "tiendo/e2e/testdata/bulkwrite", "bulkwrite"), dsn, "200000")
	stdout, _ := writer.StdoutPipe()
	if err := writer.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(stdout)
	midway := false
	for lines.Scan() {
		if lines.Text() == "progress 50000" {
			midway = true
			break
		}
	}
	if !midway {
		t.Fatal("the bulk write never got midway")
	}
	// Readers keep being answered while the write is under way.
	if code, _ := httpGet(t, p.URL+"/api/v1/assessments"); code != 200 {
		t.Errorf("API during the bulk write: %d", code)
	}
	_ = writer.Process.Signal(syscall.SIGKILL)
	_ = writer.Wait()
	p.Signal(t, syscall.SIGKILL)
	_ = p.Wait(t, 10*time.Second)
	if _, err := os.Stat(dsn + "-wal"); err != nil {
		t.Logf("no WAL left behind: %v", err)
	}

	p = apptest.StartBinary(t, dsn)
	if code, _ := httpGet(t, p.URL+"/"); code != 200 {
		t.Errorf("overview after the restart: %d", code)
	}
	stopAndCheckIntact(t, p, dsn, before, "the kill")
	db := openRaw(t, dsn)
	defer db.Close()
	var n int
	if err := db.QueryRow("SELECT COUNT(*) FROM units WHERE code = 'KILL-TEST'").Scan(&n); err != nil || n != 0 {
		t.Errorf("part of the killed write is stored: %d units (%v)", n, err)
	}
}

func httpGet(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func openRaw(t *testing.T, dsn string) *sql.DB {
	t.Helper()
	db, err := models.Open(dsn)
	if err != nil {
		t.Fatal(err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		t.Fatal(err)
	}
	return sqlDB
}

// tableSums returns "rows:sha256" of every table's content in id order.
func tableSums(t *testing.T, dsn string) map[string]string {
	t.Helper()
	db := openRaw(t, dsn)
	defer db.Close()
	sums := map[string]string{}
	for _, table := range []string{"units", "pillars", "indicators", "targets", "observations", "audit_log", "schema_migrations"} {
		order := "id"
		if table == "schema_migrations" {
			order = "version"
		}
		sums[table] = tableSum(t, db, "SELECT * FROM "+table+" ORDER BY "+order)
	}
	return sums
}

// tableSum hashes the rows a query returns.
func tableSum(t *testing.T, db *sql.DB, query string) string {
	t.Helper()
	rows, err := db.Query(query)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	h := sha256.New()
	n := 0
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(h, "%v\n", vals)
		n++
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%d:%s", n, hex.EncodeToString(h.Sum(nil))[:16])
}

// TestKillMidwayAnImportLosesNothing runs the real `tiendo import` of a large
// file beside the running server and SIGKILLs both once the import has
// shown its plan and begun to write; after a restart the database passes its
// integrity check, holds nothing of the import and everything before it.
func TestKillMidwayAnImportLosesNothing(t *testing.T) {
	dir := t.TempDir()
	dsn := filepath.Join(dir, "t.db")
	p := apptest.StartBinary(t, dsn, "-demo")
	csvPath := filepath.Join(dir, "large.csv")
	rows := writeLargeImport(t, dsn, csvPath, 300_000)
	before := tableSums(t, dsn)

	imp := exec.Command(apptest.Binary(t), "import", "-db", dsn, csvPath)
	stdout, _ := imp.StdoutPipe()
	if err := imp.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(stdout)
	planned := false
	for lines.Scan() {
		if strings.Contains(lines.Text(), fmt.Sprint(rows)) {
			planned = true // the plan is printed just before the commit begins
			break
		}
	}
	if !planned {
		t.Fatalf("the import never showed its plan of %d rows", rows)
	}
	time.Sleep(300 * time.Millisecond)
	_ = imp.Process.Signal(syscall.SIGKILL)
	if err := imp.Wait(); err == nil {
		t.Fatal("the import finished before it could be killed: make the file larger")
	}
	p.Signal(t, syscall.SIGKILL)
	_ = p.Wait(t, 10*time.Second)

	p = apptest.StartBinary(t, dsn)
	stopAndCheckIntact(t, p, dsn, before, "the killed import")
}

// stopAndCheckIntact stops the restarted server cleanly, then checks that the
// database file is sound and every table holds what it held before.
func stopAndCheckIntact(t *testing.T, p *apptest.Process, dsn string, before map[string]string, what string) {
	t.Helper()
	p.Signal(t, syscall.SIGTERM)
	if err := p.Wait(t, 15*time.Second); err != nil {
		t.Fatal(err)
	}
	if err := models.CheckFile(dsn); err != nil {
		t.Fatalf("after %s: %v", what, err)
	}
	after := tableSums(t, dsn)
	for table, sum := range before {
		if after[table] != sum {
			t.Errorf("%s changed: %s before %s, %s after", table, sum, what, after[table])
		}
	}
}

// writeLargeImport writes an observations CSV of up to n distinct rows for
// the yearly indicators and units of the database, and returns its rows.
func writeLargeImport(t *testing.T, dsn, path string, n int) int {
	t.Helper()
	db := openRaw(t, dsn)
	defer db.Close()
	codes := func(q string) []string {
		rs, err := db.Query(q)
		if err != nil {
			t.Fatal(err)
		}
		defer rs.Close()
		var out []string
		for rs.Next() {
			var s string
			if err := rs.Scan(&s); err != nil {
				t.Fatal(err)
			}
			out = append(out, s)
		}
		if err := rs.Err(); err != nil {
			t.Fatal(err)
		}
		return out
	}
	inds := codes("SELECT code FROM indicators WHERE frequency = 'year' AND NOT retired ORDER BY code")
	units := codes("SELECT code FROM units ORDER BY code")
	var b strings.Builder
	b.WriteString("indicator,unit,period,value\n")
	rows := 0
	for year := 1900; year < 2020 && rows < n; year++ {
		for _, u := range units {
			for _, ind := range inds {
				if rows == n {
					break
				}
				fmt.Fprintf(&b, "%s,%s,%d,%d.5\n", ind, u, year, rows%90)
				rows++
			}
		}
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return rows
}
