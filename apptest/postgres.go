package apptest

import "testing"

// freshPostgres is filled in with PostgreSQL support.
func freshPostgres(t testing.TB, _ string) string {
	t.Fatal("apptest: TIENDO_TEST_PG is set but PostgreSQL support is not built yet")
	return ""
}
