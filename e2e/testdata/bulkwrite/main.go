// Command bulkwrite is the kill test's large write: one transaction adding a
// unit and rows observations through the app's own database settings
// (models.Open), reporting progress so the test can SIGKILL it midway.
package main

import (
	"fmt"
	"os"
	"strconv"

	"tiendo/models"
)

func main() {
	rows, _ := strconv.Atoi(os.Args[2])
	db, err := models.Open(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	tx := db.Begin()
	unit := models.Unit{Code: "KILL-TEST", NameVI: "Kill", NameEN: "Kill", Level: "district"}
	if err := tx.Create(&unit).Error; err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	var inds []uint
	tx.Model(&models.Indicator{}).Pluck("id", &inds)
	for i := range rows {
		if err := tx.Exec("INSERT INTO observations (indicator_id, unit_id, period, year, value, note, source, demo) VALUES (?, ?, ?, ?, ?, '', '', FALSE)",
			inds[i%len(inds)], unit.ID, fmt.Sprintf("p%d", i), 2000, float64(i)).Error; err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		if i%5000 == 0 {
			fmt.Println("progress", i)
		}
	}
	if err := tx.Commit().Error; err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println("committed")
}
