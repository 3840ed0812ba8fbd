package e2e

import (
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"tiendo/apptest"
)

// screen is a device size pages are looked at in.
type screen struct {
	name          string
	width, height int64
	mobile        bool
}

// screens are a laptop's and a phone's.
var screens = []screen{{"laptop", 1366, 900, false}, {"phone", 390, 844, true}}

// setScreen makes b's page the size of sc.
func setScreen(t *testing.T, b *apptest.Browser, sc screen) {
	t.Helper()
	if err := chromedp.Run(b.Ctx, emulation.SetDeviceMetricsOverride(sc.width, sc.height, 1, sc.mobile)); err != nil {
		t.Fatal(err)
	}
}
