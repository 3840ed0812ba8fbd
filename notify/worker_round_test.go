package notify

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
)

// A panic inside one round (a bug, a nil somewhere) is logged as an error
// and the worker goes on: it must not take the whole server down with it.
func TestAPanickingRoundIsAnError(t *testing.T) {
	w := &Worker{Mailer: &Mailer{}, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	err := w.round(context.Background())
	if err == nil || !strings.Contains(err.Error(), "panic") {
		t.Fatalf("round = %v, want an error naming the panic", err)
	}
}
