package handlers

import (
	"fmt"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gofiber/fiber/v2"
)

// latencyBuckets are the upper bounds, in seconds, of the request latency
// histogram.
var latencyBuckets = []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}

type seriesKey struct {
	method, route string
	status        int
}

type series struct {
	count   uint64
	sum     float64
	buckets []uint64 // cumulative counts per latencyBuckets entry
}

// metrics counts requests by route and status; it is written out in the
// Prometheus text format by hand, so the app needs no client library.
type metrics struct {
	mu      sync.Mutex
	series  map[seriesKey]*series
	started time.Time
	// Answers served from the response cache, and built because missing.
	cacheHits, cacheMisses atomic.Uint64
}

func newMetrics() *metrics {
	return &metrics{series: map[seriesKey]*series{}, started: time.Now()}
}

func (m *metrics) observe(method, route string, status int, d time.Duration) {
	sec := d.Seconds()
	m.mu.Lock()
	defer m.mu.Unlock()
	k := seriesKey{method, route, status}
	s := m.series[k]
	if s == nil {
		// Fiber's strings point into buffers reused by the next request:
		// a map key must own its bytes.
		k = seriesKey{strings.Clone(method), strings.Clone(route), status}
		s = &series{buckets: make([]uint64, len(latencyBuckets))}
		m.series[k] = s
	}
	s.count++
	s.sum += sec
	for i, b := range latencyBuckets {
		if sec <= b {
			s.buckets[i]++
		}
	}
}

// write renders the request series in the Prometheus text format.
func (m *metrics) write(b *strings.Builder) {
	m.mu.Lock()
	defer m.mu.Unlock()
	keys := make([]seriesKey, 0, len(m.series))
	for k := range m.series {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, c := keys[i], keys[j]
		if a.route != c.route {
			return a.route < c.route
		}
		if a.method != c.method {
			return a.method < c.method
		}
		return a.status < c.status
	})
	b.WriteString("# HELP tiendo_http_requests_total HTTP requests by method, route and status.\n# TYPE tiendo_http_requests_total counter\n")
	for _, k := range keys {
		fmt.Fprintf(b, "tiendo_http_requests_total{%s} %d\n", k.labels(), m.series[k].count)
	}
	b.WriteString("# HELP tiendo_http_request_duration_seconds Time to answer a request.\n# TYPE tiendo_http_request_duration_seconds histogram\n")
	for _, k := range keys {
		s := m.series[k]
		for i, le := range latencyBuckets {
			fmt.Fprintf(b, "tiendo_http_request_duration_seconds_bucket{%s,le=\"%g\"} %d\n", k.labels(), le, s.buckets[i])
		}
		fmt.Fprintf(b, "tiendo_http_request_duration_seconds_bucket{%s,le=\"+Inf\"} %d\n", k.labels(), s.count)
		fmt.Fprintf(b, "tiendo_http_request_duration_seconds_sum{%s} %g\n", k.labels(), s.sum)
		fmt.Fprintf(b, "tiendo_http_request_duration_seconds_count{%s} %d\n", k.labels(), s.count)
	}
}

func (k seriesKey) labels() string {
	return fmt.Sprintf(`method=%q,route=%q,status="%d"`, k.method, k.route, k.status)
}

// metricsPage serves the Prometheus metrics: requests, the database's size,
// the last import and build information.
func (h *Handler) metricsPage(c *fiber.Ctx) error {
	var b strings.Builder
	h.metrics.write(&b)
	gauge := func(name, help string, v float64) {
		fmt.Fprintf(&b, "# HELP %s %s\n# TYPE %s gauge\n%s %g\n", name, help, name, name, v)
	}
	if size, err := h.store.Size(); err == nil {
		gauge("tiendo_database_size_bytes", "Bytes the database takes.", float64(size))
	}
	if at, err := h.store.LastImport(); err == nil && !at.IsZero() {
		gauge("tiendo_last_import_timestamp_seconds", "When the latest import was committed (Unix time).", float64(at.Unix()))
	}
	counter := func(name, help string, v uint64) {
		fmt.Fprintf(&b, "# HELP %s %s\n# TYPE %s counter\n%s %d\n", name, help, name, name, v)
	}
	counter("tiendo_response_cache_hits_total", "Answers served from the response cache.", h.metrics.cacheHits.Load())
	counter("tiendo_response_cache_misses_total", "Answers built because the cache did not hold them.", h.metrics.cacheMisses.Load())
	gauge("tiendo_start_time_seconds", "When the process started (Unix time).", float64(h.metrics.started.Unix()))
	gauge("tiendo_goroutines", "Goroutines running.", float64(runtime.NumGoroutine()))
	info := BuildInfo(h.version)
	fmt.Fprintf(&b, "# HELP tiendo_build_info Version and build of the running binary.\n# TYPE tiendo_build_info gauge\ntiendo_build_info{version=%q,revision=%q,go_version=%q} 1\n",
		info.Version, info.Revision, info.GoVersion)
	c.Set(fiber.HeaderContentType, "text/plain; version=0.0.4; charset=utf-8")
	return c.SendString(b.String())
}
