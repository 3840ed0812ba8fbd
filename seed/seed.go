// Package seed loads the data of the source document into an empty
// database, and can add or remove demo actuals that are clearly marked.
package seed

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"gorm.io/gorm"

	"tiendo/models"
)

// GSOPovertyIndicator is the indicator of the GSO's published poverty rates.
const GSOPovertyIndicator = "gso-poverty-rate"

// SourceGSO cites the General Statistics Office table the rates come from.
const SourceGSO = "Tổng cục Thống kê (GSO), Tỷ lệ hộ nghèo phân theo địa phương 2006–2016 (bản xuất gso_21092018)"

// gsoExcerpt is the header and the two rows of HCMC and Trà Vinh, byte for
// byte as GSO published them (shared/realdata/gso-vietnam/poverty_rate_by_province.csv).
//
//go:embed gso_poverty_rate_excerpt.csv
var gsoExcerpt []byte

// gsoUnits maps GSO's row names to our unit codes.
var gsoUnits = map[string]string{"Ho Chi Minh city": UnitHCMC, "Tra Vinh": UnitTraVinh}

// Load stores the source document's units, pillars, indicators, targets and
// actuals, and the GSO poverty rates. Rows already present are left alone,
// so loading twice changes nothing.
func Load(db *gorm.DB) error {
	gso, err := GSOPovertyRates()
	if err != nil {
		return err
	}
	return db.Transaction(func(tx *gorm.DB) error {
		l := loader{tx: tx, pillars: map[string]uint{}, units: map[string]uint{}, indicators: map[string]uint{}}
		for i, p := range pillars {
			l.pillar(models.Pillar{Code: p.code, NameVI: p.vi, NameEN: p.en, Position: i + 1})
		}
		vn := l.country()
		for _, u := range append(append([]unitRow(nil), units...), mergerProvinces...) {
			l.unit(models.Unit{Code: u.code, NameVI: u.vi, NameEN: u.en, Level: u.level, ParentID: vn})
		}
		l.tree()
		for i, r := range indicators {
			ind := models.Indicator{Code: r.code, NameVI: r.vi, NameEN: r.en, PillarID: l.pillars[r.pillar],
				Measure: r.measure, Direction: models.Direction(r.direction), Decimals: r.decimals,
				Frequency: r.frequency, Position: i + 1, Rollup: rollups[r.code], Levels: reportingLevels(r), IndicatorTexts: seededTexts(r.code)}
			ind.DefaultMeasureNames()
			if r.limit != 0 {
				ind.Limit = &r.limit
			}
			l.indicator(ind)
		}
		for _, r := range targets {
			t := models.Target{IndicatorID: l.indicators[r.indicator], UnitID: l.units[r.unit], Year: r.year,
				Comparator: models.Comparator(r.comparator), Value: r.value, Yearly: r.yearly, Source: r.source, Revision: 1}
			if r.comparator == string(models.Between) {
				t.ValueMax = &r.max
			}
			l.target(t)
		}
		for _, r := range observations {
			l.observation(models.Observation{IndicatorID: l.indicators[r.indicator], UnitID: l.units[r.unit],
				Period: r.period, Value: r.value, Note: r.note, Source: sourceFor(r.unit)})
		}
		for _, g := range gso {
			l.observation(models.Observation{IndicatorID: l.indicators[GSOPovertyIndicator], UnitID: l.units[g.Unit],
				Period: strconv.Itoa(g.Year), Value: g.Value, Note: g.Note, Source: SourceGSO})
		}
		if l.err != nil {
			return l.err
		}
		return models.MarkUnassessed(tx)
	})
}

// reportingLevels are the levels that report an indicator: the poverty
// figures come from provinces, HCMC's targets from the city, and the ward
// and district dossiers from those levels too.
func reportingLevels(r indicatorRow) string {
	switch {
	case r.code == GSOPovertyIndicator:
		return "city,province"
	case r.pillar == "poverty-reduction":
		return "province"
	case r.code == "dossiers-ward":
		return "city,ward"
	case r.code == "dossiers-city-district":
		return "city,district"
	}
	return "city"
}

func sourceFor(unit string) string {
	if unit == UnitTraVinh {
		return SourceTraVinh
	}
	return SourceHCMC
}

// GSORate is one published poverty rate.
type GSORate struct {
	Unit  string
	Year  int
	Value float64
	Note  string
}

// GSOPovertyRates reads the embedded GSO excerpt: ";"-separated, a BOM, a
// title line, ".." for missing and "Pre. 2016" for a preliminary figure.
func GSOPovertyRates() ([]GSORate, error) {
	body := bytes.TrimPrefix(gsoExcerpt, []byte("\xef\xbb\xbf"))
	lines := strings.SplitN(strings.ReplaceAll(string(body), "\r\n", "\n"), "\n", 3)
	if len(lines) < 3 {
		return nil, errors.New("seed: GSO excerpt is truncated")
	}
	r := csv.NewReader(strings.NewReader(lines[2]))
	r.Comma = ';'
	rows, err := r.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("seed: unable to read GSO excerpt: %w", err)
	}
	header := rows[0]
	var rates []GSORate
	for _, row := range rows[1:] {
		code, ok := gsoUnits[strings.TrimSpace(row[0])]
		if !ok {
			continue
		}
		for i := 1; i < len(row) && i < len(header); i++ {
			if row[i] == ".." {
				continue
			}
			label := header[i]
			note := ""
			if strings.HasPrefix(label, "Pre. ") {
				label, note = strings.TrimPrefix(label, "Pre. "), "Số liệu sơ bộ (preliminary)"
			}
			year, err := strconv.Atoi(label)
			if err != nil {
				return nil, fmt.Errorf("seed: GSO year column %q: %w", header[i], err)
			}
			v, err := strconv.ParseFloat(row[i], 64)
			if err != nil {
				return nil, fmt.Errorf("seed: GSO value %q: %w", row[i], err)
			}
			rates = append(rates, GSORate{Unit: code, Year: year, Value: v, Note: note})
		}
	}
	return rates, nil
}

// loader creates rows that are not there yet and remembers their ids; the
// first error stops it.
type loader struct {
	tx                         *gorm.DB
	pillars, units, indicators map[string]uint
	err                        error
}

func (l *loader) pillar(p models.Pillar) {
	if l.err == nil {
		l.err = l.tx.Where(models.Pillar{Code: p.Code}).FirstOrCreate(&p).Error
		l.pillars[p.Code] = p.ID
	}
}

func (l *loader) unit(u models.Unit) {
	if l.err == nil {
		l.err = l.tx.Where(models.Unit{Code: u.Code}).FirstOrCreate(&u).Error
		l.units[u.Code] = u.ID
	}
}

// country adds the national unit, the parent of every province and city,
// and returns its id.
func (l *loader) country() *uint {
	l.unit(models.Unit{Code: UnitVN, NameVI: NameVN, NameEN: NameVNEN, Level: models.LevelCountry})
	id := l.units[UnitVN]
	return &id
}

// LoadTree adds the unit tree (HCMC's districts, the 2025 mergers) to a
// database that has the source document's units; rows present are left alone.
func LoadTree(db *gorm.DB) error {
	return db.Transaction(func(tx *gorm.DB) error {
		l := loader{tx: tx, units: map[string]uint{}}
		var have []models.Unit
		if err := tx.Where("code IN ?", []string{UnitHCMC, UnitTraVinh}).Find(&have).Error; err != nil {
			return err
		}
		if len(have) != 2 {
			return nil // not the source document's database: nothing to hang the tree on
		}
		if err := loadTexts(tx); err != nil {
			return fmt.Errorf("seed: indicator texts: %w", err)
		}
		before, err := treeRows(tx)
		if err != nil {
			return err
		}
		// Migration 131 added the country to such a database (audited).
		vn := l.country()
		for _, u := range mergerProvinces {
			l.unit(models.Unit{Code: u.code, NameVI: u.vi, NameEN: u.en, Level: u.level, ParentID: vn})
		}
		for _, u := range have {
			l.units[u.Code] = u.ID
		}
		l.tree()
		if l.err != nil {
			return fmt.Errorf("seed: unit tree: %w", l.err)
		}
		// It runs at every start: the assessments are built again only when
		// it added something (rows present are never changed).
		after, err := treeRows(tx)
		if err != nil || after == before {
			return err
		}
		return models.MarkUnassessed(tx)
	})
}

// treeRows counts the units and their successions.
func treeRows(tx *gorm.DB) (int64, error) {
	var units, links int64
	if err := tx.Model(&models.Unit{}).Count(&units).Error; err != nil {
		return 0, err
	}
	if err := tx.Model(&models.UnitSuccession{}).Count(&links).Error; err != nil {
		return 0, err
	}
	return units + links, nil
}

// tree adds HCMC's districts under the city and records the 2025 reform:
// ended provinces with their successors, districts ended with their level.
func (l *loader) tree() {
	parent := l.units[UnitHCMC]
	for _, d := range hcmcDistricts {
		l.unit(models.Unit{Code: DistrictCode(d.gso), NameVI: d.vi, NameEN: d.en, Level: models.LevelDistrict,
			ParentID: &parent, EndedOn: &DistrictLevelEnd, EndedBasis: BasisDistrictLevel, EndedBasisEN: BasisDistrictLevelEN})
	}
	for old, split := range bilingualBases {
		if l.err == nil {
			l.err = l.tx.Model(&models.Unit{}).Where("ended_basis = ?", old).
				Updates(map[string]any{"ended_basis": split[0], "ended_basis_en": split[1]}).Error
		}
	}
	for from, to := range successions {
		if l.err != nil {
			return
		}
		l.err = l.tx.Model(&models.Unit{}).Where("id = ? AND ended_on IS NULL", l.units[from]).
			Updates(map[string]any{"ended_on": ProvinceMergerDate, "ended_basis": BasisProvinceMerger, "ended_basis_en": BasisProvinceMergerEN}).Error
		if l.err == nil {
			link := models.UnitSuccession{PredecessorID: l.units[from], SuccessorID: l.units[to]}
			l.err = l.tx.Where(link).FirstOrCreate(&link).Error
		}
	}
}

func (l *loader) indicator(ind models.Indicator) {
	if l.err == nil {
		l.err = l.tx.Omit("Pillar").Where(models.Indicator{Code: ind.Code}).FirstOrCreate(&ind).Error
		l.indicators[ind.Code] = ind.ID
	}
}

func (l *loader) target(t models.Target) {
	if l.err != nil {
		return
	}
	var n int64
	l.err = l.tx.Model(&models.Target{}).Where("indicator_id = ? AND unit_id = ? AND year = ?", t.IndicatorID, t.UnitID, t.Year).Count(&n).Error
	if l.err == nil && n == 0 {
		l.err = l.tx.Omit("Indicator", "Unit").Create(&t).Error
	}
}

func (l *loader) observation(o models.Observation) {
	if l.err != nil {
		return
	}
	p, err := models.ParsePeriod(o.Period)
	if err != nil {
		l.err = err
		return
	}
	o.Year = p.Year
	var n int64
	l.err = l.tx.Model(&models.Observation{}).Where("indicator_id = ? AND unit_id = ? AND period = ?", o.IndicatorID, o.UnitID, o.Period).Count(&n).Error
	if l.err == nil && n == 0 {
		l.err = l.tx.Omit("Indicator", "Unit").Create(&o).Error
	}
}

// Ensure loads the source document when the database has no unit yet, and
// reports whether it did.
func Ensure(db *gorm.DB) (bool, error) {
	var n int64
	if err := db.Model(&models.Unit{}).Count(&n).Error; err != nil {
		return false, fmt.Errorf("seed: unable to count units: %w", err)
	}
	if n > 0 {
		// A database seeded before the unit tree existed gets it now: the
		// districts and the 2025 reform are facts, and adding them is idempotent.
		return false, LoadTree(db)
	}
	if err := Load(db); err != nil {
		return false, fmt.Errorf("seed: %w", err)
	}
	return true, nil
}
