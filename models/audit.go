package models

import (
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Ways a change reaches the database, recorded in the audit log.
const (
	ViaForm   = "form"
	ViaGrid   = "grid"
	ViaAPI    = "api"
	ViaCLI    = "cli"
	ViaImport = "import"
	ViaSystem = "system"
)

// AuditEntry records one change: who, when, what, before, after, from where
// and how. Entries are only ever inserted.
type AuditEntry struct {
	ID        uint      `gorm:"primaryKey" json:"id"`
	At        time.Time `json:"at"`
	UserID    *uint     `json:"-"`
	Username  string    `json:"user"`
	Action    string    `json:"action"` // create, update, delete, retire, import, login, …
	Entity    string    `json:"entity"` // indicator, target, observation, unit, user, import, …
	EntityKey string    `json:"entity_key"`
	Before    string    `gorm:"column:before_json" json:"before,omitempty"`
	After     string    `gorm:"column:after_json" json:"after,omitempty"`
	Address   string    `json:"address"`
	Via       string    `json:"via"`
}

// TableName keeps the log's table name singular, as a log is one thing.
func (AuditEntry) TableName() string { return "audit_log" }

// Actor is who makes a change and how it arrives.
type Actor struct {
	UserID   *uint
	Username string
	Address  string
	Via      string
}

// AuditJSON renders a value for the before/after columns; nil gives "".
func AuditJSON(v any) string {
	if v == nil {
		return ""
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("%v", v)
	}
	return string(b)
}

// RecordAudit inserts an entry inside tx, so the log and the change commit
// or roll back together.
func RecordAudit(tx *gorm.DB, actor Actor, action, entity, key string, before, after any) error {
	e := NewAuditEntry(actor, action, entity, key, before, after)
	if err := tx.Create(&e).Error; err != nil {
		return fmt.Errorf("store: unable to write audit entry: %w", err)
	}
	return nil
}

// NewAuditEntry builds an entry for writers that insert many at once (in
// the same transaction as their change, like RecordAudit).
func NewAuditEntry(actor Actor, action, entity, key string, before, after any) AuditEntry {
	return AuditEntry{At: time.Now().UTC(), UserID: actor.UserID, Username: actor.Username, Action: action,
		Entity: entity, EntityKey: key, Before: AuditJSON(before), After: AuditJSON(after), Address: actor.Address, Via: actor.Via}
}
