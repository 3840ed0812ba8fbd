package handlers

import (
	"maps"
	"net/url"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"tiendo/charts"
	"tiendo/locale"
	"tiendo/models"
)

// The breakdown explorer: a reader ticks values of the indicator's
// dimensions (?bd=SEX=F, once per value), and every stored breakdown whose
// pairs are all ticked is drawn beside the total and listed in the table.
// Ticking F and M of SEX shows women and men; ticking F and Y15T24 as well
// shows SEX=F, AGE=Y15T24 and AGE=Y15T24;SEX=F. The choice lives in the
// query, so a link reproduces the view and the stored answer depends on it.

// explorerParam is the query parameter of the ticked values.
const explorerParam = "bd"

// breakdownPart is one breakdown's values, with its label in the page's
// language.
type breakdownPart struct {
	Key    string // canonical, e.g. AGE=Y15T24;SEX=F
	Label  string // Nữ · 15–24 tuổi
	Values []models.Observation
}

type explorerValue struct {
	ID, Param, Label string // ID is the checkbox's, Param "SEX=F"
	Lang             string // "vi" for a Vietnamese name on another language's page
	Chosen           bool
}

type explorerDimension struct {
	ID, Label string
	Values    []explorerValue
	Chosen    int
}

// breakdownExplorer is the explorer's form: the dimensions with the values
// the unit has data for (and any value ticked), and the state to keep.
type breakdownExplorer struct {
	Page       *Page
	Action     string
	Dimensions []explorerDimension
	Chosen     int      // values ticked
	Shown      int      // breakdowns drawn
	Params     []string // the ticked values, for links and other forms to keep
	Keep       []struct{ Name, Value string }
}

// dimensionLabels names dimensions and their values in one language.
type dimensionLabels struct {
	dims       []models.Dimension
	lang       string
	dimOrder   map[string]int
	valueOrder map[models.BreakdownPair]int
	valueName  map[models.BreakdownPair]string
}

func newDimensionLabels(lang string, dims []models.Dimension) *dimensionLabels {
	l := &dimensionLabels{dims: dims, lang: lang, dimOrder: map[string]int{}, valueOrder: map[models.BreakdownPair]int{},
		valueName: map[models.BreakdownPair]string{}}
	for i, d := range dims {
		l.dimOrder[d.Code] = i
		for j, v := range d.Values {
			k := models.BreakdownPair{Dimension: d.Code, Value: v.Code}
			l.valueOrder[k], l.valueName[k] = j, name(lang, v.NameVI, v.NameEN)
		}
	}
	return l
}

// label is a breakdown in words, its values' names in the order of the
// dimensions: "Nữ · 15–24 tuổi". A code no longer known shows as written.
func (l *dimensionLabels) label(pairs []models.BreakdownPair) string {
	names := make([]string, len(pairs))
	for i, p := range l.ordered(pairs) {
		if n, ok := l.valueName[p]; ok {
			names[i] = n
		} else {
			names[i] = p.Dimension + "=" + p.Value
		}
	}
	return strings.Join(names, " · ")
}

// ordered is pairs in the order the dimensions are listed (the canonical
// form orders them by code, which reads worse: AGE before SEX).
func (l *dimensionLabels) ordered(pairs []models.BreakdownPair) []models.BreakdownPair {
	out := slices.Clone(pairs)
	slices.SortStableFunc(out, func(a, b models.BreakdownPair) int { return l.dimOrder[a.Dimension] - l.dimOrder[b.Dimension] })
	return out
}

// compare orders breakdowns: fewer pairs first, then by the positions of
// their dimensions and values.
func (l *dimensionLabels) compare(a, b []models.BreakdownPair) int {
	if len(a) != len(b) {
		return len(a) - len(b)
	}
	a, b = l.ordered(a), l.ordered(b)
	for i := range a {
		if d := l.dimOrder[a[i].Dimension] - l.dimOrder[b[i].Dimension]; d != 0 {
			return d
		}
		if d := l.valueOrder[a[i]] - l.valueOrder[b[i]]; d != 0 {
			return d
		}
	}
	return strings.Compare(models.FormatBreakdown(a), models.FormatBreakdown(b))
}

// readChosen reads the ticked values: each DIM=VALUE must name a value of
// one of the indicator's dimensions (codes matched without regard to
// case, kept as stored).
func readChosen(raw []string, dims []models.Dimension) (map[models.BreakdownPair]bool, error) {
	chosen := map[models.BreakdownPair]bool{}
	for _, s := range raw {
		dim, val, _ := strings.Cut(strings.TrimSpace(s), "=")
		p, ok := findValue(dims, strings.TrimSpace(dim), strings.TrimSpace(val))
		if !ok {
			return nil, failure(fiber.StatusBadRequest, "explorer.unknown_value", s)
		}
		chosen[p] = true
	}
	return chosen, nil
}

func findValue(dims []models.Dimension, dim, val string) (models.BreakdownPair, bool) {
	for _, d := range dims {
		if !strings.EqualFold(d.Code, dim) {
			continue
		}
		for _, v := range d.Values {
			if strings.EqualFold(v.Code, val) {
				return models.BreakdownPair{Dimension: d.Code, Value: v.Code}, true
			}
		}
	}
	return models.BreakdownPair{}, false
}

// chosenParts groups the breakdown values by breakdown and keeps those
// whose every pair is chosen, in the order of the dimensions and values.
// Each part's values are in period order, oldest first.
func chosenParts(l *dimensionLabels, values []models.BreakdownValue, chosen map[models.BreakdownPair]bool) []breakdownPart {
	byKey := map[string]*breakdownPart{}
	pairsOf := map[string][]models.BreakdownPair{}
	var keys []string
	for _, v := range values {
		part, seen := byKey[v.Breakdown]
		if !seen {
			pairs, err := models.ParseBreakdown(v.Breakdown)
			if err != nil || len(pairs) == 0 || !allChosen(pairs, chosen) {
				byKey[v.Breakdown] = nil
				continue
			}
			part = &breakdownPart{Key: v.Breakdown, Label: l.label(pairs)}
			byKey[v.Breakdown], pairsOf[v.Breakdown] = part, pairs
			keys = append(keys, v.Breakdown)
		}
		if part != nil {
			part.Values = append(part.Values, v.Observation())
		}
	}
	slices.SortFunc(keys, func(a, b string) int { return l.compare(pairsOf[a], pairsOf[b]) })
	out := make([]breakdownPart, len(keys))
	for i, k := range keys {
		out[i] = *byKey[k]
		models.SortObservations(out[i].Values)
	}
	return out
}

func allChosen(pairs []models.BreakdownPair, chosen map[models.BreakdownPair]bool) bool {
	for _, p := range pairs {
		if !chosen[p] {
			return false
		}
	}
	return true
}

// newExplorer lists, per dimension, the values the unit has data for and
// the values ticked, ticked or not.
func newExplorer(p *Page, l *dimensionLabels, values []models.BreakdownValue, chosen map[models.BreakdownPair]bool) *breakdownExplorer {
	present := map[models.BreakdownPair]bool{}
	for k := range chosen {
		present[k] = true
	}
	for _, v := range values {
		pairs, _ := models.ParseBreakdown(v.Breakdown)
		for _, pr := range pairs {
			present[pr] = true
		}
	}
	e := &breakdownExplorer{Page: p, Chosen: len(chosen)}
	for _, d := range l.dims {
		ed := explorerDimension{ID: "bd-" + d.Code, Label: name(l.lang, d.NameVI, d.NameEN)}
		for _, v := range d.Values {
			k := models.BreakdownPair{Dimension: d.Code, Value: v.Code}
			if !present[k] {
				continue
			}
			param := d.Code + "=" + v.Code
			ed.Values = append(ed.Values, explorerValue{ID: "bd-" + d.Code + "-" + v.Code, Param: param,
				Label: name(l.lang, v.NameVI, v.NameEN), Lang: nameLang(l.lang, v.NameVI, v.NameEN), Chosen: chosen[k]})
			if chosen[k] {
				ed.Chosen++
				e.Params = append(e.Params, param)
			}
		}
		if len(ed.Values) > 0 {
			e.Dimensions = append(e.Dimensions, ed)
		}
	}
	slices.Sort(e.Params)
	return e
}

// keep adds the parameters the explorer's form carries along unchanged.
func (e *breakdownExplorer) keep(kv ...string) {
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] != "" {
			e.Keep = append(e.Keep, struct{ Name, Value string }{kv[i], kv[i+1]})
		}
	}
}

// withChosen is u with the ticked values added to its query.
func (e *breakdownExplorer) withChosen(u string) string {
	if e == nil || len(e.Params) == 0 {
		return u
	}
	q := url.Values{explorerParam: e.Params}
	sep := "?"
	if strings.Contains(u, "?") {
		sep = "&"
	}
	return u + sep + q.Encode()
}

// partSeries are the parts as chart lines, one value per year.
func partSeries(parts []breakdownPart) []charts.Series {
	out := make([]charts.Series, len(parts))
	for i, pt := range parts {
		out[i] = charts.Series{Name: pt.Label, Values: models.AnnualSeries(pt.Values)}
	}
	return out
}

// explore reads the explorer's choice for the indicator in the unit: the
// explorer's form (nil when the unit has no breakdown of the indicator)
// and the breakdowns chosen. action is the page the form goes to.
func (h *Handler) explore(c *fiber.Ctx, p *Page, ind models.Indicator, unit models.Unit, action string) (*breakdownExplorer, []breakdownPart, *dimensionLabels, error) {
	dims, values, err := h.breakdownData(ind, unit)
	if err != nil {
		return nil, nil, nil, err
	}
	var raw []string
	for _, v := range c.Request().URI().QueryArgs().PeekMulti("bd") {
		raw = append(raw, string(v))
	}
	chosen, err := readChosen(raw, dims)
	if err != nil {
		return nil, nil, nil, err
	}
	l := newDimensionLabels(p.Lang, dims)
	parts := chosenParts(l, values, chosen)
	e := newExplorer(p, l, values, chosen)
	if len(e.Dimensions) == 0 {
		return nil, nil, l, nil
	}
	e.Shown, e.Action = len(parts), action
	return e, parts, l, nil
}

// valueRows are the values of the total and of each part, latest period
// first, the total before its parts within a period.
func valueRows(p *Page, ind models.Indicator, total []models.Observation, parts []breakdownPart, withColumn bool) []valueRow {
	series := append([]breakdownPart{{Label: p.T("explorer.total"), Values: total}}, parts...)
	byPeriod := make([]map[string]models.Observation, len(series))
	var periods []models.Observation
	seen := map[string]bool{}
	for i, s := range series {
		byPeriod[i] = map[string]models.Observation{}
		for _, o := range s.Values {
			byPeriod[i][o.Period] = o
			if !seen[o.Period] {
				seen[o.Period] = true
				periods = append(periods, models.Observation{Period: o.Period})
			}
		}
	}
	models.SortObservations(periods)
	var rows []valueRow
	for i := len(periods) - 1; i >= 0; i-- {
		for j, s := range series {
			o, ok := byPeriod[j][periods[i].Period]
			if !ok {
				continue
			}
			r := valueRow{Period: o.Period, Value: formatValue(p.Lang, o.Value, ind), Note: o.Note, Source: o.Source, Demo: o.Demo}
			if withColumn {
				r.Breakdown = s.Label
			}
			rows = append(rows, r)
		}
	}
	return rows
}

// breakdownData is the indicator's dimensions, each with its values, and
// the unit's breakdown values of the indicator.
func (h *Handler) breakdownData(ind models.Indicator, unit models.Unit) ([]models.Dimension, []models.BreakdownValue, error) {
	dims, err := h.store.IndicatorDimensions(ind.ID)
	if err != nil || len(dims) == 0 {
		return nil, nil, err
	}
	values, err := h.store.BreakdownValues(ind.ID, unit.ID, "")
	return dims, values, err
}

// partsAlt adds the breakdowns drawn to a chart's text alternative.
func partsAlt(p *Page, parts []breakdownPart) string {
	if len(parts) == 0 {
		return ""
	}
	names := make([]string, len(parts))
	for i, pt := range parts {
		names[i] = pt.Label
	}
	return " " + p.T("explorer.chart_parts", strings.Join(names, "; "))
}

// pageLang is the language to carry in a form, "" for the default one.
func pageLang(p *Page) string {
	if p.Lang == locale.Default {
		return ""
	}
	return p.Lang
}

// breakdownOptions are the breakdowns the indicator holds in any unit, to
// rank units on one (the first option is the total), and the one asked for
// (canonical, "" the total) with its name. A breakdown the indicator does
// not hold is refused.
func (h *Handler) breakdownOptions(p *Page, ind models.Indicator, asked string) ([]indicatorOption, string, string, error) {
	dims, err := h.store.IndicatorDimensions(ind.ID)
	if err != nil {
		return nil, "", "", err
	}
	held, err := h.store.HeldBreakdowns(ind.ID)
	if err != nil {
		return nil, "", "", err
	}
	l := newDimensionLabels(p.Lang, dims)
	pairsOf := map[string][]models.BreakdownPair{}
	for _, b := range held {
		if pairs, err := models.ParseBreakdown(b); err == nil && len(pairs) > 0 {
			pairsOf[b] = pairs
		}
	}
	keys := slices.Collect(maps.Keys(pairsOf))
	slices.SortFunc(keys, func(a, b string) int { return l.compare(pairsOf[a], pairsOf[b]) })
	want, err := models.CanonicalBreakdown(asked)
	found := want == ""
	var opts []indicatorOption
	if len(keys) > 0 {
		opts = append(opts, indicatorOption{Code: "", Name: p.T("explorer.total"), Selected: want == ""})
	}
	var label string
	for _, k := range keys {
		o := indicatorOption{Code: k, Name: l.label(pairsOf[k]), Selected: err == nil && strings.EqualFold(k, want)}
		if o.Selected {
			found, want, label = true, k, o.Name
		}
		opts = append(opts, o)
	}
	if err != nil || !found {
		return nil, "", "", failure(fiber.StatusBadRequest, "compare_part.unknown", asked)
	}
	return opts, label, want, nil
}

// latestPart is the unit's latest value of exactly the breakdown, nil when
// it has none.
func (h *Handler) latestPart(ind models.Indicator, unit models.Unit, breakdown string) (*models.Observation, error) {
	vals, err := h.store.BreakdownValues(ind.ID, unit.ID, breakdown)
	if err != nil {
		return nil, err
	}
	var obs []models.Observation
	for _, b := range vals {
		if b.Breakdown == breakdown {
			obs = append(obs, b.Observation())
		}
	}
	if len(obs) == 0 {
		return nil, nil
	}
	models.SortObservations(obs)
	return &obs[len(obs)-1], nil
}

// explorerURL is u with the explorer showing the breakdown: its values
// ticked.
func explorerURL(u, breakdown string) string {
	pairs, _ := models.ParseBreakdown(breakdown)
	e := &breakdownExplorer{}
	for _, p := range pairs {
		e.Params = append(e.Params, p.Dimension+"="+p.Value)
	}
	return e.withChosen(u)
}

// partStatus is the status of a breakdown assessed beside the total.
type partStatus struct {
	Label, StatusLabel, Current string
	Status                      models.Status
}

// partStatuses are the breakdowns assessed beside one total, in words.
func partStatuses(p *Page, l *dimensionLabels, assessed []models.BreakdownProgress) []partStatus {
	var out []partStatus
	for _, b := range assessed {
		pairs, _ := models.ParseBreakdown(b.Breakdown)
		ps := partStatus{Label: l.label(pairs), Status: b.Class(), StatusLabel: p.T(b.Words()), Current: p.T("common.none")}
		if o := b.Latest(); o != nil {
			ps.Current = formatValue(p.Lang, o.Value, b.Indicator) + " (" + o.Period + ")"
		}
		out = append(out, ps)
	}
	return out
}

// sumWarnings say, for each stored total whose parts do not add up to it,
// by what the parts are broken down and how far apart the two are.
func sumWarnings(p *Page, l *dimensionLabels, ind models.Indicator, mismatches []models.SumMismatch) []string {
	var out []string
	for _, m := range mismatches {
		var dims []string
		for _, code := range strings.Split(m.Dimensions, ";") {
			dims = append(dims, l.dimensionName(code))
		}
		out = append(out, p.T("explorer.sum_mismatch", m.Period, strings.Join(dims, " × "),
			formatValue(p.Lang, m.Sum, ind), formatValue(p.Lang, m.Total, ind)))
	}
	return out
}

// dimensionName is a dimension's name, its code when unknown.
func (l *dimensionLabels) dimensionName(code string) string {
	for _, d := range l.dims {
		if d.Code == code {
			return name(l.lang, d.NameVI, d.NameEN)
		}
	}
	return code
}

// nameLang is "vi" where a page in another language shows a name that is
// the same in both (an ethnic group's, Tày), so it is read as Vietnamese.
func nameLang(lang, vi, en string) string {
	if lang != locale.Default && vi == en {
		return locale.Default
	}
	return ""
}
