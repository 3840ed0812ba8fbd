package main

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"

	"tiendo/importer"
	"tiendo/locale"
	"tiendo/models"
)

// exitError ends the program with a status other than 1.
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

// importCmd previews files and, when nothing stops it, imports them in one
// transaction. Exit status: 0 committed, 1 problems or a choice to make,
// 3 a clean dry run (nothing committed).
func importCmd(args []string) error {
	var cfg config
	fs := newFlagSet("import")
	cfg.bindCommon(fs)
	cfg.bindBreakdowns(fs)
	var popt importer.ParseOptions
	// The command line runs on the server: it acts with an admin's rights.
	opt := importer.Options{UnitTree: true}
	fs.StringVar(&popt.Format, "format", "", "force a format: "+strings.Join(importer.Formats, ", ")+" (default: detect)")
	fs.StringVar(&popt.Indicator, "indicator", "", "indicator code of files that name none")
	fs.StringVar(&opt.Unit, "unit", "", "unit code for rows that name no unit")
	dry := fs.Bool("dry-run", false, "show the preview and import nothing")
	create := fs.Bool("create-missing", false, "create unknown units and indicators from the names in the file")
	skip := fs.Bool("skip-missing", false, "leave out the rows of unknown units and indicators")
	fs.BoolVar(&opt.SkipInvalid, "skip-invalid", false, "import the good rows of a file that has problems")
	fs.StringVar(&opt.Direction, "direction", "", "higher or lower: direction of the indicators created whose file does not say (default: from their targets, else not set)")
	mapFile := fs.String("map", "", "CSV mapping the file's names: name,UNIT_CODE lines for units; Column=*,DIM=* and Column=Cell,DIM=VALUE (or _T, the total) lines for breakdowns")
	fs.BoolVar(&opt.AllowEmpty, "allow-empty", false, "commit a file with nothing to import (no data row, or every row left out) instead of exiting 1")
	fs.StringVar(&popt.UnitDimension, "unit-dimension", importer.DefaultUnitDimension, "SDMX dimension holding the unit")
	fs.StringVar(&popt.IndicatorDimension, "indicator-dimension", "", "SDMX dimension holding the indicator (default: the first of "+strings.Join(importer.IndicatorDimensions, ", ")+" present)")
	say, err := parseCommand(fs, args)
	if err != nil {
		return err
	}
	cat, l := say.cat, say.lang
	if fs.NArg() == 0 {
		return say.Err("cli.import_usage")
	}
	switch {
	case *create && *skip:
		return say.Err("cli.import_create_or_skip")
	case *create:
		opt.Missing = importer.MissingCreate
	case *skip:
		opt.Missing = importer.MissingSkip
	}
	switch opt.Direction {
	case "", string(models.DirectionHigher), string(models.DirectionLower):
	default:
		return say.Err("cli.import_direction")
	}
	if *mapFile != "" {
		f, err := os.Open(*mapFile)
		if err != nil {
			return err
		}
		m, err := importer.ReadUnitMap(f)
		f.Close()
		var bad importer.MapLineError
		if errors.As(err, &bad) {
			return say.Err("cli.map_file", *mapFile, say.T(importer.MapLineKey, bad.Line))
		}
		if err != nil {
			return err
		}
		opt.UnitNames, opt.Breakdowns = importer.SplitMap(m)
	}
	// Files are read from disk as they stream, once for the preview and
	// once for the commit: never whole, whatever their size.
	var files []importer.File
	for _, name := range fs.Args() {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		f.Close()
		files = append(files, importer.File{Name: filepath.Base(name), Path: name})
	}
	boundImportMemory()
	store, err := openStore(cfg.db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		return err
	}
	store.SetMaxBreakdowns(cfg.maxBreakdowns)
	bar := newMeter(os.Stderr, cat, l, "imports.rows_checked", 0)
	popt.Progress = func(rows int, share float64) { bar.updateShare(int64(rows), share) }
	plan, err := importer.PreviewFiles(store, files, popt, opt)
	bar.finish()
	if err != nil {
		return err
	}
	printPlan(os.Stdout, plan, cat, l)
	if err := plan.Err(); err != nil {
		key := "import.has_problems"
		switch {
		case errors.Is(err, importer.ErrChoice):
			key = "import.choose_missing"
		case errors.Is(err, importer.ErrEmpty):
			key = "breakdown_import.empty"
		}
		return errors.New(cat.T(l, key))
	}
	if *dry {
		return &exitError{code: 3, msg: cat.T(l, "cli.dry_run")}
	}
	bar = newMeter(os.Stderr, cat, l, "imports.rows_imported", 0)
	err = importer.Commit(store, plan, models.Actor{Username: cliUser(), Address: "localhost", Via: models.ViaCLI})
	bar.finish()
	if err != nil {
		return err
	}
	fmt.Println(cat.T(l, "import.committed", plan.Changes()))
	if plan.Changes() == 0 && !plan.Empty {
		fmt.Println(cat.T(l, "breakdown_import.unchanged"))
	}
	return nil
}

// importMemoryLimit is the Go memory an import aims to stay within, below
// SQLite's page cache (64 MB): an import's live heap is a few tens of MB
// (the targets planned, the keys written), the rest is its garbage.
const importMemoryLimit = 128 << 20

// boundImportMemory collects an import's garbage as its memory nears
// importMemoryLimit rather than each time the heap doubles: the file's
// rows make garbage by the gigabyte over a small live heap, and doubling
// that heap meant a collection every few megabytes. GOGC and GOMEMLIMIT,
// when set, have the last word.
func boundImportMemory() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(importMemoryLimit)
	}
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
}

func printPlan(w io.Writer, p *importer.Plan, cat locale.Catalog, lang string) {
	fmt.Fprintf(w, "%s (%s)\n", strings.Join(p.Files, ", "), p.Format)
	fmt.Fprintln(w, cat.T(lang, "import.rows", p.Rows, p.LeftOut))
	fmt.Fprintf(w, "%-14s %8s %8s %8s\n", cat.T(lang, "import.kind"), cat.T(lang, "import.create"), cat.T(lang, "import.update"), cat.T(lang, "import.same"))
	for _, k := range []struct {
		key string
		c   importer.Counts
	}{{"pillars", p.Pillars}, {"units", p.Units}, {"indicators", p.Indicators}, {"targets", p.Targets}, {"observations", p.Observations}} {
		fmt.Fprintf(w, "%-14s %8d %8d %8d\n", cat.T(lang, "import.kind_"+k.key), k.c.Create, k.c.Update, k.c.Same)
	}
	printOutcomes(w, p, cat, lang)
	for _, g := range []struct {
		key  string
		refs []importer.Ref
	}{{"import.missing_units", p.MissingUnits}, {"import.missing_indicators", p.MissingIndicators},
		{"breakdown_import.missing_dimensions", p.MissingDimensions}, {"breakdown_import.missing_values", p.MissingValues}} {
		if len(g.refs) > 0 {
			fmt.Fprintf(w, "%s:\n", cat.T(lang, g.key))
			for _, r := range g.refs {
				fmt.Fprintf(w, "  %s  %s\n", r.Label(), r.NameEN)
			}
		}
	}
	if len(p.Directions) > 0 {
		fmt.Fprintf(w, "%s:\n", cat.T(lang, "import.directions"))
		for _, d := range p.Directions {
			fmt.Fprintf(w, "  %s  %s\n", d.Indicator, cat.T(lang, "import.direction_"+d.From, cat.T(lang, "direction."+orUnset(d.Direction))))
		}
	}
	for _, pr := range p.Problems {
		fmt.Fprintf(w, "%s:%d:%s: %s\n", pr.File, pr.Row, pr.Column, cat.T(lang, pr.Key, pr.Args...))
	}
	if more := p.ProblemsTotal() - len(p.Problems); more > 0 {
		fmt.Fprintln(w, cat.T(lang, "imports.more_problems", more))
	}
	for _, pr := range p.Notes {
		fmt.Fprintf(w, "%s %s:%d:%s: %s\n", cat.T(lang, "cli.note"), pr.File, pr.Row, pr.Column, cat.T(lang, pr.Key, pr.Args...))
	}
}

// orUnset names a direction for its translation key: "unset" when none.
func orUnset(d models.Direction) string {
	if d == models.DirectionUnset {
		return "unset"
	}
	return string(d)
}

// printOutcomes says per kind how many rows became totals, breakdowns, or
// were refused, and why.
func printOutcomes(w io.Writer, p *importer.Plan, cat locale.Catalog, lang string) {
	for _, kind := range []string{importer.KindObservation, importer.KindTarget} {
		o := p.Outcomes[kind]
		if o == nil {
			continue
		}
		fmt.Fprintf(w, "%s: %s\n", cat.T(lang, "breakdown_import.kind_"+kind), cat.T(lang, "breakdown_import.outcome", o.Totals, o.Breakdowns, o.Refused))
		for _, r := range o.ReasonKeys() {
			fmt.Fprintf(w, "  %s: %d\n", cat.T(lang, "breakdown_import.reason_"+r), o.Reasons[r])
		}
	}
	if len(p.SumWarnings) > 0 {
		fmt.Fprintf(w, "%s:\n", cat.T(lang, "breakdown_import.sum_mismatches"))
		for _, s := range p.SumWarnings {
			fmt.Fprintf(w, "  %s\n", cat.T(lang, "breakdown_import.sum_mismatch", s.Indicator, s.Unit, s.Period, s.Dimensions,
				locale.NumberAuto(lang, s.Sum, 6), locale.NumberAuto(lang, s.Total, 6)))
		}
	}
}
