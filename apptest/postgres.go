package apptest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// freshPostgres creates an empty database on the server named by admin (a
// postgres:// URL of a role allowed to CREATE DATABASE) and drops it when the
// test ends, so every test starts from nothing, as with SQLite.
func freshPostgres(t testing.TB, admin string) string {
	t.Helper()
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	name := "tiendo_test_" + hex.EncodeToString(b)
	adminExec(t, admin, "CREATE DATABASE "+name)
	t.Cleanup(func() {
		// WITH (FORCE) ends the connections pools of the test left open.
		adminExec(t, admin, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	})
	u, err := url.Parse(admin)
	if err != nil {
		t.Fatalf("apptest: TIENDO_TEST_PG is not a URL: %v", err)
	}
	u.Path = "/" + name
	return u.String()
}

func adminExec(t testing.TB, admin, sql string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		t.Fatalf("apptest: unable to reach TIENDO_TEST_PG: %v", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, sql); err != nil {
		t.Fatalf("apptest: %s: %v", sql, err)
	}
}
