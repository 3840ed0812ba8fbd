package main

import (
	"flag"
	"fmt"
	"log/slog"
	"os"

	"tiendo/seed"
)

// demo adds (or with -remove, deletes) the made-up demo actuals.
func demo(args []string) error {
	var cfg config
	fs := flag.NewFlagSet("demo", flag.ExitOnError)
	cfg.bindCommon(fs)
	remove := fs.Bool("remove", false, "delete every value and unit marked demo")
	if err := fs.Parse(args); err != nil {
		return err
	}
	store, err := openStore(cfg.db, slog.New(slog.NewTextHandler(os.Stderr, nil)))
	if err != nil {
		return err
	}
	if *remove {
		if err := seed.RemoveDemo(store.DB()); err != nil {
			return err
		}
		fmt.Println("demo data removed")
		return nil
	}
	if err := seed.AddDemo(store.DB()); err != nil {
		return err
	}
	fmt.Println("demo data added (marked “Dữ liệu minh họa”)")
	return nil
}
