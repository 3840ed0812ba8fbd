package importer_test

import (
	"strings"
	"testing"

	"tiendo/apptest"
	"tiendo/importer"
	"tiendo/models"
)

// An import's audit entry lists each value and target it wrote, before and
// after, in the order of the file; unchanged rows are not listed.
func TestImportListsItsChangesInTheAuditLog(t *testing.T) {
	store := apptest.OpenStore(t, apptest.DSN(t))
	first := "record,indicator,unit,period,value,comparator\n" +
		"observation,5g-coverage,VN-SG,2019,36,\n" +
		"observation,5g-coverage,VN-SG,2018,20,\n"
	importFiles(t, store, []importer.File{{Name: "first.csv", Data: []byte(first)}}, importer.ParseOptions{}, importer.Options{})
	second := "record,indicator,unit,period,value,comparator\n" +
		"observation,5g-coverage,VN-SG,2019,41.5,\n" +
		"observation,5g-coverage,VN-SG,2018,20,\n" +
		"observation,fibre-coverage,VN-SG,2019,80,\n" +
		"target,fibre-coverage,VN-SG,2030,95,at_least\n"
	importFiles(t, store, []importer.File{{Name: "second.csv", Data: []byte(second)}}, importer.ParseOptions{}, importer.Options{})

	var e models.AuditEntry
	if err := store.DB().Where("action = ? AND entity_key = ?", "import", "second.csv").First(&e).Error; err != nil {
		t.Fatal(err)
	}
	changes, total, err := store.AuditChanges(e.ID, 2, 0)
	if err != nil {
		t.Fatal(err)
	}
	if total != 3 || len(changes) != 2 {
		t.Fatalf("%d changes (%d on the page), want 3 listed, 2 a page: %+v", total, len(changes), changes)
	}
	want := []models.AuditChange{
		{Entity: "target", EntityKey: "fibre-coverage/VN-SG/2030"},
		{Entity: "observation", EntityKey: "5g-coverage/VN-SG/2019", Before: `{"note":"","source":"","value":36}`, After: `{"note":"","source":"","value":41.5}`},
	}
	for i, w := range want {
		c := changes[i]
		if c.Entity != w.Entity || c.EntityKey != w.EntityKey || (w.Before != "" && (c.Before != w.Before || c.After != w.After)) {
			t.Errorf("change %d = %+v, want %+v", i, c, w)
		}
	}
	// The seeded target of 100 % is revised to 95 %.
	if !strings.Contains(changes[0].Before, `"value":100`) || !strings.Contains(changes[0].After, `"value":95`) || !strings.Contains(changes[0].After, `"revision":2`) {
		t.Errorf("the revised target: %+v, want 100 → 95, revision 2", changes[0])
	}
	rest, _, _ := store.AuditChanges(e.ID, 2, 2)
	if len(rest) != 1 || rest[0].EntityKey != "fibre-coverage/VN-SG/2019" || rest[0].Before != "" {
		t.Errorf("second page: %+v, want the new fibre value", rest)
	}
	counts, err := store.AuditChangeCounts([]uint{e.ID, e.ID - 1})
	if err != nil || counts[e.ID] != 3 {
		t.Errorf("counts %v, %v", counts, err)
	}
}
