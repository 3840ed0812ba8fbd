package models

import (
	"fmt"
	"time"
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
