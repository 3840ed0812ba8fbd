package handlers

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"tiendo/importer"
	"tiendo/models"
	"tiendo/reports"
)

// apiDoc documents one /api/v1 route. Every /api/v1 route of Routes() has
// exactly one entry in apiDocs (TestOpenAPICoversEveryRoute fails otherwise):
// adding a route's documentation is adding one entry there. Request and
// response schemas are read from the Go types given, so they cannot drift
// from what the handlers encode; the example is replayed by the test
// against the seeded data and its answer validated against the document.
type apiDoc struct {
	Summary string
	Tag     string
	Params  []apiParam
	Body    any // a value of the JSON request body's type; nil: no body
	// Multipart names the form fields of a multipart request ("file" is a file).
	Multipart []string
	Status    int      // the success status
	Response  any      // a value of the JSON answer's type; nil: no content
	Files     []string // content types of a file answer, instead of JSON
	// Example is a request on the seeded data: its path's and query's values
	// are the parameters' examples; BodyExample its body.
	BodyExample any
}

// apiParam is a path or query parameter.
type apiParam struct {
	Name, In, Type, Description, Example string
	Required                             bool
}

func pathParam(name, description, example string) apiParam {
	return apiParam{Name: name, In: "path", Type: "string", Description: description, Example: example, Required: true}
}

func query(name, typ, description, example string) apiParam {
	return apiParam{Name: name, In: "query", Type: typ, Description: description, Example: example}
}

// Answers of handlers that build them inline, named here for their schema.
type (
	tokenAnswer struct {
		Token string      `json:"token"`
		User  string      `json:"user"`
		Role  models.Role `json:"role"`
		// ReadOnly: the token may only read, whatever the user's role.
		ReadOnly bool `json:"read_only"`
	}
	meAnswer struct {
		Username     string      `json:"username"`
		Role         models.Role `json:"role"`
		Unit         *string     `json:"unit"`
		SignedInWith string      `json:"signed_in_with"`
		Email        string      `json:"email"`
		Lang         string      `json:"lang"`
		MailOff      bool        `json:"mail_off"`
	}
	auditAnswer struct {
		Entries  []models.AuditEntry `json:"entries"`
		Total    int64               `json:"total"`
		Page     int                 `json:"page"`
		PageSize int                 `json:"page_size"`
	}
	importAnswer struct {
		Plan                   importer.Plan `json:"plan"` // its lists cut at the first problems; the totals count them all
		Problems               []problemView `json:"problems"`
		Committed              bool          `json:"committed"`
		Error                  string        `json:"error,omitempty"`
		ProblemsTotal          int           `json:"problems_total"`
		NotesTotal             int           `json:"notes_total"`
		MissingUnitsTotal      int           `json:"missing_units_total"`
		MissingIndicatorsTotal int           `json:"missing_indicators_total"`
	}
	observationAnswer struct {
		Indicator string  `json:"indicator"`
		Unit      string  `json:"unit"`
		Period    string  `json:"period"`
		Value     float64 `json:"value"`
		Note      string  `json:"note"`
		Source    string  `json:"source"`
		Breakdown string  `json:"breakdown"`
	}
	apiErrorAnswer struct {
		Error     string            `json:"error"`
		Status    int               `json:"status"`
		Fields    map[string]string `json:"fields,omitempty"`
		RequestID string            `json:"request_id,omitempty"`
	}
)

// Parameters several routes share.
var (
	unitQuery      = query("unit", "string", "unit code", "VN-SG")
	yearQuery      = query("year", "integer", "milestone year", "2030")
	indicatorCode  = pathParam("code", "indicator code", "dvc-l34-online")
	exampleNewCode = pathParam("code", "indicator code", "open-data-sets")
)

var exampleIndicator = apiIndicatorInput{Code: "open-data-sets", NameVI: "Bộ dữ liệu mở được công bố", NameEN: "Open data sets published",
	Pillar: "digital-government", Measure: "bộ", Direction: "higher"}

// apiDocs is the documentation of every /api/v1 route, by "METHOD path".
var apiDocs = map[string]apiDoc{
	"GET /api/v1/openapi.json": {Summary: "This document (OpenAPI 3.1)", Tag: "meta", Status: 200, Response: map[string]any{}},
	"POST /api/v1/auth/token": {Summary: "A personal API token for a username and password (TIENDO_PASSWORD_LOGIN permitting)", Tag: "accounts",
		Body: tokenRequest{}, BodyExample: tokenRequest{Username: "admin", Password: "a long passphrase of yours", Name: "reporting script"}, //nolint:gosec // a documented example, not a credential
		Status: 201, Response: tokenAnswer{}},
	"GET /api/v1/me":         {Summary: "Who is signed in, with which role and unit scope, and how", Tag: "accounts", Status: 200, Response: meAnswer{}},
	"GET /api/v1/units":      {Summary: "Every unit of the tree (province, city, district, ward)", Tag: "data", Status: 200, Response: []apiUnit{}},
	"GET /api/v1/indicators": {Summary: "Every indicator with its current targets", Tag: "data", Status: 200, Response: []apiIndicator{}},
	"GET /api/v1/indicators/:code": {Summary: "One indicator with its targets and values: every value with its breakdown (\"\" for the total) unless breakdown picks one",
		Tag: "data", Params: []apiParam{indicatorCode, query("breakdown", "string",
			"only the values of this breakdown, pairs DIMENSION=VALUE joined by ; (e.g. SEX=F;AGE=Y15T24); _T: only the totals", "")},
		Status: 200, Response: apiIndicator{}},
	"GET /api/v1/dimensions": {Summary: "Every breakdown dimension (SEX, AGE, …) with its values", Tag: "data", Status: 200, Response: []models.Dimension{}},
	"POST /api/v1/dimensions": {Summary: "Add a breakdown dimension", Tag: "writes", Body: apiDimensionInput{},
		BodyExample: apiDimensionInput{Code: "DISABILITY", NameVI: "Tình trạng khuyết tật", NameEN: "Disability status"}, Status: 201, Response: models.Dimension{}},
	"POST /api/v1/dimensions/:code/values": {Summary: "Add a value to a breakdown dimension", Tag: "writes",
		Params: []apiParam{pathParam("code", "dimension code", "ETHNICITY")}, Body: apiDimensionInput{},
		BodyExample: apiDimensionInput{Code: "OTHER", NameVI: "Dân tộc khác", NameEN: "Other ethnic group"}, Status: 201, Response: models.DimensionValue{}},
	"GET /api/v1/assessments": {Summary: "Open SDG progress assessments of a unit (all units without unit) at a milestone (all without year)", Tag: "data",
		Params: []apiParam{unitQuery, yearQuery}, Status: 200, Response: []reports.Assessment{}},
	"GET /api/v1/completeness": {Summary: "How complete and timely the reporting of a unit's tree is", Tag: "data",
		Params: []apiParam{unitQuery, query("from", "string", "first period (2024, 2024-Q1, 2024-03)", "2022"), query("to", "string", "last period", "2025"),
			query("freq", "string", "frequency when from and to are not given", ""), query("pillar", "string", "pillar code", ""),
			query("indicator", "string", "indicator code", "")},
		Status: 200, Response: apiCompleteness{}},
	"GET /api/v1/export": {Summary: "A report as a file", Tag: "reports",
		Params: []apiParam{query("format", "string", "csv, xlsx, pdf or json", "csv"), unitQuery, query("subtree", "string", "0: the unit only", ""),
			query("pillar", "string", "pillar code", ""), query("indicators", "string", "indicator codes, comma-separated", ""), yearQuery,
			query("from", "string", "first year of values", ""), query("to", "string", "last year of values", ""), query("lang", "string", "vi or en", "en")},
		Status: 200, Files: []string{"text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/pdf", "application/json"}},
	"GET /api/v1/notifications": {Summary: "The signed-in user's notifications (values due, late, changed targets), newest first", Tag: "accounts",
		Status: 200, Response: inboxData{}},
	"GET /api/v1/audit": {Summary: "The audit log, newest first, a page at a time", Tag: "accounts",
		Params: []apiParam{query("user", "string", "username", ""), query("entity", "string", "indicator, target, observation, unit, user, …", "user"),
			query("action", "string", "create, update, …", ""), query("from", "string", "first day (YYYY-MM-DD)", ""),
			query("to", "string", "last day (YYYY-MM-DD)", ""), query("page", "integer", "page number from 1", "1")},
		Status: 200, Response: auditAnswer{}},
	"POST /api/v1/indicators": {Summary: "Create an indicator", Tag: "writes", Body: apiIndicatorInput{}, BodyExample: exampleIndicator,
		Status: 201, Response: apiIndicator{}},
	"PUT /api/v1/indicators/:code": {Summary: "Change an indicator, every field given", Tag: "writes", Params: []apiParam{exampleNewCode},
		Body: apiIndicatorInput{}, BodyExample: func() apiIndicatorInput { in := exampleIndicator; in.Measure = "bộ dữ liệu"; return in }(),
		Status: 200, Response: apiIndicator{}},
	"DELETE /api/v1/indicators/:code": {Summary: "Retire an indicator (never deleted)", Tag: "writes", Params: []apiParam{exampleNewCode},
		Status: 200, Response: apiIndicator{}},
	"POST /api/v1/targets": {Summary: "Set a new target", Tag: "writes", Body: apiTargetInput{},
		BodyExample: apiTargetInput{Indicator: "dvc-l34-online", Unit: "VN-SG", Year: ptr(2028), Comparator: "at_least", Value: ptr(90.0), Source: "Kế hoạch 2026"},
		Status:      201, Response: apiTarget{}},
	"PUT /api/v1/targets": {Summary: "Revise the current target of an indicator, unit and year (reason required)", Tag: "writes", Body: apiTargetInput{},
		BodyExample: apiTargetInput{Indicator: "dvc-l34-online", Unit: "VN-SG", Year: ptr(2028), Comparator: "at_least", Value: ptr(92.0), Source: "Kế hoạch 2026", Reason: "Nghị quyết điều chỉnh"},
		Status:      200, Response: apiTarget{}},
	"DELETE /api/v1/targets": {Summary: "Withdraw a target (its revisions stay)", Tag: "writes", Body: apiTargetInput{},
		BodyExample: apiTargetInput{Indicator: "dvc-l34-online", Unit: "VN-SG", Year: ptr(2028), Reason: "Không còn áp dụng"}, Status: 204},
	"POST /api/v1/observations": {Summary: "Add a value: of the total, or of a breakdown (breakdown: SEX=F;AGE=Y15T24, dimensions the indicator is broken down by)", Tag: "writes", Body: apiObservationInput{},
		BodyExample: apiObservationInput{Indicator: "dvc-l34-online", Unit: "VN-SG", Period: "2019", Value: ptr(41.5), Source: "Sở TT&TT"},
		Status:      201, Response: observationAnswer{}},
	"PUT /api/v1/observations": {Summary: "Change a value (the old one goes to the history)", Tag: "writes", Body: apiObservationInput{},
		BodyExample: apiObservationInput{Indicator: "dvc-l34-online", Unit: "VN-SG", Period: "2019", Value: ptr(42.0), Note: "số liệu chính thức"},
		Status:      200, Response: observationAnswer{}},
	"DELETE /api/v1/observations": {Summary: "Remove a value (it goes to the history)", Tag: "writes", Body: apiObservationInput{},
		BodyExample: apiObservationInput{Indicator: "dvc-l34-online", Unit: "VN-SG", Period: "2019"}, Status: 204},
	"POST /api/v1/import": {Summary: "Preview and commit an import (multipart file fields)", Tag: "writes",
		Multipart: []string{"file", "format", "unit", "indicator", "map", "missing", "skip_invalid", "allow_empty", "dry_run"},
		BodyExample: map[string]string{"file": ownCSV(map[string]string{"record": "observation", "indicator": "dvc-l34-online", "unit": "VN-SG",
			"period": "2018", "value": "40", "source": "Sở TT&TT"}), "dry_run": "1"},
		Status: 200, Response: importAnswer{}},
}

func ptr[T any](v T) *T { return &v }

// ownCSV is a file of our import format with one row: the named columns.
func ownCSV(row map[string]string) string {
	cells := make([]string, len(importer.OwnColumns))
	for i, col := range importer.OwnColumns {
		cells[i] = row[col]
	}
	return strings.Join(importer.OwnColumns, ",") + "\n" + strings.Join(cells, ",") + "\n"
}

// apiRoutes are the /api/v1 routes of the route table, in its order.
func (h *Handler) apiRoutes() []Route {
	var out []Route
	for _, r := range h.Routes() {
		if strings.HasPrefix(r.Path, "/api/v1/") {
			out = append(out, r)
		}
	}
	return out
}

var pathParamPattern = regexp.MustCompile(`:([a-z_]+)`)

// OpenAPIPath turns a route path into the document's (:code → {code}).
func OpenAPIPath(p string) string { return pathParamPattern.ReplaceAllString(p, "{$1}") }

// OpenAPI builds the document from the route table and apiDocs; a route
// without documentation is listed under x-undocumented (and fails a test).
func (h *Handler) OpenAPI() map[string]any {
	paths := map[string]map[string]any{}
	var undocumented []string
	for _, r := range h.apiRoutes() {
		key := r.Method + " " + r.Path
		d, ok := apiDocs[key]
		if !ok {
			undocumented = append(undocumented, key)
			continue
		}
		p := OpenAPIPath(r.Path)
		if paths[p] == nil {
			paths[p] = map[string]any{}
		}
		paths[p][strings.ToLower(r.Method)] = operation(r, d)
	}
	doc := map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{"title": "Tiến độ API", "version": h.version,
			"description": "Targets, values and Open SDG progress assessments of a government's digital transformation. " +
				"Reading is open (unless the server runs in private mode); writing needs a personal token " +
				"(POST /api/v1/auth/token, or the page /account/tokens) sent as Authorization: Bearer. " +
				"Errors are {\"error\": message, \"status\": code}, with \"fields\" for refused input (422); messages " +
				"are in Vietnamese, or English with ?lang=en."},
		"paths": paths,
		"components": map[string]any{
			"securitySchemes": map[string]any{"bearer": map[string]any{"type": "http", "scheme": "bearer",
				"description": "A personal API token (tdo_…)"}},
			"schemas": map[string]any{"Error": jsonSchema(reflect.TypeOf(apiErrorAnswer{}), nil)},
		},
	}
	if len(undocumented) > 0 {
		doc["x-undocumented"] = undocumented
	}
	return doc
}

func operation(r Route, d apiDoc) map[string]any {
	op := map[string]any{
		"summary":     d.Summary,
		"tags":        []string{d.Tag},
		"operationId": strings.ToLower(r.Method) + regexp.MustCompile(`[^A-Za-z0-9]+`).ReplaceAllString(strings.TrimPrefix(r.Path, "/api/v1"), "_"),
	}
	switch r.Role {
	case Public:
		op["security"] = []any{}
	case models.RoleAnonymous:
		op["security"] = []any{map[string]any{}, map[string]any{"bearer": []string{}}}
	default:
		op["security"] = []any{map[string]any{"bearer": []string{}}}
		op["description"] = fmt.Sprintf("Needs the role %s or above.", r.Role)
	}
	var params []any
	for _, p := range d.Params {
		param := map[string]any{"name": p.Name, "in": p.In, "required": p.Required, "description": p.Description,
			"schema": map[string]any{"type": p.Type}}
		if p.Example != "" {
			if p.Type == "integer" {
				n, _ := strconv.Atoi(p.Example) // examples are written in this file
				param["example"] = n
			} else {
				param["example"] = p.Example
			}
		}
		params = append(params, param)
	}
	if params != nil {
		op["parameters"] = params
	}
	switch {
	case d.Body != nil:
		var example any
		_ = json.Unmarshal([]byte(exampleJSON(d.BodyExample)), &example)
		op["requestBody"] = map[string]any{"required": true, "content": map[string]any{"application/json": map[string]any{
			"schema": optional(jsonSchema(reflect.TypeOf(d.Body), nil)), "example": example}}}
	case d.Multipart != nil:
		props := map[string]any{}
		for _, f := range d.Multipart {
			props[f] = map[string]any{"type": "string"}
		}
		props["file"] = map[string]any{"type": "string", "format": "binary", "description": "one or more files"}
		op["requestBody"] = map[string]any{"required": true, "content": map[string]any{"multipart/form-data": map[string]any{
			"schema": map[string]any{"type": "object", "properties": props, "required": []string{"file"}}, "example": d.BodyExample}}}
	}
	success := map[string]any{"description": http.StatusText(d.Status)}
	switch {
	case d.Files != nil:
		content := map[string]any{}
		for _, ct := range d.Files {
			content[ct] = map[string]any{"schema": map[string]any{"type": "string", "format": "binary"}}
		}
		success["content"] = content
	case d.Response != nil:
		success["content"] = map[string]any{"application/json": map[string]any{"schema": jsonSchema(reflect.TypeOf(d.Response), nil)}}
	}
	errResponse := map[string]any{"description": "refused: bad input (400, 422 with fields), sign-in needed (401), not allowed (403), not found (404), too many attempts (429)",
		"content": map[string]any{"application/json": map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/Error"}}}}
	op["responses"] = map[string]any{fmt.Sprint(d.Status): success, "4XX": errResponse}
	return op
}

var timeType = reflect.TypeOf(time.Time{})

// jsonSchema describes what encoding/json makes of a Go type: fields by
// their json names, embedded structs flattened, omitempty fields optional,
// pointers, slices and maps nullable (nil encodes as null).
func jsonSchema(t reflect.Type, seen map[reflect.Type]bool) map[string]any {
	if t == timeType {
		return map[string]any{"type": "string", "format": "date-time"}
	}
	if t.Implements(reflect.TypeOf((*json.Marshaler)(nil)).Elem()) {
		return map[string]any{}
	}
	switch t.Kind() {
	case reflect.Pointer:
		return nullable(jsonSchema(t.Elem(), seen))
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return map[string]any{"type": "integer"}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return map[string]any{"type": "integer", "minimum": 0}
	case reflect.Float32, reflect.Float64:
		return map[string]any{"type": "number"}
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 {
			return map[string]any{"type": "string", "contentEncoding": "base64"}
		}
		s := map[string]any{"type": "array", "items": jsonSchema(t.Elem(), seen)}
		if t.Kind() == reflect.Slice {
			s = nullable(s)
		}
		return s
	case reflect.Map:
		return nullable(map[string]any{"type": "object", "additionalProperties": jsonSchema(t.Elem(), seen)})
	case reflect.Struct:
		if seen[t] {
			return map[string]any{} // a type within itself: described once, above
		}
		if seen == nil {
			seen = map[reflect.Type]bool{}
		}
		seen[t] = true
		defer delete(seen, t)
		props, required := map[string]any{}, []string{}
		structFields(t, seen, props, &required)
		s := map[string]any{"type": "object", "properties": props}
		if len(required) > 0 {
			sort.Strings(required)
			s["required"] = required
		}
		return s
	}
	return map[string]any{}
}

func structFields(t reflect.Type, seen map[reflect.Type]bool, props map[string]any, required *[]string) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				structFields(ft, seen, props, required)
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		if _, dup := props[name]; dup {
			continue // the outer field wins, as in encoding/json
		}
		props[name] = jsonSchema(f.Type, seen)
		if !strings.Contains(","+opts+",", ",omitempty,") {
			*required = append(*required, name)
		}
	}
}

// optional drops "required" throughout: a request may leave out any field
// (the handlers say which are missing, in the user's language).
func optional(s map[string]any) map[string]any {
	delete(s, "required")
	for _, v := range s {
		switch x := v.(type) {
		case map[string]any:
			optional(x)
		case []any:
			for _, e := range x {
				if m, ok := e.(map[string]any); ok {
					optional(m)
				}
			}
		}
	}
	return s
}

// exampleJSON is a body example as a person writes it: only the fields
// given, indented, "&" as is.
func exampleJSON(v any) string {
	b, _ := json.Marshal(v)
	var m map[string]any
	if json.Unmarshal(b, &m) == nil {
		for k, val := range m {
			if val == nil || val == "" || val == false {
				delete(m, k)
			}
		}
		v = m
	}
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
	return strings.TrimSpace(out.String())
}

func nullable(s map[string]any) map[string]any {
	if len(s) == 0 {
		return s
	}
	if typ, ok := s["type"].(string); ok {
		s["type"] = []string{typ, "null"}
		return s
	}
	return map[string]any{"anyOf": []any{s, map[string]any{"type": "null"}}}
}

// apiOpenAPI serves the document.
func (h *Handler) apiOpenAPI(c *fiber.Ctx) error { return c.JSON(h.OpenAPI()) }

// apiPageRow is one route on the /api page.
type apiPageRow struct {
	Method, Path, Summary, Role, Example string
}

// apiPage shows the API to people: every route, who may call it, and an
// example on the seeded data, from the same table as the document.
func (h *Handler) apiPage(c *fiber.Ctx) error {
	p := h.page(c, "")
	p.Title = p.T("api.title")
	var rows []apiPageRow
	for _, r := range h.apiRoutes() {
		d := apiDocs[r.Method+" "+r.Path]
		role := string(r.Role)
		if r.Role == Public || r.Role == models.RoleAnonymous {
			role = ""
		}
		rows = append(rows, apiPageRow{Method: r.Method, Path: OpenAPIPath(r.Path), Summary: d.Summary, Role: role, Example: ExampleRequest(r, d).String()})
	}
	p.Data = rows
	return h.render(c, fiber.StatusOK, layoutApp, "api", p)
}

// APIExample is a documented example request.
type APIExample struct {
	Method, Path, ContentType string
	Body                      string
	Multipart                 map[string]string
}

// String is the example as a person types it.
func (e APIExample) String() string {
	s := e.Method + " " + e.Path
	if e.Body != "" {
		s += "\n" + e.Body
	}
	keys := make([]string, 0, len(e.Multipart))
	for k := range e.Multipart {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		s += "\n" + k + ": " + e.Multipart[k]
	}
	return s
}

// ExampleRequest is the documented example of a route: its parameters'
// examples in the path and query, its body example.
func ExampleRequest(r Route, d apiDoc) APIExample {
	path := r.Path
	var q []string
	for _, p := range d.Params {
		switch {
		case p.In == "path":
			path = strings.Replace(path, ":"+p.Name, p.Example, 1)
		case p.Example != "":
			q = append(q, p.Name+"="+p.Example)
		}
	}
	if len(q) > 0 {
		path += "?" + strings.Join(q, "&")
	}
	e := APIExample{Method: r.Method, Path: path}
	if d.Multipart != nil {
		e.Multipart, _ = d.BodyExample.(map[string]string)
		e.ContentType = "multipart/form-data"
	} else if d.BodyExample != nil {
		e.Body, e.ContentType = exampleJSON(d.BodyExample), "application/json"
	}
	return e
}

// APIExamples are the examples of every documented route, in the route
// table's order (writes create, change, then remove the same things).
func (h *Handler) APIExamples() []APIExample {
	var out []APIExample
	for _, r := range h.apiRoutes() {
		if d, ok := apiDocs[r.Method+" "+r.Path]; ok {
			out = append(out, ExampleRequest(r, d))
		}
	}
	return out
}

// APIRoutesDocumented reports, for the test, the routes without
// documentation and the documentation without a route.
func (h *Handler) APIRoutesDocumented() (undocumented, stale []string) {
	have := map[string]bool{}
	for _, r := range h.apiRoutes() {
		key := r.Method + " " + r.Path
		have[key] = true
		if _, ok := apiDocs[key]; !ok {
			undocumented = append(undocumented, key)
		}
	}
	for key := range apiDocs {
		if !have[key] {
			stale = append(stale, key)
		}
	}
	sort.Strings(stale)
	return undocumented, stale
}
