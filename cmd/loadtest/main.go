// Command loadtest puts a running Tiến độ under a bounded load on 127.0.0.1
// and checks nothing is lost: -c connections read pages and the API for -d
// while writers commit values into the same database, then every
// acknowledged write is looked for in the database.
//
//	go run ./cmd/loadtest -bin ./tiendo -c 64 -d 60s
//
// With -bin it starts that binary on a fresh database (with the demo data)
// and stops it afterwards; with -url and -db it uses a server already running.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
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
	conns := flag.Int("c", 64, "connections reading")
	writers := flag.Int("w", 4, "writers committing values (as a concurrent import would)")
	dur := flag.Duration("d", 60*time.Second, "how long")
	out := flag.String("o", "", "also write the report (Markdown) to this file")
	flag.Parse()
	rep, err := run(*bin, *url, *dbPath, *conns, *writers, *dur)
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

func run(bin, url, dbPath string, conns, writers int, dur time.Duration) (*report, error) {
	if bin != "" {
		dir, err := os.MkdirTemp("", "tiendo-load-")
		if err != nil {
			return nil, err
		}
		defer os.RemoveAll(dir)
		dbPath = filepath.Join(dir, "load.db")
		stop, u, err := startServer(bin, dbPath)
		if err != nil {
			return nil, err
		}
		defer stop()
		url = u
	}
	if url == "" || dbPath == "" {
		return nil, fmt.Errorf("give -bin, or -url and -db")
	}
	w, err := newWriter(dbPath)
	if err != nil {
		return nil, err
	}
	defer w.close()
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
		MaxConnsPerHost: conns, MaxIdleConnsPerHost: conns, DisableCompression: true,
	}}
	ctx, cancel := context.WithTimeout(context.Background(), dur)
	defer cancel()
	results := make(chan result, 4096)
	var wg sync.WaitGroup
	for i := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := i; ctx.Err() == nil; n++ {
				results <- get(ctx, client, url+paths[n%len(paths)])
			}
		}()
	}
	for i := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := 0; ctx.Err() == nil; n++ {
				results <- w.write(i, n)
			}
		}()
	}
	go func() { wg.Wait(); close(results) }()
	rep := &report{conns: conns, writers: writers, dur: dur, latencies: map[string][]time.Duration{}, errors: map[string]int{}}
	for r := range results {
		rep.add(r)
	}
	rep.lost, err = w.verify()
	return rep, err
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
	conns, writers int
	dur            time.Duration
	latencies      map[string][]time.Duration
	errors         map[string]int
	lost           int
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

func (r *report) failed() bool { return len(r.errors) > 0 || r.lost > 0 }

func (r *report) markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d connections reading, %d writers, %s on 127.0.0.1\n\n", r.conns, r.writers, r.dur)
	b.WriteString("| kind | requests | per second | p50 ms | p90 ms | p99 ms | max ms |\n|---|---:|---:|---:|---:|---:|---:|\n")
	kinds := make([]string, 0, len(r.latencies))
	for k := range r.latencies {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		l := r.latencies[k]
		sort.Slice(l, func(i, j int) bool { return l[i] < l[j] })
		q := func(p float64) string { return fmt.Sprintf("%.1f", float64(l[int(p*float64(len(l)-1))].Microseconds())/1000) }
		fmt.Fprintf(&b, "| %s | %d | %.0f | %s | %s | %s | %s |\n", k, len(l), float64(len(l))/r.dur.Seconds(), q(0.5), q(0.9), q(0.99), q(1))
	}
	total := 0
	for _, n := range r.errors {
		total += n
	}
	fmt.Fprintf(&b, "\nerrors: %d; acknowledged writes missing from the database: %d\n", total, r.lost)
	for e, n := range r.errors {
		fmt.Fprintf(&b, "- %d × %s\n", n, e)
	}
	return b.String()
}
