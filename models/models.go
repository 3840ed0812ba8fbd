// Package models holds the domain types of Tiến độ, the Store that reads and
// writes them, and the pure progress-assessment logic.
package models

import "time"

// Unit levels, from the top of the tree down.
const (
	LevelCountry  = "country"
	LevelCity     = "city"
	LevelProvince = "province"
	LevelDistrict = "district"
	LevelWard     = "ward"
	LevelCommune  = "commune"
)

// Unit is a jurisdiction: a city or province, a district, a ward or commune.
type Unit struct {
	ID       uint   `gorm:"primaryKey" json:"-"`
	Code     string `gorm:"size:64;uniqueIndex;not null" json:"code"`
	NameVI   string `gorm:"not null" json:"name_vi"`
	NameEN   string `gorm:"not null" json:"name_en"`
	Level    string `gorm:"size:16;not null" json:"level"`
	ParentID *uint  `gorm:"index" json:"-"`
	Parent   *Unit  `json:"-"`
	// StartedOn is when the unit began (a ward created by a merger); nil:
	// before any period the app knows.
	StartedOn *time.Time `json:"started_on,omitempty"`
	EndedOn   *time.Time `json:"ended_on,omitempty"`
	// EndedBasis names the decision that ended the unit, e.g. a resolution.
	EndedBasis string `gorm:"not null;default:''" json:"ended_basis,omitempty"`
	// EndedBasisEN is the same in English ("" when not given).
	EndedBasisEN string    `gorm:"column:ended_basis_en;not null;default:''" json:"ended_basis_en,omitempty"`
	Demo         bool      `gorm:"not null;default:false" json:"demo,omitempty"`
	CreatedAt    time.Time `json:"-"`
	UpdatedAt    time.Time `json:"-"`
}

// Pillar groups indicators, e.g. digital government or digital economy.
type Pillar struct {
	ID       uint   `gorm:"primaryKey" json:"-"`
	Code     string `gorm:"size:64;uniqueIndex;not null" json:"code"`
	NameVI   string `gorm:"not null" json:"name_vi"`
	NameEN   string `gorm:"not null" json:"name_en"`
	Position int    `gorm:"not null;default:0" json:"position"`
}

// Frequencies at which an indicator is observed.
const (
	FrequencyYear    = "year"
	FrequencyQuarter = "quarter"
	FrequencyMonth   = "month"
)

// Indicator is a measured quantity with a direction in which progress is good.
type Indicator struct {
	ID        uint      `gorm:"primaryKey" json:"-"`
	Code      string    `gorm:"size:64;uniqueIndex;not null" json:"code"`
	NameVI    string    `gorm:"not null" json:"name_vi"`
	NameEN    string    `gorm:"not null" json:"name_en"`
	PillarID  uint      `gorm:"index;not null" json:"-"`
	Pillar    Pillar    `json:"-"`
	Measure   string    `gorm:"not null" json:"measure"`
	Direction Direction `gorm:"size:8;not null" json:"direction"`
	Limit     *float64  `json:"limit"`
	Decimals  int       `gorm:"not null;default:1" json:"decimals"`
	Frequency string    `gorm:"size:16;not null;default:year" json:"frequency"`
	// Rollup is how a parent's value is computed from its children's when
	// it has none of its own; RollupWeight is the weighting indicator's code.
	Rollup       RollupRule `gorm:"size:16;not null;default:''" json:"rollup,omitempty"`
	RollupWeight string     `gorm:"size:64;not null;default:''" json:"rollup_weight,omitempty"`
	// RollupThreshold is the share of the children (0–1) that must have a
	// value before one is computed for the parent; nil: the rule's default
	// (see RollupCoverage).
	RollupThreshold *float64 `json:"rollup_threshold,omitempty"`
	// DueDays is how many days after a period ends its value is due;
	// Levels the unit levels that report it (comma-separated), besides the
	// units it is assigned to (see IndicatorUnit).
	DueDays  int    `gorm:"not null;default:30" json:"due_days"`
	Levels   string `gorm:"size:128;not null;default:''" json:"levels"`
	Position int    `gorm:"not null;default:0" json:"-"`
	Retired  bool   `gorm:"not null;default:false" json:"retired"`
	// The measure's names and the metadata, in both languages.
	IndicatorTexts `gorm:"embedded"`
	CreatedAt      time.Time `json:"-"`
	UpdatedAt      time.Time `json:"-"`
}

// Target is one revision of a goal for an indicator in a unit at a milestone
// year. Revisions are never overwritten: the current one has no SupersededAt.
type Target struct {
	ID            uint       `gorm:"primaryKey" json:"id"`
	IndicatorID   uint       `gorm:"index:idx_target_lookup,priority:1;not null" json:"-"`
	Indicator     Indicator  `json:"-"`
	UnitID        uint       `gorm:"index:idx_target_lookup,priority:2;not null" json:"-"`
	Unit          Unit       `json:"-"`
	Year          int        `gorm:"index:idx_target_lookup,priority:3;not null" json:"year"`
	Comparator    Comparator `gorm:"size:16;not null" json:"comparator"`
	Value         float64    `gorm:"not null" json:"value"`
	ValueMax      *float64   `json:"value_max"`
	BaselineYear  *int       `json:"baseline_year"`
	BaselineValue *float64   `json:"baseline_value"`
	Yearly        bool       `gorm:"not null;default:false" json:"yearly"`
	Source        string     `gorm:"not null;default:''" json:"source"`
	Revision      int        `gorm:"not null;default:1" json:"revision"`
	Reason        string     `gorm:"not null;default:''" json:"reason,omitempty"`
	SupersededAt  *time.Time `gorm:"index" json:"superseded_at,omitempty"`
	CreatedAt     time.Time  `json:"created_at"`
}

// Goal returns the assessment's view of the target.
func (t Target) Goal() Goal {
	return Goal{
		Year:          t.Year,
		Comparator:    t.Comparator,
		Value:         t.Value,
		ValueMax:      t.ValueMax,
		BaselineYear:  t.BaselineYear,
		BaselineValue: t.BaselineValue,
		Yearly:        t.Yearly,
	}
}

// AppliesTo reports whether the target counts at the milestone year: its own
// year, or any year up to it for a yearly target.
func (t Target) AppliesTo(milestone int) bool {
	return t.Year == milestone || (t.Yearly && milestone <= t.Year)
}

// Observation is an actual value of an indicator in a unit for a period
// (2024, 2024-Q3 or 2024-05).
type Observation struct {
	ID          uint      `gorm:"primaryKey" json:"-"`
	IndicatorID uint      `gorm:"uniqueIndex:idx_obs_key,priority:1;not null" json:"-"`
	Indicator   Indicator `json:"-"`
	UnitID      uint      `gorm:"uniqueIndex:idx_obs_key,priority:2;not null" json:"-"`
	Unit        Unit      `json:"-"`
	Period      string    `gorm:"uniqueIndex:idx_obs_key,priority:3;size:16;not null" json:"period"`
	Year        int       `gorm:"not null" json:"-"`
	Value       float64   `gorm:"not null" json:"value"`
	Note        string    `gorm:"not null;default:''" json:"note"`
	Source      string    `gorm:"not null;default:''" json:"source"`
	Demo        bool      `gorm:"not null;default:false" json:"demo,omitempty"`
	CreatedAt   time.Time `json:"-"`
	UpdatedAt   time.Time `json:"updated_at"`
	// Rollup is set on a value computed from the unit's children, never stored.
	Rollup *Rollup `gorm:"-" json:"rollup,omitempty"`
	// Breakdown is set on a part of a total read from breakdown_values
	// (see BreakdownValue.Observation); "" on a total.
	Breakdown string `gorm:"-" json:"-"`
}

// UnitSuccession links a unit that ended to a unit that took it over
// (a merger: Trà Vinh into Vĩnh Long).
type UnitSuccession struct {
	ID            uint `gorm:"primaryKey"`
	PredecessorID uint `gorm:"not null"`
	SuccessorID   uint `gorm:"not null"`
}
