package models

import (
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// AuditFilter narrows the audit log; zero fields match everything.
type AuditFilter struct {
	Username string
	Entity   string
	Action   string
	From, To time.Time // To is exclusive
	Limit    int
	Offset   int
}

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
	ID        uint      `json:"id"`
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

// AuditLog returns entries newest first and how many match in all.
func (s *Store) AuditLog(f AuditFilter) ([]AuditEntry, int64, error) {
	q := s.db.Model(&AuditEntry{})
	if f.Username != "" {
		q = q.Where("username = ?", f.Username)
	}
	if f.Entity != "" {
		q = q.Where("entity = ?", f.Entity)
	}
	if f.Action != "" {
		q = q.Where("action = ?", f.Action)
	}
	if !f.From.IsZero() {
		q = q.Where("at >= ?", f.From.UTC())
	}
	if !f.To.IsZero() {
		q = q.Where("at < ?", f.To.UTC())
	}
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, fmt.Errorf("store: unable to count audit entries: %w", err)
	}
	if f.Limit <= 0 {
		f.Limit = 100
	}
	var out []AuditEntry
	if err := q.Order("at DESC, id DESC").Limit(f.Limit).Offset(f.Offset).Find(&out).Error; err != nil {
		return nil, 0, fmt.Errorf("store: unable to fetch audit entries: %w", err)
	}
	return out, total, nil
}

// AuditNames lists the distinct users, entities and actions in the log, for
// the filters of the audit page.
func (s *Store) AuditNames() (users, entities, actions []string, err error) {
	for col, dst := range map[string]*[]string{"username": &users, "entity": &entities, "action": &actions} {
		if err = s.db.Model(&AuditEntry{}).Distinct(col).Order(col).Pluck(col, dst).Error; err != nil {
			return nil, nil, nil, fmt.Errorf("store: unable to list audit %s: %w", col, err)
		}
	}
	return users, entities, actions, nil
}
