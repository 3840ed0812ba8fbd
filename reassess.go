package main

import (
	"fmt"
	"log/slog"
	"os"
	"time"

	"tiendo/locale"
)

// reassess is `tiendo reassess`: the stored assessments of every indicator
// in every unit built again from the values and targets, in one
// transaction (servers on the database keep answering meanwhile and see
// the new rows at once). Writes keep the table current on their own; this
// is for a database edited by hand or upgraded, before the first start.
func reassess(args []string) error {
	var cfg config
	fs := newFlagSet("reassess")
	cfg.bindCommon(fs)
	say, err := parseCommand(fs, args)
	if err != nil {
		return err
	}
	store, err := openStore(cfg.db, slog.New(slog.NewTextHandler(os.Stderr, nil)))
	if err != nil {
		return err
	}
	defer closeDB(store.DB())
	start := time.Now()
	if err := store.Reassess(); err != nil {
		return err
	}
	n, err := store.StoredAssessments()
	if err != nil {
		return err
	}
	fmt.Println(say.T("cli.reassessed", locale.Number(say.lang, float64(n), 0), time.Since(start).Round(time.Millisecond)))
	return nil
}
