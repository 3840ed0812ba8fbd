package main

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"strings"
	"time"

	"tiendo/locale"
	"tiendo/reports"
	"tiendo/static"
)

// export writes a report (csv, xlsx, pdf or json) with the pages' filters.
func export(args []string) error {
	var cfg config
	fs := newFlagSet("export")
	cfg.bindCommon(fs)
	format := fs.String("format", "csv", "csv, xlsx, pdf or json")
	out := fs.String("out", "", "file to write (default: standard output)")
	var f reports.Filter
	fs.StringVar(&f.Unit, "unit", "", "unit code; empty: every unit")
	fs.BoolVar(&f.Subtree, "subtree", true, "include the units below -unit")
	fs.StringVar(&f.Pillar, "pillar", "", "pillar code")
	inds := fs.String("indicators", "", "indicator codes, comma-separated")
	fs.IntVar(&f.Milestone, "year", 0, "milestone year of the assessments (0: every target)")
	fs.StringVar(&f.From, "from", "", "first period of observations (2020, 2020-Q1, 2020-01)")
	fs.StringVar(&f.To, "to", "", "last period of observations")
	fs.StringVar(&f.Lang, "lang", "vi", "language of labels: vi or en")
	fs.BoolVar(&f.Excel, "excel", false, "CSV for Excel in -lang's regional settings (Vietnamese: semicolons, decimal commas) rather than the importable machine form")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cat, err := locale.Load(static.FS)
	if err != nil {
		return err
	}
	f.Lang = locale.Normalize(f.Lang)
	if !slices.Contains(reports.Formats, *format) {
		return errors.New(cat.T(f.Lang, "reports.bad_format", *format))
	}
	if *inds != "" {
		f.Indicators = strings.Split(*inds, ",")
	}
	store, err := openStore(exportDSN(cfg.db), slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		return err
	}
	start := time.Now()
	d, err := reports.Load(store, f)
	if err != nil {
		return err
	}
	total, err := d.CountObservations()
	if err != nil {
		return err
	}
	tooMany := func() error {
		key, args := reports.TooManyRows(f.Lang)
		return errors.New(cat.T(f.Lang, key, args...))
	}
	if reports.CheckFits(*format, total) != nil {
		return tooMany() // before the file is made
	}
	var w io.Writer = os.Stdout
	var file *os.File
	if *out != "" {
		if file, err = os.Create(*out); err != nil {
			return err
		}
		w = file
	}
	bar := newMeter(os.Stderr, cat, f.Lang, "meter.observations_exported", total)
	err = reports.Write(w, *format, d, cat, func(n int) { bar.update(int64(n)) })
	bar.finish()
	if file != nil {
		err = errors.Join(err, file.Close())
	}
	if errors.Is(err, reports.ErrTooManyRows) {
		if *out != "" {
			_ = os.Remove(*out) // a workbook cut short is no workbook
		}
		return tooMany()
	}
	if err != nil {
		return err
	}
	if *out != "" {
		fmt.Fprintln(os.Stderr, cat.T(f.Lang, "cli.exported", d.Written.Assessments, d.Written.Targets, *out, time.Since(start).Round(time.Millisecond)))
	}
	return nil
}

// exportDSN is the database an export opens: an export reads each page
// once, in order, so a SQLite connection keeps a page cache of 4 MB rather
// than the server's 64 MB (see models.Open), which two connections of an
// export filled to twice the memory the export itself needs.
func exportDSN(dsn string) string {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		return dsn
	}
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	return dsn + sep + "_cache_size=-4096"
}
