package seed

import (
	"fmt"
	"testing"
	"time"

	"tiendo/models"
)

// TestSeedMeetsTheRules: the source document's data and the demo pass the
// rules every other way in must pass, so what the seed stores can be edited.
func TestSeedMeetsTheRules(t *testing.T) {
	store := openDB(t)
	if _, err := Ensure(store.DB()); err != nil {
		t.Fatal(err)
	}
	if err := AddDemo(store.DB()); err != nil {
		t.Fatal(err)
	}
	db := store.DB()
	var units []models.Unit
	var inds []models.Indicator
	var targets []models.Target
	var obs []models.Observation
	for _, q := range []error{db.Find(&units).Error, db.Find(&inds).Error, db.Where("superseded_at IS NULL").Find(&targets).Error, db.Find(&obs).Error} {
		if q != nil {
			t.Fatal(q)
		}
	}
	byID := map[uint]models.Indicator{}
	for _, u := range units {
		if p := models.CheckUnit(&u); len(p) > 0 {
			t.Errorf("unit %s: %v", u.Code, p)
		}
	}
	for _, ind := range inds {
		byID[ind.ID] = ind
		if p := models.CheckIndicator(&ind); len(p) > 0 {
			t.Errorf("indicator %s: %v", ind.Code, p)
		}
	}
	for _, tg := range targets {
		if p := models.CheckTarget(byID[tg.IndicatorID], &tg); len(p) > 0 {
			t.Errorf("target %s %d: %v", byID[tg.IndicatorID].Code, tg.Year, p)
		}
	}
	now := time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)
	for _, o := range obs {
		p := models.Problems{}
		in := models.ObservationInput{Period: o.Period, Value: &o.Value, Note: o.Note, Source: o.Source}
		if models.CheckObservation(p, "", byID[o.IndicatorID], &in, now); len(p) > 0 {
			t.Errorf("value %s: %v", fmt.Sprint(byID[o.IndicatorID].Code, " ", o.UnitID, " ", o.Period), p)
		}
	}
}
