package models_test

import (
	"strings"
	"testing"
	"time"

	"tiendo/apptest"
	"tiendo/models"
)

// The audit entry of a unit's change keeps what the unit was before it
// (the update must not overwrite the old row read for the entry).
func TestUnitChangeAuditsTheOldLife(t *testing.T) {
	s := apptest.OpenStore(t, apptest.DSN(t))
	u := district(t, s, "770")
	end := time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)
	if err := s.UpdateUnit(models.Actor{Username: "test"}, u.Code, models.UnitChange{NameVI: "Tên mới", NameEN: u.NameEN, EndedOn: &end, EndedBasis: "kiểm thử"}); err != nil {
		t.Fatal(err)
	}
	var e models.AuditEntry
	if err := s.DB().Where("entity = ? AND entity_key = ?", "unit", u.Code).Order("id DESC").First(&e).Error; err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(e.Before, u.NameVI) || strings.Contains(e.Before, "Tên mới") || !strings.Contains(e.After, "Tên mới") {
		t.Errorf("audit before %s, after %s: want the old name before and the new one after", e.Before, e.After)
	}
}

// The same for an indicator's change.
func TestIndicatorChangeAuditsTheOldDefinition(t *testing.T) {
	s := apptest.OpenStore(t, apptest.DSN(t))
	ind, err := s.IndicatorByCode("5g-coverage")
	if err != nil {
		t.Fatal(err)
	}
	old := ind.NameVI
	ind.NameVI = "Tên mới"
	if err := s.UpdateIndicator(models.Actor{Username: "test"}, ind.Code, *ind, ind.Pillar.Code); err != nil {
		t.Fatal(err)
	}
	var e models.AuditEntry
	if err := s.DB().Where("entity = ? AND entity_key = ?", "indicator", ind.Code).Order("id DESC").First(&e).Error; err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(e.Before, old) || strings.Contains(e.Before, "Tên mới") || !strings.Contains(e.After, "Tên mới") {
		t.Errorf("audit before %s, after %s: want the old name before and the new one after", e.Before, e.After)
	}
}
