// Package notify turns what the alert rules and the reporting cycle find
// into messages: the inbox's lines, e-mails queued in the outbox and sent by
// one worker, and the weekly digest.
package notify

import (
	"tiendo/display"
	"tiendo/locale"
	"tiendo/models"
)

// Names finds the indicators and units notifications speak of.
type Names struct {
	Indicators map[uint]models.Indicator
	Units      map[uint]models.Unit
}

// LoadNames reads every indicator and unit once.
func LoadNames(store *models.Store) (Names, error) {
	n := Names{Indicators: map[uint]models.Indicator{}, Units: map[uint]models.Unit{}}
	inds, err := store.AllIndicators()
	if err != nil {
		return n, err
	}
	for _, ind := range inds {
		n.Indicators[ind.ID] = ind
	}
	units, err := store.Units()
	if err != nil {
		return n, err
	}
	for _, u := range units {
		n.Units[u.ID] = u
	}
	return n, nil
}

// Title is the line a notification shows, in the language.
func Title(cat locale.Catalog, lang string, n models.Notification, names Names) string {
	ind, unit := names.Indicators[n.IndicatorID], names.Units[n.UnitID]
	status := ""
	if n.Status != "" {
		status = cat.T(lang, "status."+n.Status)
	}
	return cat.T(lang, "notification."+n.Kind, display.Name(lang, ind.NameVI, ind.NameEN), display.Name(lang, unit.NameVI, unit.NameEN), status, n.Period)
}
