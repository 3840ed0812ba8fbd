package main

import (
	"testing"
	"time"

	"tiendo/apptest"
)

// TestShortLoad runs the load test briefly against the real binary (make
// loadtest runs the full 64 connections for 60 s).
func TestShortLoad(t *testing.T) {
	rep, err := run(options{bin: apptest.Binary(t), conns: 8, writers: 2, imports: 0, dur: 3 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + rep.markdown())
	if rep.failed() {
		t.Fatalf("errors or lost writes:\n%s", rep.markdown())
	}
	for _, kind := range []string{"page", "api", "write"} {
		if len(rep.latencies[kind]) < 10 {
			t.Errorf("only %d %s requests in 3 s", len(rep.latencies[kind]), kind)
		}
	}
}

// TestPlannersAtASteadyRate: planners write random values of the wards
// below a unit at a set rate, and each sees its value on its next view of
// the indicator page.
func TestPlannersAtASteadyRate(t *testing.T) {
	rep, err := run(options{bin: apptest.Binary(t), conns: 2, writers: 2, rate: 4, under: "VN-DEMO", dur: 4 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + rep.markdown())
	if rep.failed() {
		t.Fatalf("errors, lost writes or values not shown:\n%s", rep.markdown())
	}
	if n := len(rep.latencies["write"]); n < 8 || n > 20 {
		t.Errorf("%d writes in 4 s at 4 writes/s", n)
	}
}
