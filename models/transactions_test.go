package models_test

import (
	"testing"

	"gorm.io/gorm"

	"tiendo/apptest"
	"tiendo/models"
)

// TestInTxRunsStatementsUnprepared: inside InTx, statements go straight
// to the transaction, not through GORM's statement cache, which
// re-prepares each call in a transaction and keeps every statement until
// the commit (an import of millions of values held hundreds of MB); the
// store's own handle keeps its cache, and what the transaction wrote
// commits.
func TestInTxRunsStatementsUnprepared(t *testing.T) {
	store := apptest.OpenStore(t, apptest.DSN(t))
	err := store.InTx(func(tx *gorm.DB) error {
		if _, cached := tx.Statement.ConnPool.(*gorm.PreparedStmtTX); cached {
			t.Error("the transaction's statements go through GORM's statement cache")
		}
		return tx.Exec(`INSERT INTO pillars (code, name_vi, name_en, position) VALUES ('tx-test', 'Thử', 'Test', 99)`).Error
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, cached := store.DB().Statement.ConnPool.(*gorm.PreparedStmtDB); !cached && !models.IsPostgres(store.DB()) {
		t.Error("the store's handle lost its statement cache")
	}
	var n int64
	if err := store.DB().Model(&models.Pillar{}).Where("code = ?", "tx-test").Count(&n).Error; err != nil || n != 1 {
		t.Fatalf("pillar written in the transaction: %d, %v", n, err)
	}
}
