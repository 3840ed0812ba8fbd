package handlers_test

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"testing"

	"tiendo/apptest"
	"tiendo/models"
)

const testPassword = "mật-khẩu-đủ-dài"

// addUnit stores a unit below parent, as the unit tree will have them.
func addUnit(t testing.TB, s *apptest.Server, code, level, parent string) *models.Unit {
	t.Helper()
	p, err := s.Store.UnitByCode(parent)
	if err != nil {
		t.Fatal(err)
	}
	u := models.Unit{Code: code, NameVI: "Đơn vị " + code, NameEN: "Unit " + code, Level: level, ParentID: &p.ID}
	if err := s.Store.DB().Create(&u).Error; err != nil {
		t.Fatal(err)
	}
	// Written past the store: its assessments (inherited targets) too.
	if err := s.Store.Reassess(models.Change{Unit: u.ID}); err != nil {
		t.Fatal(err)
	}
	return &u
}

// team is one account of each kind, signed in.
type team map[string]*apptest.Client

// subjects, from least to most rights; "scoped" is a planner of one district.
var subjects = []string{"anonymous", "viewer", "analyst", "scoped", "planner", "admin"}

// startTeam starts the app with a district and a ward below HCMC and an
// account of every role.
func startTeam(t *testing.T, opt apptest.Options) (*apptest.Server, team) {
	t.Helper()
	s := apptest.Start(t, opt)
	addUnit(t, s, "T-D1", models.LevelDistrict, "VN-SG")
	addUnit(t, s, "T-D1-W1", models.LevelWard, "T-D1")
	addUnit(t, s, "T-D2", models.LevelDistrict, "VN-SG")
	s.AddUser(t, "viewer", models.RoleViewer, "", testPassword)
	s.AddUser(t, "analyst", models.RoleAnalyst, "", testPassword)
	s.AddUser(t, "scoped", models.RolePlanner, "T-D1", testPassword)
	s.AddUser(t, "planner", models.RolePlanner, "", testPassword)
	s.AddUser(t, "admin", models.RoleAdmin, "", testPassword)
	tm := team{}
	for _, name := range subjects {
		c := s.NewClient(t)
		if name == "anonymous" {
			c.Get(t, "/login")
		} else {
			c.Login(t, name, testPassword)
		}
		tm[name] = c
	}
	return s, tm
}

// fileSum checkpoints the SQLite WAL into the main file and returns the
// file's checksum, so two states of the database can be compared byte for byte.
func fileSum(t *testing.T, s *apptest.Server) string {
	t.Helper()
	if models.IsPostgres(s.Store.DB()) {
		return contentSum(t, s)
	}
	// Scan reads the pragma's result row, so no statement stays open.
	var busy, logFrames, done int
	if err := s.Store.DB().Raw("PRAGMA wal_checkpoint(TRUNCATE)").Row().Scan(&busy, &logFrames, &done); err != nil || busy != 0 {
		t.Fatalf("checkpoint: busy=%d %v", busy, err)
	}
	f, err := os.Open(s.DSN)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(h.Sum(nil))
}

func count(t *testing.T, s *apptest.Server, table, where string, args ...any) int64 {
	t.Helper()
	var n int64
	q := s.Store.DB().Table(table)
	if where != "" {
		q = q.Where(where, args...)
	}
	if err := q.Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// contentSum stands in for the file checksum on PostgreSQL: every row of
// every table, in key order.
func contentSum(t *testing.T, s *apptest.Server) string {
	t.Helper()
	var tables []string
	if err := s.Store.DB().Raw(`SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name`).Scan(&tables).Error; err != nil {
		t.Fatal(err)
	}
	h := sha256.New()
	for _, table := range tables {
		rows, err := s.Store.DB().Raw(`SELECT row_to_json(x)::text FROM ` + table + ` x ORDER BY 1`).Rows()
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var line string
			if err := rows.Scan(&line); err != nil {
				t.Fatal(err)
			}
			io.WriteString(h, table+line+"\n")
		}
		rows.Close()
	}
	return hex.EncodeToString(h.Sum(nil))
}
