package seed

import (
	"database/sql"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"gorm.io/gorm"

	"tiendo/models"
)

// Synthetic describes a made-up dataset at the size of a real roll-out, for
// load tests and demos: one city, its districts and wards, indicators with
// plausible trajectories, targets for 2025 and 2030. The same options always
// give the same values. Every row is marked demo.
type Synthetic struct {
	Units      int    // one city, about one district per 15 units, the rest wards
	Indicators int    // indicators, spread over the seeded pillars
	From, To   int    // first and last year with values
	Period     string // models.FrequencyYear, FrequencyQuarter or FrequencyMonth
	Seed       uint64
}

// SyntheticStats counts what Generate stored.
type SyntheticStats struct {
	Units, Indicators, Targets, Observations int
}

// Codes of the synthetic tree: the city, then CITY-D01, CITY-D01-W01, …
const (
	SyntheticCity       = "VN-DEMO"
	syntheticIndicator  = "demo-"
	syntheticSource     = "Minh họa (demo)"
	syntheticMilestone1 = 2025
	syntheticMilestone2 = 2030
)

// ErrSyntheticPresent is returned when the synthetic city is already stored.
var ErrSyntheticPresent = errors.New("seed: synthetic demo data is already there; remove it first with `tiendo demo -remove`")

// kind is how an indicator moves: rising towards 100 %, falling as a rate,
// growing or shrinking as a count.
type kind struct {
	vi, en, measure string
	direction       models.Direction
	limit           float64 // 0: none
	decimals        int
	pillar          string
	// base and pace ranges; a unit draws inside them.
	baseLo, baseHi, paceLo, paceHi float64
}

var kinds = []kind{
	{"Hồ sơ giải quyết trực tuyến", "Dossiers handled online", "%", models.DirectionHigher, 100, 1, "digital-government", 10, 55, 0.08, 0.30},
	{"Dịch vụ công trực tuyến toàn trình", "Full-process online public services", "%", models.DirectionHigher, 100, 1, "digital-government", 5, 40, 0.10, 0.35},
	{"Hồ sơ trễ hạn", "Late dossiers", "%", models.DirectionLower, 100, 1, "digital-government", 8, 30, 0.04, 0.18},
	{"Thời gian giải quyết hồ sơ bình quân", "Average dossier processing time", "ngày", models.DirectionLower, 0, 1, "digital-government", 6, 20, 0.02, 0.10},
	{"Tỷ trọng kinh tế số trong GRDP", "Digital economy share of GRDP", "%", models.DirectionHigher, 100, 1, "digital-economy", 4, 18, 0.02, 0.06},
	{"Doanh nghiệp công nghệ số", "Digital technology enterprises", "doanh nghiệp", models.DirectionHigher, 0, 0, "digital-economy", 20, 900, 0.03, 0.14},
	{"Giao dịch thanh toán không dùng tiền mặt", "Cashless payments", "%", models.DirectionHigher, 100, 1, "digital-economy", 10, 45, 0.06, 0.25},
	{"Hộ gia đình có cáp quang", "Households with fibre broadband", "%", models.DirectionHigher, 100, 1, "digital-infrastructure", 30, 75, 0.10, 0.35},
	{"Điểm truy cập Wi-Fi công cộng", "Public Wi-Fi access points", "điểm", models.DirectionHigher, 0, 0, "digital-infrastructure", 5, 120, 0.05, 0.20},
	{"Vùng phủ sóng 5G", "5G coverage", "%", models.DirectionHigher, 100, 1, "digital-infrastructure", 1, 10, 0.15, 0.45},
	{"Tỷ lệ hộ nghèo", "Poor household rate", "%", models.DirectionLower, 100, 2, "poverty-reduction", 2, 15, 0.05, 0.20},
	{"Hộ cận nghèo", "Near-poor households", "hộ", models.DirectionLower, 0, 0, "poverty-reduction", 40, 900, 0.03, 0.12},
}

// level returns the value of a trajectory t years after its start.
func (k kind) level(base, pace, t float64) float64 {
	switch {
	case k.direction == models.DirectionHigher && k.limit > 0:
		return k.limit - (k.limit-base)*math.Exp(-pace*t) // approaches the limit
	case k.direction == models.DirectionHigher:
		return base * math.Exp(pace*t)
	default:
		return base * math.Exp(-pace*t)
	}
}

func (k kind) round(v float64) float64 {
	if k.limit > 0 {
		v = math.Max(0, math.Min(k.limit, v))
	}
	p := math.Pow(10, float64(k.decimals))
	return math.Round(v*p) / p
}

// periods lists the periods from..to at the frequency that have started by
// now (the API and imports refuse values of later ones), with the time in
// years since the start of from at which each ends.
func (s Synthetic) periods(now time.Time) ([]models.Period, []float64, error) {
	var ps []models.Period
	for y := s.From; y <= s.To; y++ {
		switch s.Period {
		case models.FrequencyYear:
			ps = append(ps, models.Period{Year: y})
		case models.FrequencyQuarter:
			for q := 1; q <= 4; q++ {
				ps = append(ps, models.Period{Year: y, Quarter: q})
			}
		case models.FrequencyMonth:
			for m := 1; m <= 12; m++ {
				ps = append(ps, models.Period{Year: y, Month: m})
			}
		default:
			return nil, nil, fmt.Errorf("seed: period must be year, quarter or month, not %q", s.Period)
		}
	}
	ps = slices.DeleteFunc(ps, func(p models.Period) bool { return !p.Started(now) })
	ts := make([]float64, len(ps))
	for i, p := range ps {
		ts[i] = float64(p.Year-s.From) + float64(p.EndMonth())/12
	}
	return ps, ts, nil
}

func (s Synthetic) check() error {
	switch {
	case s.Units < 3:
		return errors.New("seed: --units must be at least 3 (a city, a district, a ward)")
	case s.Indicators < 1:
		return errors.New("seed: --indicators must be at least 1")
	case s.From < 1900 || s.To > 2100 || s.From > s.To:
		return fmt.Errorf("seed: years %d–%d are not a range between 1900 and 2100", s.From, s.To)
	}
	return nil
}

// Generate stores the synthetic dataset in one transaction, with bulk
// inserts. The caller tells running servers (Store.DataChanged).
func Generate(db *gorm.DB, s Synthetic) (SyntheticStats, error) {
	var st SyntheticStats
	if err := s.check(); err != nil {
		return st, err
	}
	periods, times, err := s.periods(time.Now())
	if err != nil {
		return st, err
	}
	var n int64
	if err := db.Model(&models.Unit{}).Where("code = ?", SyntheticCity).Count(&n).Error; err != nil {
		return st, err
	}
	if n > 0 {
		return st, ErrSyntheticPresent
	}
	pillarIDs := map[string]uint{}
	var pillars []models.Pillar
	if err := db.Find(&pillars).Error; err != nil {
		return st, err
	}
	for _, p := range pillars {
		pillarIDs[p.Code] = p.ID
	}
	sqlDB, err := db.DB()
	if err != nil {
		return st, err
	}
	tx, err := sqlDB.Begin()
	if err != nil {
		return st, err
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	// The stored assessments are built again after the load (tiendo demo
	// does it at once; a load cut short leaves them marked out of date).
	if _, err := tx.Exec(`UPDATE assessment_state SET built = FALSE`); err != nil {
		return st, err
	}
	// Whole seconds: the timestamps are a third of a row's bytes otherwise.
	g := generator{tx: tx, pg: models.IsPostgres(db), now: time.Now().UTC().Truncate(time.Second), spec: s}
	unitIDs, err := g.units()
	if err != nil {
		return st, err
	}
	indIDs, indKinds, err := g.indicators(pillarIDs)
	if err != nil {
		return st, err
	}
	st.Units, st.Indicators = len(unitIDs), len(indIDs)
	if st.Targets, st.Observations, err = g.values(unitIDs, indIDs, indKinds, periods, times); err != nil {
		return st, err
	}
	if err := tx.Commit(); err != nil {
		return st, err
	}
	// Fresh statistics let the planner pick the indexes at this size; the
	// checkpoint folds SQLite's write-ahead log back into the file.
	// (Straight through database/sql: a PRAGMA that returns a row must not
	// stay behind in gorm's cache of prepared statements, unfinished.)
	if _, err := sqlDB.Exec("ANALYZE"); err != nil {
		return st, err
	}
	if !g.pg {
		var busy, logPages, moved int
		return st, sqlDB.QueryRow("PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &logPages, &moved)
	}
	return st, nil
}

type generator struct {
	tx   *sql.Tx
	pg   bool
	now  time.Time
	spec Synthetic
}

// insertID inserts one row and returns its id (RETURNING works on SQLite
// 3.35+ and PostgreSQL alike).
func (g generator) insertID(table string, cols []string, values ...any) (uint, error) {
	b := newBulkInsert(g.tx, g.pg, table, cols...)
	var id uint
	err := g.tx.QueryRow(b.insertSQL(1)+" RETURNING id", values...).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("seed: insert into %s: %w", table, err)
	}
	return id, nil
}

var unitCols = []string{"code", "name_vi", "name_en", "level", "parent_id", "demo", "created_at", "updated_at"}

// units stores the tree: the city first, then each district with its wards.
func (g generator) units() ([]uint, error) {
	n := g.spec.Units
	districts := max(1, int(math.Round(float64(n)/15)))
	if districts > n-2 {
		districts = n - 2
	}
	wards := n - 1 - districts
	city, err := g.insertID("units", unitCols, SyntheticCity, "Thành phố Minh Họa", "Demo City", models.LevelCity, nil, true, g.now, g.now)
	if err != nil {
		return nil, err
	}
	ids := []uint{city}
	for d := 1; d <= districts; d++ {
		code := fmt.Sprintf("%s-D%02d", SyntheticCity, d)
		did, err := g.insertID("units", unitCols, code, fmt.Sprintf("Quận Minh Họa %d", d), fmt.Sprintf("Demo District %d", d),
			models.LevelDistrict, city, true, g.now, g.now)
		if err != nil {
			return nil, err
		}
		ids = append(ids, did)
		// Wards are shared out evenly, the first districts taking one more.
		share := wards / districts
		if d <= wards%districts {
			share++
		}
		for w := 1; w <= share; w++ {
			wid, err := g.insertID("units", unitCols, fmt.Sprintf("%s-W%02d", code, w),
				fmt.Sprintf("Phường %d, Quận Minh Họa %d", w, d), fmt.Sprintf("Ward %d, Demo District %d", w, d),
				models.LevelWard, did, true, g.now, g.now)
			if err != nil {
				return nil, err
			}
			ids = append(ids, wid)
		}
	}
	return ids, nil
}

// indicators stores demo-001, demo-002, … cycling through the kinds.
func (g generator) indicators(pillars map[string]uint) ([]uint, []kind, error) {
	cols := []string{"code", "name_vi", "name_en", "pillar_id", "measure", "direction", `"limit"`, "decimals",
		"frequency", "position", "retired", "demo", "created_at", "updated_at"}
	var ids []uint
	var ks []kind
	for i := 1; i <= g.spec.Indicators; i++ {
		k := kinds[(i-1)%len(kinds)]
		pillar, ok := pillars[k.pillar]
		if !ok {
			return nil, nil, fmt.Errorf("seed: synthetic data needs the seeded pillar %s", k.pillar)
		}
		var limit any
		if k.limit > 0 {
			limit = k.limit
		}
		id, err := g.insertID("indicators", cols, fmt.Sprintf("%s%03d", syntheticIndicator, i),
			fmt.Sprintf("%s (minh họa %03d)", k.vi, i), fmt.Sprintf("%s (demo %03d)", k.en, i),
			pillar, k.measure, string(k.direction), limit, k.decimals, g.spec.Period, 1000+i, false, true, g.now, g.now)
		if err != nil {
			return nil, nil, err
		}
		ids, ks = append(ids, id), append(ks, k)
	}
	return ids, ks, nil
}

// values stores every unit's trajectory of every indicator and its targets
// for 2025 and 2030, in index order (indicator, unit, period) so the unique
// index grows at its end.
func (g generator) values(units, inds []uint, ks []kind, periods []models.Period, times []float64) (targets, obs int, err error) {
	tb := newBulkInsert(g.tx, g.pg, "targets", "indicator_id", "unit_id", "year", "comparator", "value", "yearly",
		"source", "revision", "demo", "created_at")
	ob := newBulkInsert(g.tx, g.pg, "observations", "indicator_id", "unit_id", "period", "year", "value", "note",
		"source", "demo", "created_at", "updated_at")
	labels := make([]string, len(periods))
	for i, p := range periods {
		labels[i] = p.String()
	}
	for i, ind := range inds {
		k := ks[i]
		comparator := models.AtLeast
		if k.direction == models.DirectionLower {
			comparator = models.AtMost
		}
		for u, unit := range units {
			rng := rand.New( //nolint:gosec // made-up demo figures, reproducible from the seed: not a secret
				rand.NewPCG(g.spec.Seed, uint64(i)<<32|uint64(u)))
			base := k.baseLo + rng.Float64()*(k.baseHi-k.baseLo)
			pace := k.paceLo + rng.Float64()*(k.paceHi-k.paceLo)
			// The plan is ambitious or modest against the real pace, and a
			// few series go the wrong way, so statuses spread from achieved
			// to deterioration as in a real city.
			plan := pace * (0.6 + rng.Float64()*1.4)
			if rng.Float64() < 0.06 {
				pace = -0.3 * pace
			}
			noise := 0.015
			if u > 0 {
				noise = 0.035 // wards' figures are noisier than the city's
			}
			for _, y := range []int{syntheticMilestone1, syntheticMilestone2} {
				v := k.round(k.level(base, plan, float64(y-g.spec.From+1)))
				if err := tb.add(ind, unit, y, string(comparator), v, false, syntheticSource, 1, true, g.now); err != nil {
					return 0, 0, err
				}
				targets++
			}
			for p, t := range times {
				v := k.level(base, pace, t) * (1 + rng.NormFloat64()*noise)
				if err := ob.add(ind, unit, labels[p], periods[p].Year, k.round(v), "", syntheticSource, true, g.now, g.now); err != nil {
					return 0, 0, err
				}
				obs++
			}
		}
	}
	if err := tb.close(); err != nil {
		return 0, 0, err
	}
	return targets, obs, ob.close()
}

// removeSynthetic deletes the targets and indicators marked demo (the
// synthetic dataset's; its units go with the other demo units).
func removeSynthetic(tx *gorm.DB) error {
	if err := tx.Where("demo = ?", true).Delete(&models.Target{}).Error; err != nil {
		return err
	}
	for _, m := range []any{&models.Observation{}, &models.Target{}, &models.BreakdownValue{}, &models.IndicatorDimension{}, &models.IndicatorBreakdown{}} {
		if err := tx.Where("indicator_id IN (SELECT id FROM indicators WHERE demo = ?)", true).Delete(m).Error; err != nil {
			return err
		}
	}
	return tx.Where("demo = ?", true).Delete(&models.Indicator{}).Error
}
