package models_test

import (
	"errors"
	"strings"
	"testing"

	"tiendo/apptest"
	"tiendo/models"
)

func TestCreatePillar(t *testing.T) {
	store := apptest.OpenStore(t, apptest.DSN(t))
	before, _ := store.Pillars()
	actor := models.Actor{Username: "admin", Via: models.ViaForm}
	pl, err := store.CreatePillar(actor, models.Pillar{Code: " xa-hoi-so ", NameVI: "Xã hội số", NameEN: "Digital society"})
	if err != nil {
		t.Fatal(err)
	}
	after, _ := store.Pillars()
	if len(after) != len(before)+1 || after[len(after)-1].Code != "xa-hoi-so" || pl.Position <= before[len(before)-1].Position {
		t.Errorf("pillars after adding one: %+v", after)
	}
	var e models.AuditEntry
	if err := store.DB().Where("entity = ? AND entity_key = ?", "pillar", "xa-hoi-so").First(&e).Error; err != nil || e.Action != "create" || !strings.Contains(e.After, "Xã hội số") {
		t.Errorf("audit of the new pillar: %+v, %v", e, err)
	}
	// Refused: the same code again, no names, a bad code; nothing stored.
	for _, c := range []struct {
		pl     models.Pillar
		fields []string
	}{
		{models.Pillar{Code: "xa-hoi-so", NameVI: "X", NameEN: "X"}, []string{"code"}},
		{models.Pillar{Code: "new", NameVI: " ", NameEN: ""}, []string{"name_vi", "name_en"}},
		{models.Pillar{Code: "a b", NameVI: "X", NameEN: "X"}, []string{"code"}},
		{models.Pillar{Code: "long", NameVI: strings.Repeat("x", models.MaxNameLength+1), NameEN: "X"}, []string{"name_vi"}},
	} {
		_, err := store.CreatePillar(actor, c.pl)
		var p models.Problems
		if !errors.As(err, &p) || len(p) != len(c.fields) {
			t.Errorf("%+v: %v, want problems with %v", c.pl, err, c.fields)
			continue
		}
		for _, f := range c.fields {
			if _, ok := p[f]; !ok {
				t.Errorf("%+v: no problem with %s: %v", c.pl, f, p)
			}
		}
	}
	if again, _ := store.Pillars(); len(again) != len(after) {
		t.Errorf("refused pillars were stored: %d pillars, want %d", len(again), len(after))
	}
}
