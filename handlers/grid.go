package handlers

import (
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"tiendo/locale"
	"tiendo/models"
)

// maxGridPeriods bounds the columns of the grid, so a page stays usable.
const maxGridPeriods = 36

type gridCell struct {
	Name, Value, Err string
	Stored           string // the stored value as shown, "" when none: the script marks changes against it
	Demo             bool
}

type gridRow struct {
	Unit     models.Unit
	Name     string
	Depth    int
	Cells    []gridCell
	ValueURL string
}

type gridData struct {
	Indicator    models.Indicator
	Name         string
	Periods      []string
	Rows         []gridRow
	From, To     string
	Hint         string
	Form         *form
	ErrorCount   int
	IndicatorURL string
	Picker       *breakdownPicker // nil when the indicator has no breakdowns
	Breakdown    string           // the breakdown entered, in words ("" the total)
	Keep         []struct{ Name, Value string }
}

// currentPeriod is the period of freq that contains t.
func currentPeriod(freq string, t time.Time) models.Period { return models.PeriodAt(freq, t) }

// step moves a period by n of its own frequency.
func step(p models.Period, n int) models.Period { return p.Step(n) }

// defaultSpan is how many recent periods the grid shows at first.
var defaultSpan = map[string]int{models.FrequencyYear: 6, models.FrequencyQuarter: 8, models.FrequencyMonth: 12}

// gridPeriods reads the range ?from=&to= (periods of the indicator's
// frequency, never in the future), defaulting to the recent periods.
func gridPeriods(ind models.Indicator, from, to string, now time.Time) ([]string, error) {
	last := currentPeriod(ind.Frequency, now)
	first := step(last, 1-defaultSpan[ind.Frequency])
	for _, r := range []struct {
		s   string
		dst *models.Period
	}{{from, &first}, {to, &last}} {
		if r.s == "" {
			continue
		}
		p, err := models.ParsePeriod(r.s)
		if err != nil || p.Frequency() != ind.Frequency {
			return nil, failure(fiber.StatusBadRequest, "error.bad_range", r.s)
		}
		*r.dst = p
	}
	if !last.Started(now) {
		last = currentPeriod(ind.Frequency, now)
	}
	var out []string
	for p := first; !last.End().Before(p.End()); p = step(p, 1) {
		out = append(out, p.String())
		if len(out) > maxGridPeriods {
			return nil, failure(fiber.StatusBadRequest, "error.range_too_long", maxGridPeriods)
		}
	}
	if len(out) == 0 {
		return nil, failure(fiber.StatusBadRequest, "error.bad_range", from+" – "+to)
	}
	return out, nil
}

func cellName(unit, period string) string { return "v|" + unit + "|" + period }

// gridPage shows the data-entry grid: the units of the user's scope by the
// periods of the range.
func (h *Handler) gridPage(c *fiber.Ctx) error {
	ind, err := h.indicatorParam(c)
	if err != nil {
		return err
	}
	f := newForm(h.lang(c))
	f.Vals["from"], f.Vals["to"] = c.Query("from"), c.Query("to")
	g, err := h.loadGrid(c, ind, f, func(k string) string { return c.Query(k) })
	if err != nil {
		return err
	}
	return h.renderGrid(c, fiber.StatusOK, ind, g, f)
}

// gridSource is what a grid covers: its periods, the units of the user's
// scope, the breakdown entered ("" the total) and the values stored for
// them by unit ID and period.
type gridSource struct {
	periods   []string
	scope     []models.TreeUnit
	dims      []models.Dimension
	breakdown string
	stored    map[uint]map[string]models.Observation
}

// loadGrid reads the range of the form, the breakdown its picker names
// (field reads one of its fields) and what the grid of ind covers.
func (h *Handler) loadGrid(c *fiber.Ctx, ind *models.Indicator, f *form, field func(string) string) (*gridSource, error) {
	periods, err := gridPeriods(*ind, f.V("from"), f.V("to"), h.store.Now())
	if err != nil {
		return nil, err
	}
	scope, err := h.store.ScopeUnits(currentUser(c))
	if err != nil {
		return nil, err
	}
	dims, err := h.store.IndicatorDimensions(ind.ID)
	if err != nil {
		return nil, err
	}
	breakdown := pickedBreakdown(dims, field)
	stored, err := h.storedValues(*ind, breakdown)
	if err != nil {
		return nil, err
	}
	return &gridSource{periods: periods, scope: scope, dims: dims, breakdown: breakdown, stored: stored}, nil
}

func (h *Handler) renderGrid(c *fiber.Ctx, status int, ind *models.Indicator, g *gridSource, f *form) error {
	p := h.page(c, "")
	periods, stored := g.periods, g.stored
	f.translate(h.cat)
	d := gridData{Indicator: *ind, Name: name(p.Lang, ind.NameVI, ind.NameEN), Periods: periods, Form: f,
		From: periods[0], To: periods[len(periods)-1], Hint: h.valueHint(p.Lang, *ind),
		IndicatorURL: p.URL("/indicators/" + ind.Code)}
	p.Title = p.T("grid.title", d.Name)
	d.Picker = newPicker(p, g.dims, g.breakdown, "")
	fields := pickerFields(g.breakdown)
	for i := 0; i+1 < len(fields); i += 2 {
		d.Keep = append(d.Keep, struct{ Name, Value string }{fields[i], fields[i+1]})
	}
	if pairs, err := models.ParseBreakdown(g.breakdown); err == nil && len(pairs) > 0 {
		d.Breakdown = newDimensionLabels(p.Lang, g.dims).label(pairs)
	}
	for _, u := range g.scope {
		row := gridRow{Unit: u.Unit, Name: name(p.Lang, u.NameVI, u.NameEN), Depth: u.Depth,
			ValueURL: p.URL("/edit/indicators/"+ind.Code+"/value", append([]string{"unit", u.Code}, fields...)...)}
		for _, per := range periods {
			cell := gridCell{Name: cellName(u.Code, per)}
			if o, ok := stored[u.ID][per]; ok {
				cell.Stored, cell.Demo = locale.NumberAuto(p.Lang, o.Value, 6), o.Demo
			}
			cell.Value = cell.Stored
			if v, typed := f.Vals[cell.Name]; typed {
				cell.Value = v
			}
			cell.Err = f.E(cell.Name + "|value")
			if cell.Err == "" {
				cell.Err = f.E(cell.Name + "|period")
			}
			if cell.Err == "" {
				cell.Err = f.E(cell.Name + "|breakdown")
			}
			if cell.Err != "" {
				d.ErrorCount++
			}
			row.Cells = append(row.Cells, cell)
		}
		d.Rows = append(d.Rows, row)
	}
	p.Data = d
	return h.render(c, status, layoutApp, "grid", p)
}

// valueHint tells what a value of the indicator may be, beside the inputs.
func (h *Handler) valueHint(lang string, ind models.Indicator) string {
	example := locale.Number(lang, 12.5, 1)
	if ind.Measure == "%" {
		hi := 100.0
		if ind.Limit != nil {
			hi = *ind.Limit
		}
		return h.cat.T(lang, "grid.hint_percent", example, locale.NumberAuto(lang, hi, 2))
	}
	return h.cat.T(lang, "grid.hint", example, ind.MeasureName(lang))
}

// saveGrid stores every changed cell of the grid in one transaction. Every
// cell is checked first; if any is refused, nothing is stored and the grid
// comes back as typed, each problem beside its cell.
func (h *Handler) saveGrid(c *fiber.Ctx) error {
	ind, err := h.indicatorParam(c)
	if err != nil {
		return err
	}
	f := readForm(c, h.lang(c), "from", "to", "note", "source")
	g, err := h.loadGrid(c, ind, f, func(k string) string { return c.FormValue(k) })
	if err != nil {
		return err
	}
	periods := g.periods
	post := c.Request().PostArgs()
	var inputs []models.ObservationInput
	var added, changed int
	var deleted []string // "Quận 4, 2024 (16,3)": what a cleared cell deletes
	for _, u := range g.scope {
		for _, per := range periods {
			cell := cellName(u.Code, per)
			if !post.Has(cell) {
				continue // not on the page the user saw: left alone
			}
			typed := strings.TrimSpace(string(post.Peek(cell)))
			f.Vals[cell] = typed
			old, exists := g.stored[u.ID][per]
			in := models.ObservationInput{Key: cell + "|", Unit: u.Unit, Period: per, Breakdown: g.breakdown}
			if !old.Demo { // a real value replacing demo data must not inherit its "made-up" note
				in.Note, in.Source = old.Note, old.Source
			}
			if typed == "" {
				if exists {
					inputs = append(inputs, in)
					deleted = append(deleted, name(f.lang, u.NameVI, u.NameEN)+", "+per+" ("+locale.NumberAuto(f.lang, old.Value, 6)+")")
				}
				continue
			}
			v := gridNumber(f, cell+"|value", typed)
			if v == nil || (exists && old.Value == *v) {
				continue
			}
			if exists {
				changed++
			} else {
				added++
			}
			in.Value = v
			if f.V("note") != "" {
				in.Note = f.V("note")
			}
			if f.V("source") != "" {
				in.Source = f.V("source")
			}
			inputs = append(inputs, in)
		}
	}
	for i := range inputs {
		// Every cell's problems at once, even when another cell was unreadable.
		h.store.ValidateObservation(*ind, &inputs[i], f.prob)
	}
	// A cleared cell deletes a stored value (a typo fix once deleted one):
	// only when the user confirmed it (the script asks; without it, a box).
	if len(deleted) > 0 && c.FormValue("confirm_delete") == "" {
		f.prob.Add("confirm_delete", "grid.delete_unconfirmed", len(deleted), strings.Join(deleted, "; "))
	}
	if !f.Failed() {
		err := h.store.SaveObservations(actor(c, models.ViaGrid), *ind, inputs)
		if err == nil {
			to := addQuery(withLang(c, codePath("/edit/indicators", ind.Code, "grid")),
				append([]string{"from", periods[0], "to", periods[len(periods)-1]}, pickerFields(g.breakdown)...)...)
			if len(inputs) == 0 {
				return h.done(c, to, "grid.saved_nothing")
			}
			return h.done(c, to, "grid.saved_summary", len(inputs), added, changed, len(deleted))
		}
		if !f.absorb(err) {
			return err
		}
	}
	return h.renderGrid(c, fiber.StatusUnprocessableEntity, ind, g, f)
}

// gridNumber reads a cell typed, or pasted from a spreadsheet, in the page's
// notation or else in the other one (a block copied from a machine-form
// file on a Vietnamese page: 16.3). Where both readings work, such as
// 1.234, the page's wins.
func gridNumber(f *form, field, s string) *float64 {
	if v, err := locale.ParseNumber(f.lang, s); err == nil {
		return &v
	}
	for _, other := range locale.Languages {
		if v, err := locale.ParseNumber(other, s); other != f.lang && err == nil {
			return &v
		}
	}
	f.prob.Add(field, "error.number")
	return nil
}
