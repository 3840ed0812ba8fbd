package handlers

import (
	"cmp"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"tiendo/importer"
	"tiendo/locale"
	"tiendo/models"
)

// defaultUploadBytes is the most an upload may weigh unless
// -upload-max-bytes says otherwise; the app's body limit follows it, and
// anything larger gets the import.too_large message.
const defaultUploadBytes = 32 << 20

// uploadMaxBytes and uploadMaxRows are the limits of one upload.
func (h *Handler) uploadMaxBytes() int64 {
	if h.cfg.UploadMaxBytes > 0 {
		return h.cfg.UploadMaxBytes
	}
	return defaultUploadBytes
}

func (h *Handler) uploadMaxRows() int {
	if h.cfg.UploadMaxRows > 0 {
		return h.cfg.UploadMaxRows
	}
	return importer.MaxRows
}

// tooLarge refuses an upload over the byte limit, naming the setting.
func (h *Handler) tooLarge() error {
	return failure(fiber.StatusRequestEntityTooLarge, "import.too_large", megabytes(h.uploadMaxBytes()))
}

// uploadOptions sets the upload's limits: its rows, and what a
// spreadsheet may unzip to.
func (h *Handler) uploadOptions(popt importer.ParseOptions) importer.ParseOptions {
	popt.MaxRows, popt.MaxUnzipped = h.uploadMaxRows(), importer.MaxUnzipped
	return popt
}

// megabytes shows a limit in MB, rounded up so it never reads as 0.
func megabytes(n int64) int64 { return (n + 1<<20 - 1) >> 20 }

// maxPending is how many previewed uploads are kept at once; together they
// may weigh two full uploads.
const maxPending = 16

// pendingImports keeps uploaded files between the preview and the commit,
// for half an hour, so the user does not upload them twice.
type pendingImports struct {
	mu    sync.Mutex
	files map[string]pendingImport
}

type pendingImport struct {
	files []importer.File
	at    time.Time
}

func (p *pendingImports) put(files []importer.File, maxBytes int) string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	token := hex.EncodeToString(b)
	p.mu.Lock()
	defer p.mu.Unlock()
	for k, v := range p.files {
		if time.Since(v.at) > 30*time.Minute {
			delete(p.files, k)
		}
	}
	// A bound on memory: at most maxPending uploads, of maxBytes together,
	// wait for their commit; the oldest go first.
	size := filesSize(files)
	for len(p.files) > 0 && (len(p.files) >= maxPending || p.bytes()+size > maxBytes) {
		p.dropOldest()
	}
	p.files[token] = pendingImport{files: files, at: time.Now()}
	return token
}

func filesSize(files []importer.File) int {
	n := 0
	for _, f := range files {
		n += len(f.Data) + len(f.Name)
	}
	return n
}

// bytes is what the waiting uploads weigh; the caller holds p.mu.
func (p *pendingImports) bytes() int {
	n := 0
	for _, v := range p.files {
		n += filesSize(v.files)
	}
	return n
}

// dropOldest forgets the oldest waiting upload; the caller holds p.mu.
func (p *pendingImports) dropOldest() {
	oldest, oldestAt := "", time.Time{}
	for k, v := range p.files {
		if oldest == "" || v.at.Before(oldestAt) {
			oldest, oldestAt = k, v.at
		}
	}
	delete(p.files, oldest)
}

// Bytes is what the previewed uploads waiting for their commit weigh.
func (p *pendingImports) Bytes() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.bytes()
}

func (p *pendingImports) take(token string) ([]importer.File, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	v, ok := p.files[token]
	if ok {
		delete(p.files, token)
	}
	return v.files, ok && time.Since(v.at) <= 30*time.Minute
}

// importForm is what the user chose, kept when the page is shown again.
type importForm struct {
	Format, Unit, Missing string
	Indicator             string // of files that name none, as --indicator
	Map                   string // "name,unit_code" lines, as --map
	Direction             string // of indicators created whose file does not say
	SkipInvalid           bool
	AllowEmpty            bool // commit a file with nothing to import, as --allow-empty
	Token                 string
}

type problemView struct {
	File, Column, Message string
	Row                   int
}

type importData struct {
	Form       importForm
	Formats    []string
	Units      []unitOption
	Indicators []unitOption
	LimitMB    int
	Plan       *importer.Plan
	Problems   []problemView
	Notes      []problemView
	Error      string
	Notice     string
	Committed  bool
	Message    string
	Totals     echoTotals // of the lists in Plan, which holds only their first entries
	Sample     []sampleView
}

func (h *Handler) readForm(c *fiber.Ctx) importForm {
	return importForm{Format: c.FormValue("format"), Unit: c.FormValue("unit"), Missing: c.FormValue("missing"),
		SkipInvalid: c.FormValue("skip_invalid") != "", Token: c.FormValue("token"), Direction: c.FormValue("direction"),
		Indicator: strings.TrimSpace(c.FormValue("indicator")), Map: c.FormValue("map"), AllowEmpty: c.FormValue("allow_empty") != ""}
}

// options are the choices of the form as the importer takes them; a
// mapping table that cannot be read is the user's error.
func (f importForm) options() (importer.ParseOptions, importer.Options, error) {
	missing := ""
	if f.Missing == importer.MissingCreate || f.Missing == importer.MissingSkip {
		missing = f.Missing
	}
	dir := ""
	if f.Direction == string(models.DirectionHigher) || f.Direction == string(models.DirectionLower) {
		dir = f.Direction
	}
	var names map[string]string
	if strings.TrimSpace(f.Map) != "" {
		var err error
		if names, err = importer.ReadUnitMap(strings.NewReader(f.Map)); err != nil {
			var bad importer.MapLineError
			errors.As(err, &bad)
			return importer.ParseOptions{}, importer.Options{}, failure(fiber.StatusUnprocessableEntity, importer.MapLineKey, bad.Line)
		}
	}
	names, breakdowns := importer.SplitMap(names)
	return importer.ParseOptions{Format: f.Format, Indicator: f.Indicator},
		importer.Options{Unit: f.Unit, Missing: missing, SkipInvalid: f.SkipInvalid, Direction: dir, UnitNames: names, Breakdowns: breakdowns,
			AllowEmpty: f.AllowEmpty}, nil
}

// uploadedFiles reads the files of a multipart form.
func (h *Handler) uploadedFiles(c *fiber.Ctx) ([]importer.File, error) {
	form, err := c.MultipartForm()
	if err != nil {
		return nil, failure(fiber.StatusBadRequest, "import.no_file")
	}
	var files []importer.File
	total := int64(0)
	for _, fh := range form.File["file"] {
		total += fh.Size
		if total > h.uploadMaxBytes() {
			return nil, h.tooLarge()
		}
		f, err := fh.Open()
		if err != nil {
			return nil, err
		}
		data, err := io.ReadAll(f)
		f.Close()
		if err != nil {
			return nil, err
		}
		files = append(files, importer.File{Name: fh.Filename, Data: data})
	}
	if len(files) == 0 {
		return nil, failure(fiber.StatusBadRequest, "import.no_file")
	}
	return files, nil
}

func (h *Handler) importPage(c *fiber.Ctx, status int, d importData) error {
	p := h.page(c, h.cat.T(h.lang(c), "import.title"))
	units, err := h.store.Units()
	if err != nil {
		return err
	}
	for _, u := range units {
		d.Units = append(d.Units, unitOption{Code: u.Code, Name: name(p.Lang, u.NameVI, u.NameEN), Selected: u.Code == d.Form.Unit})
	}
	inds, err := h.store.Indicators()
	if err != nil {
		return err
	}
	for _, ind := range inds {
		d.Indicators = append(d.Indicators, unitOption{Code: ind.Code, Name: name(p.Lang, ind.NameVI, ind.NameEN), Selected: ind.Code == d.Form.Indicator})
	}
	d.Formats, d.LimitMB = importer.Formats, int(megabytes(h.uploadMaxBytes()))
	if d.Plan != nil {
		if d.Sample, err = h.sampleViews(p, d.Plan, units); err != nil {
			return err
		}
		d.Plan, d.Totals = echoPlan(d.Plan)
		d.Problems, d.Notes = h.problemViews(p.Lang, d.Plan.Problems), h.problemViews(p.Lang, d.Plan.Notes)
	}
	p.Data = d
	return h.render(c, status, layoutApp, "import", p)
}

// sampleView is one value of the preview as it will be stored, in words.
type sampleView struct {
	Indicator, IndicatorCode, Unit, UnitCode, Period, Breakdown, Value, Note, Change string
}

// sampleViews are the first values the import will store, with names for
// codes and numbers in the page's format.
func (h *Handler) sampleViews(p *Page, plan *importer.Plan, units []models.Unit) ([]sampleView, error) {
	sample := plan.Sample(importer.SampleSize)
	if len(sample) == 0 {
		return nil, nil
	}
	inds, err := h.store.Indicators()
	if err != nil {
		return nil, err
	}
	indNames, unitNames := map[string]string{}, map[string]string{}
	for _, ind := range inds {
		indNames[ind.Code] = name(p.Lang, ind.NameVI, ind.NameEN)
	}
	for _, u := range units {
		unitNames[u.Code] = name(p.Lang, u.NameVI, u.NameEN)
	}
	out := make([]sampleView, len(sample))
	for i, r := range sample {
		out[i] = sampleView{Indicator: cmp.Or(indNames[r.Indicator], r.Indicator), IndicatorCode: r.Indicator,
			Unit: cmp.Or(unitNames[r.Unit], r.Unit), UnitCode: r.Unit, Period: r.Period, Breakdown: r.Breakdown,
			Value: locale.NumberAuto(p.Lang, r.Value, 6), Note: r.Note, Change: p.T("import." + r.Change)}
	}
	return out, nil
}

func (h *Handler) problemViews(lang string, ps []importer.Problem) []problemView {
	out := make([]problemView, len(ps))
	for i, pr := range ps {
		out[i] = problemView{File: pr.File, Row: pr.Row, Column: pr.Column, Message: h.cat.T(lang, pr.Key, pr.Args...)}
	}
	return out
}

// importShow shows the upload form.
func (h *Handler) importShow(c *fiber.Ctx) error {
	return h.importPage(c, fiber.StatusOK, importData{})
}

// importPost previews uploaded files, or commits a previewed upload.
func (h *Handler) importPost(c *fiber.Ctx) error {
	form := h.readForm(c)
	lang := h.lang(c)
	var files []importer.File
	if form.Token != "" {
		var ok bool
		if files, ok = h.imports.take(form.Token); !ok {
			return h.importPage(c, fiber.StatusGone, importData{Form: importForm{Format: form.Format, Unit: form.Unit}, Error: h.cat.T(lang, "import.expired")})
		}
	} else {
		var err error
		if files, err = h.uploadedFiles(c); err != nil {
			var ue *userError
			if errors.As(err, &ue) {
				return h.importPage(c, ue.status, importData{Form: form, Error: h.cat.T(lang, ue.key, ue.args...)})
			}
			return err
		}
	}
	popt, opt, err := form.options()
	if ue := (*userError)(nil); errors.As(err, &ue) {
		return h.importPage(c, ue.status, importData{Form: form, Error: h.cat.T(lang, ue.key, ue.args...)})
	}
	if err := h.importRights(c, &opt); err != nil {
		return err
	}
	plan, err := importer.PreviewFiles(h.store, files, h.uploadOptions(popt), opt)
	if err != nil {
		return err
	}
	d := importData{Form: form, Plan: plan}
	if c.FormValue("commit") == "" || plan.Err() != nil {
		if perr := plan.Err(); perr != nil && c.FormValue("commit") != "" {
			d.Error = h.cat.T(lang, planErrKey(perr))
		}
		if d.Error == "" && plan.Err() != nil {
			d.Notice = h.cat.T(lang, planErrKey(plan.Err()))
		} else if d.Error == "" && plan.Changes() == 0 {
			d.Notice = h.cat.T(lang, "import.nothing_to_do")
		} else if d.Error == "" {
			d.Notice = h.cat.T(lang, "import.preview_notice")
		}
		d.Form.Token = h.imports.put(files, 2*int(h.uploadMaxBytes()))
		return h.importPage(c, fiber.StatusOK, d)
	}
	if err := importer.Commit(h.store, plan, actor(c, models.ViaImport)); err != nil {
		return err
	}
	// Post-redirect-get: reloading the confirmation never imports again.
	return h.done(c, withLang(c, "/import"), "import.committed", plan.Changes())
}

// importRights sets what the signed-in user may change by an import: the
// unit tree only as an admin (a planner who could move a unit under their
// own would widen their scope) and, for a planner scoped to a unit, only
// that unit's subtree and no shared definitions.
func (h *Handler) importRights(c *fiber.Ctx, opt *importer.Options) error {
	u := currentUser(c)
	opt.UnitTree = u != nil && u.Role == models.RoleAdmin
	if u == nil || u.UnitID == nil {
		return nil
	}
	units, err := h.store.ScopeUnits(u)
	if err != nil {
		return err
	}
	opt.Scope = make(map[string]bool, len(units))
	for _, t := range units {
		opt.Scope[t.Code] = true
	}
	return nil
}

func planErrKey(err error) string {
	switch {
	case errors.Is(err, importer.ErrChoice):
		return "import.choose_missing"
	case errors.Is(err, importer.ErrEmpty):
		return "breakdown_import.empty"
	}
	return "import.has_problems"
}

// importTemplate is the CSV template of our own format, with one example
// row of each kind.
func (h *Handler) importTemplate(c *fiber.Ctx) error {
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, attachment("tiendo-template.csv"))
	// Each example row by column name, so the template follows OwnColumns.
	row := func(kv ...string) string {
		cells := make([]string, len(importer.OwnColumns))
		for i, col := range importer.OwnColumns {
			for j := 0; j+1 < len(kv); j += 2 {
				if kv[j] == col {
					cells[i] = kv[j+1]
				}
			}
		}
		return strings.Join(cells, ",")
	}
	rows := []string{"\ufeff" + strings.Join(importer.OwnColumns, ","),
		row("record", "unit", "unit", "VN-51-TV", "unit_vi", "Thành phố Trà Vinh", "unit_en", "Tra Vinh City", "level", "city", "parent", "VN-51"),
		row("record", "indicator", "pillar", "poverty-reduction", "indicator", "poor-households-rate", "indicator_vi", "Tỷ lệ hộ nghèo",
			"indicator_en", "Poor household rate", "measure", "%", "direction", "lower", "limit", "100", "decimals", "1", "frequency", "year",
			"measure_vi", "%", "measure_en", "%", "agency_vi", "Sở LĐTBXH", "agency_en", "Department of Labour"),
		row("record", "target", "indicator", "poor-households-rate", "unit", "VN-51", "period", "2025", "comparator", "at_most",
			"value", "1.5", "baseline_year", "2020", "baseline_value", "3.2", "source", "Nghị quyết …"),
		row("record", "observation", "indicator", "poor-households-rate", "unit", "VN-51", "period", "2024", "value", "2.1",
			"note", "sơ bộ; số viết dạng máy: dấu chấm thập phân và không phân cách hàng nghìn (1234.5) / machine form: decimal point and no thousands separator", "source", "Sở LĐTBXH"),
	}
	return c.SendString(strings.Join(rows, "\r\n") + "\r\n")
}

// apiImport previews and, unless ?dry_run=1 or something stops it,
// commits: POST /api/v1/import (multipart "file" fields; format, unit,
// missing=create|skip, skip_invalid=1).
func (h *Handler) apiImport(c *fiber.Ctx) error {
	files, err := h.uploadedFiles(c)
	if err != nil {
		return err
	}
	popt, opt, err := h.readForm(c).options()
	if err != nil {
		return err
	}
	if err := h.importRights(c, &opt); err != nil {
		return err
	}
	plan, err := importer.PreviewFiles(h.store, files, h.uploadOptions(popt), opt)
	if err != nil {
		return err
	}
	lang := h.lang(c)
	shown, totals := echoPlan(plan)
	out := fiber.Map{"plan": shown, "problems": h.problemViews(lang, shown.Problems), "committed": false,
		"problems_total": totals.Problems, "notes_total": totals.Notes,
		"missing_units_total": totals.MissingUnits, "missing_indicators_total": totals.MissingIndicators,
		"sample": plan.Sample(importer.SampleSize)}
	if perr := plan.Err(); perr != nil {
		out["error"] = h.cat.T(lang, planErrKey(perr))
		return c.Status(fiber.StatusUnprocessableEntity).JSON(out)
	}
	if c.FormValue("dry_run") != "" {
		return c.JSON(out)
	}
	if err := importer.Commit(h.store, plan, actor(c, models.ViaImport)); err != nil {
		return err
	}
	out["committed"] = true
	return c.JSON(out)
}
