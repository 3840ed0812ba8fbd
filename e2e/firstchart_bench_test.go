package e2e

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"tiendo/apptest"
)

// BenchmarkFirstChartThrottled is a first visit (empty cache) to the
// overview over a slow link (1.6 Mbps down, 750 kbps up, 150 ms latency,
// Chromium's network emulation): the time from navigation to the first
// chart drawn, with the light bundle the app serves and, side by side,
// with the whole ECharts library (node_modules/echarts/dist/echarts.min.js)
// in its place, compressed as the app compresses it. BENCHMARKS.md has the
// figures:
//
//	go test ./e2e -run '^$' -bench FirstChartThrottled -benchtime 5x
func BenchmarkFirstChartThrottled(b *testing.B) {
	full, err := os.ReadFile("../node_modules/echarts/dist/echarts.min.js")
	if err != nil {
		b.Fatalf("the whole library to compare with is missing (run `make assets`): %v", err)
	}
	s := apptest.Start(b, apptest.Options{Demo: true})
	_, page := s.Get(b, "/")
	bundle := regexp.MustCompile(`/static/vendor/echarts\.[0-9a-f]{12}\.js`).FindString(page)
	if bundle == "" {
		b.Fatal("the overview loads no ECharts bundle")
	}
	// The app compresses per response with brotli at its fastest level.
	var fullBr bytes.Buffer
	w := brotli.NewWriterLevel(&fullBr, brotli.BestSpeed)
	_, _ = w.Write(full)
	_ = w.Close()

	target, _ := url.Parse(s.URL)
	proxy := httputil.NewSingleHostReverseProxy(target)
	var whole bool
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if whole && r.URL.Path == bundle {
			w.Header().Set("Content-Type", "text/javascript")
			if strings.Contains(r.Header.Get("Accept-Encoding"), "br") {
				w.Header().Set("Content-Encoding", "br")
				_, _ = w.Write(fullBr.Bytes())
				return
			}
			_, _ = w.Write(full)
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	defer front.Close()

	br := apptest.NewBrowser(b)
	err = chromedp.Run(br.Ctx, network.Enable(), network.SetCacheDisabled(true),
		network.EmulateNetworkConditions(false, 150, 1.6e6/8, 750e3/8))
	if err != nil {
		b.Fatal(err)
	}
	for _, v := range []struct {
		name  string
		whole bool
	}{{"light", false}, {"whole", true}} {
		b.Run(v.name, func(b *testing.B) {
			whole = v.whole
			var total float64
			for i := 0; i < b.N; i++ {
				var ms float64
				err := chromedp.Run(br.Ctx,
					chromedp.Navigate("about:blank"),
					chromedp.Navigate(front.URL+"/?unit=VN-SG&lang=vi"),
					chromedp.Poll(`performance.getEntriesByName("tiendo:first-chart").length > 0`, nil,
						chromedp.WithPollingTimeout(60*time.Second), chromedp.WithPollingInterval(50*time.Millisecond)),
					chromedp.Evaluate(`performance.getEntriesByName("tiendo:first-chart")[0].startTime`, &ms),
				)
				if err != nil {
					b.Fatal(err)
				}
				total += ms
			}
			b.ReportMetric(total/float64(b.N), "ms-to-first-chart")
		})
	}
}
