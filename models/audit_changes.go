package models

import (
	"fmt"

	"gorm.io/gorm"
)

// AuditChange is one record changed by an action that changes many (an
// import), kept beside the action's audit entry: its before and after as
// the log keeps a single change.
type AuditChange struct {
	ID        uint   `json:"-"`
	AuditID   uint   `json:"-"`
	Entity    string `json:"entity"`
	EntityKey string `json:"entity_key"`
	Before    string `gorm:"column:before_json" json:"before,omitempty"`
	After     string `gorm:"column:after_json" json:"after,omitempty"`
}

// TableName names the table of changes.
func (AuditChange) TableName() string { return "audit_changes" }

// NewAuditChange builds a change from before and after (nil: none).
func NewAuditChange(entity, key string, before, after any) AuditChange {
	return AuditChange{Entity: entity, EntityKey: key, Before: AuditJSON(before), After: AuditJSON(after)}
}

// RecordAuditChanges inserts an entry and its changes inside tx, so they
// commit or roll back with the changes themselves. The changes go in with
// multi-row statements prepared once: an import may change millions.
func RecordAuditChanges(tx *gorm.DB, actor Actor, action, entity, key string, before, after any, changes []AuditChange) error {
	w, err := NewAuditChangeWriter(tx, actor, action, entity, key, before, after)
	if err != nil {
		return err
	}
	for _, c := range changes {
		if err := w.Write(c); err != nil {
			w.Close()
			return err
		}
	}
	return w.Close()
}

// AuditChangeWriter lists changes under one audit entry as they are made:
// an import streams millions through it, never holding them.
type AuditChangeWriter struct {
	*rowWriter
}

// NewAuditChangeWriter inserts the entry inside tx; Write lists its changes
// and Close writes the last ones.
func NewAuditChangeWriter(tx *gorm.DB, actor Actor, action, entity, key string, before, after any) (*AuditChangeWriter, error) {
	e := NewAuditEntry(actor, action, entity, key, before, after)
	if err := tx.Create(&e).Error; err != nil {
		return nil, fmt.Errorf("store: unable to write audit entry: %w", err)
	}
	return &AuditChangeWriter{rowWriter: newRowWriter(tx, auditChangesTable, int64(e.ID))}, nil
}

// Write lists one change.
func (w *AuditChangeWriter) Write(c AuditChange) error {
	w.args = append(w.args, c.Entity, c.EntityKey, c.Before, c.After)
	return w.added()
}

// The changes of one entry share its id; an import's are all of one kind,
// most of them new (no before).
var auditChangesTable = rowTable{table: "audit_changes", columns: []string{"entity", "entity_key", "before_json", "after_json"},
	shared: []string{"audit_id"}, uniform: []int{0, 2}}

// AuditEntryByID returns one entry of the log.
func (s *Store) AuditEntryByID(id uint) (*AuditEntry, error) {
	var e AuditEntry
	if err := s.db.First(&e, id).Error; err != nil {
		return nil, fmt.Errorf("store: unable to fetch audit entry %d: %w", id, notFound(err))
	}
	return &e, nil
}

// AuditChanges returns a page of the changes listed under an entry, in the
// order they were made, and how many there are in all.
func (s *Store) AuditChanges(auditID uint, limit, offset int) ([]AuditChange, int64, error) {
	q := s.db.Model(&AuditChange{}).Where("audit_id = ?", auditID)
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, fmt.Errorf("store: unable to count audit changes: %w", err)
	}
	var out []AuditChange
	if err := q.Order("id").Limit(limit).Offset(offset).Find(&out).Error; err != nil {
		return nil, 0, fmt.Errorf("store: unable to fetch audit changes: %w", err)
	}
	return out, total, nil
}

// AuditChangeCounts returns how many changes are listed under each of the
// entries, for the log's page to link to those that have some.
func (s *Store) AuditChangeCounts(auditIDs []uint) (map[uint]int64, error) {
	out := map[uint]int64{}
	if len(auditIDs) == 0 {
		return out, nil
	}
	var rows []struct {
		AuditID uint
		N       int64
	}
	if err := s.db.Model(&AuditChange{}).Select("audit_id, COUNT(*) AS n").Where("audit_id IN ?", auditIDs).Group("audit_id").Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("store: unable to count audit changes: %w", err)
	}
	for _, r := range rows {
		out[r.AuditID] = r.N
	}
	return out, nil
}
