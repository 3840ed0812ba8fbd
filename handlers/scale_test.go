package handlers_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"

	"tiendo/apptest"
	"tiendo/models"
	"tiendo/seed"
)

// current returns the current value of an indicator in HCMC's assessments
// at 2030, as the API answers it.
func current(t *testing.T, s *apptest.Server, indicator string) *float64 {
	t.Helper()
	return currentIn(t, s, seed.UnitHCMC, indicator)
}

// currentIn is current in another unit (nil also when the unit has no row
// for the indicator).
func currentIn(t *testing.T, s *apptest.Server, unit, indicator string) *float64 {
	t.Helper()
	var rows []struct {
		assessment
		CurrentValue *float64 `json:"current_value"`
	}
	getJSON(t, s, "/api/v1/assessments?year=2030&unit="+unit, &rows)
	for _, r := range rows {
		if r.Indicator == indicator {
			return r.CurrentValue
		}
	}
	if unit == seed.UnitHCMC {
		t.Fatalf("no assessment of %s", indicator)
	}
	return nil
}

// addObservation writes one value straight into the database, as another
// program (or another instance) would; it does not tell any cache.
func addObservation(t *testing.T, store *models.Store, indicator, period string, value float64) {
	t.Helper()
	addObservationIn(t, store, seed.UnitHCMC, indicator, period, value)
}

func addObservationIn(t *testing.T, store *models.Store, unitCode, indicator, period string, value float64) (models.Unit, models.Indicator) {
	t.Helper()
	ind, err := store.IndicatorByCode(indicator)
	if err != nil {
		t.Fatal(err)
	}
	unit, err := store.UnitByCode(unitCode)
	if err != nil {
		t.Fatal(err)
	}
	p, err := models.ParsePeriod(period)
	if err != nil {
		t.Fatal(err)
	}
	o := models.Observation{IndicatorID: ind.ID, UnitID: unit.ID, Period: period, Year: p.Year, Value: value}
	if err := store.DB().Omit("Indicator", "Unit").Create(&o).Error; err != nil {
		t.Fatal(err)
	}
	return *unit, *ind
}

func TestAssessmentsAreStoredUntilTheDataChanges(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	if v := current(t, s, "5g-coverage"); v != nil {
		t.Fatalf("seeded HCMC has no 5G value, API says %v", *v)
	}
	// Written behind the app's back: the stored assessment is still served,
	// which shows it is not recomputed from the observations per request.
	addObservation(t, s.Store, "5g-coverage", "2024", 30)
	if v := current(t, s, "5g-coverage"); v != nil {
		t.Fatalf("assessment recomputed without a data change: %v", *v)
	}
	if err := s.Store.Reassess(); err != nil {
		t.Fatal(err)
	}
	if v := current(t, s, "5g-coverage"); v == nil || *v != 30 {
		t.Fatalf("after Reassess the new value must show at once, got %v", v)
	}
}

// A district's value drops the stored answers of that district and the
// city above it, not those of the other districts.
func TestAWriteDropsOnlyWhatDependsOnIt(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	d1, d3 := seed.DistrictCode("760"), seed.DistrictCode("770")
	// One district of 22 makes the city's value at this threshold.
	if err := s.Store.DB().Exec(`UPDATE indicators SET rollup_threshold = 0.01 WHERE code = '5g-coverage'`).Error; err != nil {
		t.Fatal(err)
	}
	if err := s.Store.Reassess(); err != nil {
		t.Fatal(err)
	}
	for _, u := range []string{d1, d3} {
		if v := currentIn(t, s, u, "5g-coverage"); v != nil {
			t.Fatalf("seeded %s has a 5G value %v", u, *v)
		}
	}
	cityBefore := current(t, s, "5g-coverage")
	// Both districts get a value behind the app's back; only District 1's
	// is announced.
	unit, ind := addObservationIn(t, s.Store, d1, "5g-coverage", "2024", 40)
	addObservationIn(t, s.Store, d3, "5g-coverage", "2024", 20)
	if err := s.Store.Reassess(models.Change{Unit: unit.ID, Indicator: ind.ID}); err != nil {
		t.Fatal(err)
	}
	if v := currentIn(t, s, d1, "5g-coverage"); v == nil || *v != 40 {
		t.Errorf("District 1 must show its new value at once, got %v", v)
	}
	if v := current(t, s, "5g-coverage"); v == cityBefore || (v != nil && cityBefore != nil && *v == *cityBefore) {
		t.Errorf("the city's roll-up must be recomputed after a district's value, still %v", v)
	}
	if v := currentIn(t, s, d3, "5g-coverage"); v != nil {
		t.Errorf("District 3's stored answer was recomputed by District 1's change: %v", *v)
	}
}

func TestTwoInstancesSeeEachOthersWrites(t *testing.T) {
	a := apptest.Start(t, apptest.Options{})
	b := apptest.Start(t, apptest.Options{DSN: a.DSN})
	for _, s := range []*apptest.Server{a, b} {
		if v := current(t, s, "fibre-coverage"); v != nil {
			t.Fatalf("seeded HCMC has no fibre value, API says %v", *v)
		}
	}
	// Both instances now hold a stored answer; the write goes through A.
	unit, ind := addObservationIn(t, a.Store, seed.UnitHCMC, "fibre-coverage", "2025", 91.5)
	if err := a.Store.Reassess(models.Change{Unit: unit.ID, Indicator: ind.ID}); err != nil {
		t.Fatal(err)
	}
	for name, s := range map[string]*apptest.Server{"writer": a, "other instance": b} {
		if v := current(t, s, "fibre-coverage"); v == nil || *v != 91.5 {
			t.Errorf("%s: the write must be seen on the next request, got %v", name, v)
		}
	}
	code, page := b.Get(t, "/indicators/fibre-coverage?unit=VN-SG&lang=en")
	if code != 200 || !bytes.Contains([]byte(page), []byte("91.5")) {
		t.Errorf("other instance's indicator page does not show the new value (%d)", code)
	}
}

// noRedirects answers with the first response, as a cache would see it.
var noRedirects = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// fetch sends a GET with headers and returns the response with its body read.
func fetch(t *testing.T, url string, headers map[string]string) (*http.Response, []byte) {
	t.Helper()
	return apptest.Send(t, noRedirects, "GET", url, "", headers)
}

func TestValidatorsAndNotModified(t *testing.T) {
	s := apptest.Start(t, apptest.Options{Demo: true})
	for _, path := range []string{"/", "/?lang=en", "/indicators/5g-coverage", "/api/v1/assessments?unit=VN-SG", "/api/v1/indicators", "/static/css/app.css"} {
		t.Run(path, func(t *testing.T) {
			resp, body := fetch(t, s.URL+path, nil)
			etag, lm := resp.Header.Get("ETag"), resp.Header.Get("Last-Modified")
			if resp.StatusCode != 200 || len(body) == 0 || etag == "" || lm == "" {
				t.Fatalf("%d, %d bytes, ETag %q, Last-Modified %q", resp.StatusCode, len(body), etag, lm)
			}
			// A page or answer may change with the next write: a browser
			// keeps it but asks again each time (without this it guesses a
			// freshness from Last-Modified and shows an old status after
			// a planner's save).
			if cc := resp.Header.Get("Cache-Control"); !strings.HasPrefix(path, "/static/") && !strings.Contains(cc, "no-cache") {
				t.Errorf("Cache-Control %q: a browser may show it again without asking", cc)
			}
			again, body2 := fetch(t, s.URL+path, map[string]string{"If-None-Match": etag})
			if again.StatusCode != 304 || len(body2) != 0 {
				t.Errorf("If-None-Match with the current ETag: %d and %d bytes, want 304 and none", again.StatusCode, len(body2))
			}
			since, _ := fetch(t, s.URL+path, map[string]string{"If-Modified-Since": lm})
			if since.StatusCode != 304 {
				t.Errorf("If-Modified-Since the Last-Modified: %d, want 304", since.StatusCode)
			}
			stale, body3 := fetch(t, s.URL+path, map[string]string{"If-None-Match": `W/"0-stale"`})
			if stale.StatusCode != 200 || !bytes.Equal(body3, body) {
				t.Errorf("a stale ETag must get the full answer again: %d", stale.StatusCode)
			}
		})
	}
	// A write changes the validators of the answers it affects.
	resp, _ := fetch(t, s.URL+"/api/v1/assessments?unit=VN-SG", nil)
	addObservation(t, s.Store, "5g-coverage", "2026", 60)
	if err := s.Store.Reassess(); err != nil {
		t.Fatal(err)
	}
	after, _ := fetch(t, s.URL+"/api/v1/assessments?unit=VN-SG", map[string]string{"If-None-Match": resp.Header.Get("ETag")})
	if after.StatusCode != 200 {
		t.Errorf("after a write the old ETag must not match: %d", after.StatusCode)
	}
}

func TestCompression(t *testing.T) {
	s := apptest.Start(t, apptest.Options{Demo: true})
	for _, path := range []string{"/", "/api/v1/assessments", "/static/js/charts.js"} {
		_, plain := fetch(t, s.URL+path, nil)
		decoders := map[string]func(io.Reader) (io.Reader, error){
			"gzip": func(r io.Reader) (io.Reader, error) { return gzip.NewReader(r) },
			"br":   func(r io.Reader) (io.Reader, error) { return brotli.NewReader(r), nil },
		}
		for enc, decode := range decoders {
			resp, body := fetch(t, s.URL+path, map[string]string{"Accept-Encoding": enc})
			if got := resp.Header.Get("Content-Encoding"); got != enc {
				t.Errorf("%s with Accept-Encoding %s: Content-Encoding %q", path, enc, got)
				continue
			}
			r, err := decode(bytes.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			unpacked, err := io.ReadAll(r)
			if err != nil || !bytes.Equal(unpacked, plain) {
				t.Errorf("%s %s: does not unpack to the plain answer (%v)", path, enc, err)
			}
			if len(body) >= len(plain) {
				t.Errorf("%s %s: %d bytes compressed, %d plain", path, enc, len(body), len(plain))
			}
		}
	}
}

func TestWriteThroughTheAPIOfOneInstanceIsSeenByAnother(t *testing.T) {
	a := apptest.Start(t, apptest.Options{})
	b := apptest.Start(t, apptest.Options{DSN: a.DSN})
	a.AddUser(t, "ke-hoach", models.RolePlanner, "", testPassword)
	if v := current(t, b, "dvc-l4-multidevice"); v != nil {
		t.Fatalf("seeded HCMC has no value, API says %v", *v)
	}
	c := a.NewClient(t)
	c.Login(t, "ke-hoach", testPassword)
	resp, body := c.Do(t, "POST", "/api/v1/observations", `{"indicator":"dvc-l4-multidevice","unit":"VN-SG","period":"2025","value":72.5}`,
		map[string]string{"Content-Type": "application/json", "X-CSRF-Token": c.CSRF})
	if resp.StatusCode/100 != 2 {
		t.Fatalf("API write: %d %s", resp.StatusCode, body)
	}
	if v := current(t, b, "dvc-l4-multidevice"); v == nil || *v != 72.5 {
		t.Errorf("the other instance's next answer must carry the value written through the API, got %v", v)
	}
}

func TestSignedInPagesAreNeverShared(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	s.AddUser(t, "nguoi-xem", models.RoleViewer, "", testPassword)
	c := s.NewClient(t)
	c.Login(t, "nguoi-xem", testPassword)
	for range 2 {
		if _, page := c.Get(t, "/"); !strings.Contains(page, "nguoi-xem") {
			t.Fatal("a signed-in viewer got a page without their name: an anonymous answer was served")
		}
		if _, page := s.Get(t, "/"); strings.Contains(page, "nguoi-xem") {
			t.Fatal("an anonymous visitor got the viewer's page")
		}
	}
}
