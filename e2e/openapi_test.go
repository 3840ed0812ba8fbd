package e2e

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"

	"tiendo/apptest"
	"tiendo/handlers"
	"tiendo/models"
)

// The validator is a large module: its test lives here, with the slow
// tests, rather than in the handlers' race-checked package.

// TestOpenAPIDocumentValidAndExamplesReplay validates the served document
// with a real OpenAPI 3.1 validator, then sends every documented example to
// the running app on the seeded data, in the route table's order, and
// validates each request and answer against the document.
func TestOpenAPIDocumentValidAndExamplesReplay(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	s.AddUser(t, "admin", models.RoleAdmin, "", "a long passphrase of yours") // the token example's account
	_, body := s.Get(t, "/api/v1/openapi.json")
	doc, err := libopenapi.NewDocument([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	v, errs := validator.NewValidator(doc)
	if len(errs) > 0 {
		t.Fatalf("validator: %v", errs)
	}
	if ok, verrs := v.ValidateDocument(); !ok {
		for _, e := range verrs {
			t.Errorf("document: %s: %s", e.Message, e.Reason)
		}
		t.FailNow()
	}
	var doc2 struct {
		Paths map[string]map[string]struct {
			Responses map[string]any `json:"responses"`
		} `json:"paths"`
	}
	json.Unmarshal([]byte(body), &doc2)
	token := ""
	routes := map[string]handlers.Route{}
	for _, r := range s.Handler.Routes() {
		routes[r.Method+" "+r.Path] = r
	}
	for _, e := range s.Handler.APIExamples() {
		name := e.Method + " " + e.Path
		payload, contentType := []byte(e.Body), e.ContentType
		if e.Multipart != nil {
			var b bytes.Buffer
			w := multipart.NewWriter(&b)
			for k, val := range e.Multipart {
				if k == "file" {
					fw, _ := w.CreateFormFile("file", "example.csv")
					fw.Write([]byte(val))
				} else {
					w.WriteField(k, val)
				}
			}
			w.Close()
			payload, contentType = b.Bytes(), w.FormDataContentType()
		}
		newRequest := func() *http.Request {
			req, err := http.NewRequest(e.Method, s.URL+e.Path, bytes.NewReader(payload))
			if err != nil {
				t.Fatal(err)
			}
			if contentType != "" {
				req.Header.Set("Content-Type", contentType)
			}
			if token != "" {
				req.Header.Set("Authorization", "Bearer "+token)
			}
			return req
		}
		resp, err := http.DefaultClient.Do(newRequest())
		if err != nil {
			t.Fatal(err)
		}
		answer, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode >= 300 {
			t.Errorf("example %s: %d %s", name, resp.StatusCode, answer)
			continue
		}
		if strings.HasSuffix(e.Path, "/auth/token") {
			var tok struct{ Token string }
			json.Unmarshal(answer, &tok)
			token = tok.Token
		}
		// The answer, read again, against the document.
		resp.Body = io.NopCloser(bytes.NewReader(answer))
		if ok, verrs := v.ValidateHttpRequestResponse(newRequest(), resp); !ok {
			for _, ve := range verrs {
				t.Errorf("example %s: %s: %s", name, ve.Message, ve.Reason)
				for _, se := range ve.SchemaValidationErrors {
					t.Errorf("    %s at %s", se.Reason, se.FieldPath)
				}
			}
		}
		// Its status is the documented one.
		path := strings.SplitN(e.Path, "?", 2)[0]
		documented := false
		for p, ops := range doc2.Paths {
			if matchPath(p, path) {
				if op, ok := ops[strings.ToLower(e.Method)]; ok {
					_, documented = op.Responses[strconv.Itoa(resp.StatusCode)]
				}
			}
		}
		if !documented {
			t.Errorf("example %s answered %d, not a documented status", name, resp.StatusCode)
		}
	}
	if token == "" {
		t.Error("the token example gave no token")
	}
	// The writes' examples changed the seeded data as documented.
	if ind, err := s.Store.IndicatorByCode("open-data-sets"); err != nil || !ind.Retired || ind.Measure != "bộ dữ liệu" {
		t.Errorf("indicator written by the examples: %+v %v", ind, err)
	}
}

// matchPath matches a path against a document path with {parameters}.
func matchPath(pattern, path string) bool {
	a, b := strings.Split(pattern, "/"), strings.Split(path, "/")
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] && !strings.HasPrefix(a[i], "{") {
			return false
		}
	}
	return true
}

func TestAPIPageInChromium(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	b := apptest.NewBrowser(t)
	open(t, b, s.URL+"/api")
	b.Screenshot(t, "api-vi")
	checkAxe(t, b, "/api")
	if got := text(t, b, "#openapi-link"); got != "openapi.json" {
		t.Errorf("link: %q", got)
	}
	noJSErrors(t, b)
}
