package models

import (
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// SetMaxBreakdowns sets how many distinct breakdowns one indicator may hold
// (-max-breakdowns, TIENDO_MAX_BREAKDOWNS); n < 1 keeps the default.
func (s *Store) SetMaxBreakdowns(n int) {
	if n < 1 {
		n = DefaultMaxBreakdowns
	}
	s.maxBreakdowns = n
}

// MaxBreakdowns is the cap on distinct breakdowns per indicator.
func (s *Store) MaxBreakdowns() int {
	if s.maxBreakdowns < 1 {
		return DefaultMaxBreakdowns
	}
	return s.maxBreakdowns
}

// Dimensions returns every dimension with its values, in their order.
func (s *Store) Dimensions() ([]Dimension, error) {
	return dimensions(s.db)
}

func dimensions(db *gorm.DB) ([]Dimension, error) {
	var dims []Dimension
	if err := db.Order("position, code").Find(&dims).Error; err != nil {
		return nil, fmt.Errorf("store: unable to fetch dimensions: %w", err)
	}
	var vals []DimensionValue
	if err := db.Order("dimension_id, position, code").Find(&vals).Error; err != nil {
		return nil, fmt.Errorf("store: unable to fetch dimension values: %w", err)
	}
	byID := map[uint]int{}
	for i, d := range dims {
		byID[d.ID] = i
	}
	for _, v := range vals {
		if i, ok := byID[v.DimensionID]; ok {
			dims[i].Values = append(dims[i].Values, v)
		}
	}
	return dims, nil
}

// IndicatorDimensions returns the dimensions an indicator is broken down
// by, with their values, in their order.
func (s *Store) IndicatorDimensions(indicatorID uint) ([]Dimension, error) {
	all, err := s.Dimensions()
	if err != nil {
		return nil, err
	}
	var ids []uint
	if err := s.db.Model(&IndicatorDimension{}).Where("indicator_id = ?", indicatorID).Pluck("dimension_id", &ids).Error; err != nil {
		return nil, fmt.Errorf("store: unable to fetch the indicator's dimensions: %w", err)
	}
	var out []Dimension
	for _, d := range all {
		for _, id := range ids {
			if d.ID == id {
				out = append(out, d)
			}
		}
	}
	return out, nil
}

// BreakdownRules reads what checking breakdowns of the given indicators
// needs (all indicators when none are given). Inside an import use
// BreakdownRulesTx, so what the import created so far counts.
func (s *Store) BreakdownRules(indicatorIDs ...uint) (*BreakdownRules, error) {
	return breakdownRules(s.db, s.MaxBreakdowns(), indicatorIDs)
}

// BreakdownRulesTx is BreakdownRules read inside tx.
func (s *Store) BreakdownRulesTx(tx *gorm.DB, indicatorIDs ...uint) (*BreakdownRules, error) {
	return breakdownRules(tx, s.MaxBreakdowns(), indicatorIDs)
}

func breakdownRules(db *gorm.DB, max int, indicatorIDs []uint) (*BreakdownRules, error) {
	dims, err := dimensions(db)
	if err != nil {
		return nil, err
	}
	var links []IndicatorDimension
	q := db.Model(&IndicatorDimension{})
	if len(indicatorIDs) > 0 {
		q = q.Where("indicator_id IN ?", indicatorIDs)
	}
	if err := q.Find(&links).Error; err != nil {
		return nil, fmt.Errorf("store: unable to fetch the indicators' dimensions: %w", err)
	}
	lists := map[uint][]uint{}
	for _, l := range links {
		lists[l.IndicatorID] = append(lists[l.IndicatorID], l.DimensionID)
	}
	var rows []struct {
		IndicatorID uint
		Breakdown   string
	}
	q = db.Model(&BreakdownValue{}).Distinct("indicator_id", "breakdown")
	if len(indicatorIDs) > 0 {
		q = q.Where("indicator_id IN ?", indicatorIDs)
	}
	if err := q.Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("store: unable to fetch the indicators' breakdowns: %w", err)
	}
	held := map[uint][]string{}
	for _, r := range rows {
		held[r.IndicatorID] = append(held[r.IndicatorID], r.Breakdown)
	}
	return NewBreakdownRules(dims, lists, held, max), nil
}

// BreakdownValues returns the breakdown values of an indicator in a unit
// (every unit: 0), ordered by unit, period and breakdown: every breakdown,
// or only the breakdown filter when it is not "" (canonical, see
// BreakdownRules.Resolve).
func (s *Store) BreakdownValues(indicatorID, unitID uint, filter string) ([]BreakdownValue, error) {
	q := s.db.Where("indicator_id = ?", indicatorID)
	if unitID != 0 {
		q = q.Where("unit_id = ?", unitID)
	}
	if filter != "" {
		q = q.Where("breakdown = ?", filter)
	}
	var out []BreakdownValue
	if err := q.Order("unit_id, period, breakdown").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("store: unable to fetch breakdown values: %w", err)
	}
	return out, nil
}

// EachBreakdownValue streams the breakdown values of the given indicators
// and units (all when empty) between two periods (either may be empty),
// ordered by indicator, unit, period and breakdown, as observations (see
// BreakdownValue.Observation), for exports.
func (s *Store) EachBreakdownValue(indicatorIDs, unitIDs []uint, from, to string, each func(Observation) error) error {
	return s.streamValues(indicatorIDs, unitIDs, from, to, true, true, func(o *Observation) error { return each(*o) })
}

// CountBreakdownValues counts the breakdown values of the given indicators
// and units (all when empty), for a progress bar.
func (s *Store) CountBreakdownValues(indicatorIDs, unitIDs []uint) (int64, error) {
	var n int64
	if err := s.breakdownQuery(indicatorIDs, unitIDs).Count(&n).Error; err != nil {
		return 0, fmt.Errorf("store: unable to count breakdown values: %w", err)
	}
	return n, nil
}

func (s *Store) breakdownQuery(indicatorIDs, unitIDs []uint) *gorm.DB {
	q := s.db.Model(&BreakdownValue{})
	if len(indicatorIDs) > 0 {
		q = q.Where("indicator_id IN ?", indicatorIDs)
	}
	if len(unitIDs) > 0 {
		q = q.Where("unit_id IN ?", unitIDs)
	}
	return q
}

// UpsertBreakdownValues writes breakdown values (canonical, checked)
// keyed by (indicator, unit, period, breakdown) inside tx: a new key is
// inserted, an existing one gets the new value, note, source and demo mark.
// The caller logs the change (DataChanged) after the commit.
func UpsertBreakdownValues(tx *gorm.DB, vals []BreakdownValue, now time.Time) error {
	if len(vals) == 0 {
		return nil
	}
	rows := make([]BreakdownValue, len(vals))
	for i, b := range vals {
		b.ID, b.CreatedAt, b.UpdatedAt = 0, now, now
		rows[i] = b
	}
	err := tx.Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "indicator_id"}, {Name: "unit_id"}, {Name: "period"}, {Name: "breakdown"}},
		DoUpdates: clause.AssignmentColumns([]string{"value", "note", "source", "demo", "updated_at"}),
	}).CreateInBatches(&rows, 500).Error
	if err != nil {
		return fmt.Errorf("store: unable to write breakdown values: %w", err)
	}
	return nil
}

func breakdownAudit(b BreakdownValue) map[string]any {
	return map[string]any{"value": b.Value, "note": b.Note, "source": b.Source}
}

// saveBreakdownValues is SaveObservations for inputs with a breakdown
// (checked and canonical), inside its transaction: each is created,
// updated or deleted (Value nil) and audited.
func saveBreakdownValues(tx *gorm.DB, actor Actor, ind Indicator, inputs []ObservationInput, p Problems, now time.Time) error {
	var audits []AuditEntry
	for _, in := range inputs {
		var old BreakdownValue
		err := tx.Where("indicator_id = ? AND unit_id = ? AND period = ? AND breakdown = ?", ind.ID, in.Unit.ID, in.Period, in.Breakdown).
			Limit(1).Find(&old).Error
		if err != nil {
			return fmt.Errorf("store: unable to fetch breakdown value: %w", err)
		}
		exists := old.ID != 0
		key := strings.Join([]string{ind.Code, in.Unit.Code, in.Period, in.Breakdown}, "/")
		if skipWrite(p, in, exists, exists && in.Value != nil && old.Value == *in.Value && old.Note == in.Note && old.Source == in.Source) {
			continue
		}
		switch {
		case in.Value == nil:
			if err := tx.Delete(&BreakdownValue{}, old.ID).Error; err != nil {
				return fmt.Errorf("store: unable to delete breakdown value: %w", err)
			}
			audits = append(audits, NewAuditEntry(actor, "delete", "breakdown_value", key, breakdownAudit(old), nil))
		case exists:
			b := old
			b.Value, b.Note, b.Source = *in.Value, in.Note, in.Source
			err := tx.Model(&BreakdownValue{}).Where("id = ?", old.ID).Updates(map[string]any{
				"value": b.Value, "note": b.Note, "source": b.Source, "demo": false, "updated_at": now}).Error
			if err != nil {
				return fmt.Errorf("store: unable to update breakdown value: %w", err)
			}
			audits = append(audits, NewAuditEntry(actor, "update", "breakdown_value", key, breakdownAudit(old), breakdownAudit(b)))
		default:
			per, _ := ParsePeriod(in.Period)
			b := BreakdownValue{IndicatorID: ind.ID, UnitID: in.Unit.ID, Period: in.Period, Year: per.Year, Breakdown: in.Breakdown,
				Value: *in.Value, Note: in.Note, Source: in.Source, CreatedAt: now, UpdatedAt: now}
			if err := tx.Create(&b).Error; err != nil {
				return fmt.Errorf("store: unable to store breakdown value: %w", err)
			}
			audits = append(audits, NewAuditEntry(actor, "create", "breakdown_value", key, nil, breakdownAudit(b)))
		}
	}
	if len(audits) == 0 {
		return nil
	}
	if err := tx.CreateInBatches(&audits, 200).Error; err != nil {
		return fmt.Errorf("store: unable to store audit entries: %w", err)
	}
	return nil
}

// HeldBreakdowns returns the distinct breakdowns an indicator holds in any
// unit, canonical and sorted.
func (s *Store) HeldBreakdowns(indicatorID uint) ([]string, error) {
	var out []string
	err := s.db.Model(&BreakdownValue{}).Where("indicator_id = ?", indicatorID).Distinct("breakdown").Order("breakdown").Pluck("breakdown", &out).Error
	if err != nil {
		return nil, fmt.Errorf("store: unable to fetch the indicator's breakdowns: %w", err)
	}
	return out, nil
}
