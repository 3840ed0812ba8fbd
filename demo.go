package main

import (
	"fmt"
	"log/slog"
	"os"
	"time"

	"tiendo/locale"
	"tiendo/models"
	"tiendo/seed"
)

// demo adds (or with -remove, deletes) the made-up demo data: the HCMC
// actuals by default, or with size flags a synthetic city of any size.
func demo(args []string) error {
	var cfg config
	fs := newFlagSet("demo")
	cfg.bindCommon(fs)
	remove := fs.Bool("remove", false, "delete every value, target, indicator and unit marked demo")
	var syn seed.Synthetic
	fs.IntVar(&syn.Units, "units", 0, "synthetic city: number of units (1 city, ~1 district per 15, the rest wards)")
	fs.IntVar(&syn.Indicators, "indicators", 150, "synthetic city: number of indicators")
	fs.IntVar(&syn.From, "from", 2015, "synthetic city: first year with values")
	fs.IntVar(&syn.To, "to", 2030, "synthetic city: last year with values (periods not started yet get none)")
	fs.StringVar(&syn.Period, "period", models.FrequencyQuarter, "synthetic city: year, quarter or month")
	fs.Uint64Var(&syn.Seed, "seed", 1, "synthetic city: random seed (same seed, same data)")
	say, err := parseCommand(fs, args)
	if err != nil {
		return err
	}
	store, err := openStore(cfg.db, slog.New(slog.NewTextHandler(os.Stderr, nil)))
	if err != nil {
		return err
	}
	if err := demoLoad(store, say, *remove, syn); err != nil {
		return err
	}
	// The stored assessments are built again at once (the loaders mark
	// them out of date in their own transactions), and running servers on
	// the same database drop their stored answers.
	return store.Reassess()
}

func demoLoad(store *models.Store, say voice, remove bool, syn seed.Synthetic) error {
	switch {
	case remove:
		if err := seed.RemoveDemo(store.DB()); err != nil {
			return err
		}
		fmt.Println(say.T("cli.demo_removed"))
	case syn.Units > 0:
		start := time.Now()
		st, err := seed.Generate(store.DB(), syn)
		if err != nil {
			return err
		}
		took := time.Since(start)
		fmt.Println(say.T("cli.demo_synthetic", seed.SyntheticCity, st.Units, st.Indicators, st.Targets, st.Observations, took.Round(time.Millisecond),
			locale.Number(say.lang, float64(st.Observations+st.Targets)/took.Seconds(), 0)))
	default:
		had, err := seed.HasDemo(store.DB())
		if err != nil {
			return err
		}
		if had {
			fmt.Println(say.T("cli.demo_had"))
			return nil
		}
		if err := seed.AddDemo(store.DB()); err != nil {
			return err
		}
		fmt.Println(say.T("cli.demo_added"))
	}
	return nil
}
