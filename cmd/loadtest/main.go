// Command loadtest puts a running Tiến độ under a bounded load on 127.0.0.1
// and checks nothing is lost: -c connections read pages and the API for -d
// while -w planners store values through the API (bearer token) and
// -imports processes commit batches straight into the same database (as
// `tiendo import` beside a running server does); then every acknowledged
// write is looked for in the database.
//
//	go run ./cmd/loadtest -bin ./tiendo -c 64 -d 60s
//
// With -bin it starts that binary on a fresh database (with the demo data and
// a planner account) and stops it afterwards; with -url, -db, -user and
// -password it uses a server already running.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"
)

// paths is the mix of reads: pages in both languages and the API.
var paths = []string{
	"/", "/?lang=en", "/?unit=VN-51&year=2020",
	"/indicators/digital-economy-grdp", "/indicators/gso-poverty-rate?unit=VN-51&lang=en",
	"/api/v1/indicators", "/api/v1/assessments?unit=VN-SG", "/api/v1/indicators/digital-economy-grdp", "/api/v1/units",
}

type result struct {
	kind    string
	latency time.Duration
	err     string
}

func main() {
	bin := flag.String("bin", "", "tiendo binary to start on a fresh database")
	url := flag.String("url", "", "server already running (with -db)")
	dbPath := flag.String("db", "", "its SQLite database (with -url)")
	user := flag.String("user", "loadplanner", "planner account for the API writes (with -url)")
	password := flag.String("password", "", "its password (with -url)")
	conns := flag.Int("c", 64, "connections reading")
	writers := flag.Int("w", 4, "planners writing through the API (on connections of their own)")
	imports := flag.Int("imports", 0, "processes committing batches straight into the database")
	dur := flag.Duration("d", 60*time.Second, "how long")
	rate := flag.Float64("rate", 0, "writes per second of all planners together (0: as fast as they can)")
	under := flag.String("under", "", "planners write random values of random wards below this unit and quarters, and check their next view of the indicator page shows each")
	readPaths := flag.String("paths", "", "comma-separated paths the readers request (default: a mix of pages and the API)")
	out := flag.String("o", "", "also write the report (Markdown) to this file")
	flag.Parse()
	rep, err := run(options{bin: *bin, url: *url, db: *dbPath, user: *user, password: *password,
		conns: *conns, writers: *writers, imports: *imports, dur: *dur, rate: *rate, under: *under, paths: splitPaths(*readPaths)})
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		os.Exit(1)
	}
	fmt.Print(rep.markdown())
	if *out != "" {
		if err := os.WriteFile(*out, []byte(rep.markdown()), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "loadtest:", err)
			os.Exit(1)
		}
	}
	if rep.failed() {
		os.Exit(1)
	}
}

type options struct {
	bin, url, db, user, password string
	conns, writers, imports      int
	dur                          time.Duration
	rate                         float64
	under                        string
	paths                        []string
}

func splitPaths(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

func run(o options) (*report, error) {
	if o.bin != "" {
		dir, err := os.MkdirTemp("", "tiendo-load-")
		if err != nil {
			return nil, err
		}
		defer os.RemoveAll(dir)
		o.db = filepath.Join(dir, "load.db")
		o.user, o.password = "loadplanner", "load test password 2026"
		add := exec.Command(o.bin, "user", "add", "-db", o.db, "-username", o.user, "-role", "planner", "-password", o.password)
		if out, err := add.CombinedOutput(); err != nil {
			return nil, fmt.Errorf("adding the planner: %w: %s", err, out)
		}
		if o.under != "" {
			// A small synthetic city (VN-DEMO) for the planners' wards.
			city := exec.Command(o.bin, "demo", "-db", o.db, "--units", "30", "--indicators", "8", "--from", "2020", "--period", "quarter")
			if out, err := city.CombinedOutput(); err != nil {
				return nil, fmt.Errorf("generating a city: %w: %s", err, out)
			}
		}
		stop, u, err := startServer(o.bin, o.db)
		if err != nil {
			return nil, err
		}
		defer stop()
		o.url = u
	}
	if o.url == "" || o.db == "" {
		return nil, fmt.Errorf("give -bin, or -url, -db, -user and -password")
	}
	dbw, err := newDBWriter(o.db)
	if err != nil {
		return nil, err
	}
	defer dbw.close()
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
		MaxConnsPerHost: o.conns + o.writers, MaxIdleConnsPerHost: o.conns + o.writers, DisableCompression: true,
	}}
	apiw, err := newAPIWriter(client, o.url, o.user, o.password, o.under)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), o.dur)
	defer cancel()
	results := make(chan result, 4096)
	var wg sync.WaitGroup
	loop := func(work func(n int) result) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := 0; ctx.Err() == nil; n++ {
				results <- work(n)
			}
		}()
	}
	reads := paths
	if o.paths != nil {
		reads = o.paths
	}
	for i := range o.conns {
		loop(func(n int) result { return get(ctx, client, o.url+reads[(n+i)%len(reads)]) })
	}
	for i := range o.writers {
		rng := rand.New(rand.NewPCG(uint64(i), 12))
		// Each planner writes at rate/writers per second, at a steady pace.
		var every time.Duration
		if o.rate > 0 {
			every = time.Duration(float64(o.writers) / o.rate * float64(time.Second))
		}
		next := time.Now().Add(time.Duration(i) * every / time.Duration(o.writers))
		loop(func(n int) result {
			if every > 0 {
				select {
				case <-ctx.Done():
					return result{kind: "cancelled"}
				case <-time.After(time.Until(next)):
				}
				next = next.Add(every)
			}
			return apiw.write(ctx, i, n, o.writers, rng)
		})
	}
	for i := range o.imports {
		loop(func(n int) result { return dbw.write(i, n) })
	}
	go func() { wg.Wait(); close(results) }()
	rep := &report{o: o, latencies: map[string][]time.Duration{}, errors: map[string]int{}}
	for r := range results {
		rep.add(r)
	}
	lostImports, err := dbw.verify()
	if err != nil {
		return nil, err
	}
	lostAPI, err := apiw.verify(dbw.db)
	if err != nil {
		return nil, err
	}
	rep.lost = lostImports + lostAPI
	rep.unseen = apiw.unseen
	return rep, nil
}

func get(ctx context.Context, client *http.Client, url string) result {
	kind := "page"
	if strings.Contains(url, "/api/") {
		kind = "api"
	}
	start := time.Now()
	req, _ := http.NewRequestWithContext(ctx, "GET", url, nil)
	resp, err := client.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return result{kind: "cancelled"}
		}
		return result{kind: kind, err: err.Error()}
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	r := result{kind: kind, latency: time.Since(start)}
	switch {
	case err != nil && ctx.Err() != nil:
		return result{kind: "cancelled"}
	case err != nil:
		r.err = err.Error()
	case resp.StatusCode != 200:
		r.err = fmt.Sprintf("%d %s", resp.StatusCode, firstLine(body))
	case strings.Contains(string(body), "database is locked"):
		r.err = "database is locked"
	}
	return r
}

func firstLine(b []byte) string {
	s, _, _ := strings.Cut(string(b), "\n")
	if len(s) > 80 {
		s = s[:80]
	}
	return s
}

// startServer runs `bin serve -demo` on a free port and waits until ready.
func startServer(bin, dbPath string) (stop func(), url string, err error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, "", err
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(bin, "serve", "-demo", "-db", dbPath, "-addr", addr)
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		return nil, "", err
	}
	stop = func() { _ = cmd.Process.Signal(syscall.SIGTERM); _ = cmd.Wait() }
	url = "http://" + addr
	for range 300 {
		if resp, err := http.Get(url + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return stop, url, nil
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	stop()
	return nil, "", fmt.Errorf("%s did not become ready", bin)
}

type report struct {
	o         options
	latencies map[string][]time.Duration
	errors    map[string]int
	lost      int
	unseen    int
}

func (r *report) add(res result) {
	switch {
	case res.kind == "cancelled":
	case res.err != "":
		r.errors[res.err]++
	default:
		r.latencies[res.kind] = append(r.latencies[res.kind], res.latency)
	}
}

func (r *report) failed() bool { return len(r.errors) > 0 || r.lost > 0 || r.unseen > 0 }

func (r *report) markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d connections reading, %d planners writing through the API, %d import processes, %s on 127.0.0.1\n\n",
		r.o.conns, r.o.writers, r.o.imports, r.o.dur)
	b.WriteString("| kind | requests | per second | p50 ms | p90 ms | p95 ms | p99 ms | max ms |\n|---|---:|---:|---:|---:|---:|---:|---:|\n")
	kinds := make([]string, 0, len(r.latencies))
	for k := range r.latencies {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		l := r.latencies[k]
		sort.Slice(l, func(i, j int) bool { return l[i] < l[j] })
		q := func(p float64) string {
			return fmt.Sprintf("%.1f", float64(l[int(p*float64(len(l)-1))].Microseconds())/1000)
		}
		fmt.Fprintf(&b, "| %s | %d | %.1f | %s | %s | %s | %s | %s |\n", k, len(l), float64(len(l))/r.o.dur.Seconds(), q(0.5), q(0.9), q(0.95), q(0.99), q(1))
	}
	total := 0
	for _, n := range r.errors {
		total += n
	}
	fmt.Fprintf(&b, "\nerrors: %d; acknowledged writes missing from the database: %d; writes the writer's next view of the indicator page did not show: %d\n", total, r.lost, r.unseen)
	for e, n := range r.errors {
		fmt.Fprintf(&b, "- %d × %s\n", n, e)
	}
	return b.String()
}
