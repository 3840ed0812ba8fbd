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
