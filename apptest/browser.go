package apptest

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// Browser is a headless Chromium tab that records JavaScript errors.
type Browser struct {
	Ctx      context.Context
	mu       sync.Mutex
	jsErrors []string
}

// JSErrors returns the JavaScript errors seen so far.
func (b *Browser) JSErrors() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.jsErrors...)
}

// chromiumPath finds Debian's Chromium. Outside CI a missing browser skips
// the test with a plain message; in CI (CI=true) it fails, so a browser test
// can never skip itself silently there.
func chromiumPath(t testing.TB) string {
	for _, p := range []string{os.Getenv("CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"} {
		if p != "" {
			if _, err := os.Stat(p); err == nil {
				return p
			}
		}
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	if os.Getenv("CI") != "" {
		t.Fatal("apptest: Chromium is not installed; .ci/run installs Debian's chromium package")
	}
	t.Skip("SKIPPED: Chromium is not installed (apt-get install chromium, or run `make test`, which installs it)")
	return ""
}

// NewBrowser starts headless Chromium for one test.
func NewBrowser(t testing.TB) *Browser {
	t.Helper()
	path := chromiumPath(t)
	// Not t.TempDir: Chromium's helper processes may still write into the
	// profile for a moment after the browser exits, which made TempDir's
	// strict cleanup fail the test; we retry the removal instead.
	profile, err := os.MkdirTemp("", "tiendo-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(1280, 900),
	)
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelC := chromedp.NewContext(actx)
	ctx, cancelT := context.WithTimeout(ctx, 90*time.Second)
	b := &Browser{Ctx: ctx}
	// The listener must not block: it only appends under a lock.
	chromedp.ListenTarget(ctx, func(ev any) {
		var msg string
		switch e := ev.(type) {
		case *runtime.EventExceptionThrown:
			msg = e.ExceptionDetails.Text
			if e.ExceptionDetails.Exception != nil {
				msg += " " + e.ExceptionDetails.Exception.Description
			}
		case *runtime.EventConsoleAPICalled:
			if e.Type != runtime.APITypeError {
				return
			}
			for _, a := range e.Args {
				msg += string(a.Value) + " " + a.Description
			}
		default:
			return
		}
		b.mu.Lock()
		b.jsErrors = append(b.jsErrors, msg)
		b.mu.Unlock()
	})
	if err := chromedp.Run(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancelT()
		cancelC()
		cancelA()
		for i := 0; i < 50 && os.RemoveAll(profile) != nil; i++ {
			time.Sleep(100 * time.Millisecond)
		}
	})
	return b
}

// Screenshot saves a full-page PNG under artifacts/screenshots/ (at the
// module root) for people to look at.
func (b *Browser) Screenshot(t testing.TB, name string) string {
	t.Helper()
	var png []byte
	if err := chromedp.Run(b.Ctx, chromedp.FullScreenshot(&png, 100)); err != nil {
		t.Fatal(err)
	}
	dir := ArtifactDir(t, "screenshots")
	path := filepath.Join(dir, name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// ArtifactDir returns (and creates) artifacts/<sub> at the module root.
func ArtifactDir(t testing.TB, sub string) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("apptest: go.mod not found")
		}
		dir = parent
	}
	out := filepath.Join(dir, "artifacts", sub)
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	return out
}
