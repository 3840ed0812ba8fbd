package main

import (
	"strings"
	"testing"
	"time"
)

// A panic while writing a scheduled backup is an error for the log, not the
// end of the server (the schedule runs in its own goroutine).
func TestAPanickingBackupIsAnError(t *testing.T) {
	_, err := scheduledBackup(nil, t.TempDir(), time.Now(), 3)
	if err == nil || !strings.Contains(err.Error(), "panic") {
		t.Fatalf("scheduledBackup = %v, want an error naming the panic", err)
	}
}
