package handlers_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"tiendo/apptest"
)

func TestStaticAssetsServedLocally(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	for _, p := range []string{"/static/js/charts.js", "/static/css/app.css"} {
		code, body := s.Get(t, p)
		if code != 200 || len(body) < 100 {
			t.Errorf("GET %s: %d (%d bytes)", p, code, len(body))
		}
	}
	if code, _ := s.Get(t, "/static/templates/layout.html"); code != 404 {
		t.Errorf("templates must not be served: %d", code)
	}
}

// The pages load the light ECharts bundle (only what they draw) by its
// hashed name, and it is cached for a year.
func TestEChartsBundleIsLightAndImmutable(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	for _, page := range []string{"/", "/embed/indicators/dvc-l34-online?unit=VN-SG"} {
		_, body := s.Get(t, page)
		src := regexp.MustCompile(`<script src="(/static/vendor/echarts\.[0-9a-f]{12}\.js)"></script>`).FindStringSubmatch(body)
		if src == nil {
			t.Fatalf("%s does not load the hashed ECharts bundle", page)
		}
		resp, b := apptest.Send(t, http.DefaultClient, "GET", s.URL+src[1], "", nil)
		if resp.StatusCode != 200 || len(b) < 100000 {
			t.Fatalf("GET %s: %d, %d bytes; run `make assets`", src[1], resp.StatusCode, len(b))
		}
		if len(b) > 650000 {
			t.Errorf("ECharts bundle is %d bytes, more than 650 000", len(b))
		}
		if cc := resp.Header.Get("Cache-Control"); !strings.Contains(cc, "immutable") || !strings.Contains(cc, "max-age=31536000") {
			t.Errorf("bundle Cache-Control %q, want a year, immutable", cc)
		}
	}
	if code, _ := s.Get(t, "/static/vendor/echarts.min.js"); code != 404 {
		t.Errorf("the whole ECharts library is still served: %d", code)
	}
}
