package apptest

import (
	"bytes"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"
)

var (
	buildOnce sync.Once
	buildDir  string
	buildErr  error
)

// Binary builds the real tiendo binary once per test process and returns
// its path.
func Binary(t testing.TB) string {
	t.Helper()
	return Build(t, "tiendo", "tiendo")
}

var builds sync.Map // package → path

// Build compiles a main package of the module (e.g. "tiendo" or
// "tiendo/e2e/testdata/bulkwrite") once per test process.
func Build(t testing.TB, pkg, name string) string {
	t.Helper()
	buildOnce.Do(func() { buildDir, buildErr = os.MkdirTemp("", "tiendo-bin-") })
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	if p, ok := builds.Load(pkg); ok {
		return p.(string)
	}
	out := filepath.Join(buildDir, name)
	cmd := exec.Command("go", "build", "-ldflags", "-X main.version=test-binary", "-o", out, pkg)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build %s: %v\n%s", pkg, err, b)
	}
	builds.Store(pkg, out)
	return out
}

// Process is the real binary serving on 127.0.0.1.
type Process struct {
	URL    string
	Cmd    *exec.Cmd
	Stderr *bytes.Buffer
	done   chan struct{}
	err    error
}

// StartBinary runs `tiendo serve -db dsn args…` on a free port and waits
// until /readyz answers 200. The process is killed when the test ends if it
// still runs.
func StartBinary(t testing.TB, dsn string, args ...string) *Process {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	p := &Process{URL: "http://" + addr, Stderr: &bytes.Buffer{}, done: make(chan struct{})}
	p.Cmd = exec.Command(Binary(t), append([]string{"serve", "-db", dsn, "-addr", addr}, args...)...)
	p.Cmd.Stderr = p.Stderr
	if err := p.Cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.err = p.Cmd.Wait(); close(p.done) }()
	t.Cleanup(func() {
		select {
		case <-p.done:
		default:
			_ = p.Cmd.Process.Kill()
			<-p.done
		}
	})
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-p.done:
			t.Fatalf("tiendo exited while starting: %v\n%s", p.err, p.Stderr)
		default:
		}
		if resp, err := http.Get(p.URL + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return p
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("tiendo did not become ready\n%s", p.Stderr)
	return nil
}

// Signal sends sig to the process.
func (p *Process) Signal(t testing.TB, sig syscall.Signal) {
	t.Helper()
	if err := p.Cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
}

// Wait waits for the process to end and returns its exit error.
func (p *Process) Wait(t testing.TB, timeout time.Duration) error {
	t.Helper()
	select {
	case <-p.done:
		return p.err
	case <-time.After(timeout):
		t.Fatalf("tiendo did not stop within %s\n%s", timeout, p.Stderr)
		return nil
	}
}
