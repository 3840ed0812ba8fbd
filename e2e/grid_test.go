package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"tiendo/apptest"
	"tiendo/models"
)

// storedValue reads what the database holds for one cell of the grid.
func storedValue(t *testing.T, s *apptest.Server, indicator, unit, period string) (float64, bool) {
	t.Helper()
	ind, u := s.IndicatorAndUnit(t, indicator, unit)
	obs, err := s.Store.ObservationsOf(ind.ID)
	if err != nil {
		t.Fatal(err)
	}
	o, ok := obs[u.ID][period]
	return o.Value, ok
}

// focused is the name of the grid input that has the focus.
func focused(t *testing.T, b *apptest.Browser) string {
	t.Helper()
	var name string
	if err := chromedp.Run(b.Ctx, chromedp.Evaluate(`document.activeElement.name || ""`, &name)); err != nil {
		t.Fatal(err)
	}
	return name
}

// TestGridWorksLikeASpreadsheet pastes a 3 × 4 block copied from a
// spreadsheet (Vietnamese and machine number forms mixed), moves with the
// arrow keys and Enter, and deletes a stored value only once confirmed.
func TestGridWorksLikeASpreadsheet(t *testing.T) {
	s := apptest.Start(t, apptest.Options{Demo: true})
	s.AddUser(t, "planner.hcm", models.RolePlanner, "VN-SG", password)
	b := apptest.NewBrowser(t)
	signIn(t, b, s, "planner.hcm")
	const ind = "digital-economy-grdp"
	grid := s.URL + "/edit/indicators/" + ind + "/grid?from=2021&to=2024"
	var rows []string
	err := chromedp.Run(b.Ctx,
		chromedp.Navigate(grid),
		chromedp.WaitVisible(`form[data-grid] input[data-stored]`),
		chromedp.Evaluate(`[...document.querySelectorAll("table.grid tbody tr")].slice(0, 3).map(tr => tr.querySelector("input").name.split("|")[1])`, &rows),
	)
	if err != nil || len(rows) != 3 {
		t.Fatalf("grid: %v %v", rows, err)
	}

	// Paste: a ClipboardEvent carrying the block, as Chromium dispatches on Ctrl+V.
	block := "30,5\t31.25\t32\t33,75\r\n20\t21,5\t22.5\t23\r\n10,1\t11\t12\t13.5\r\n"
	var changed int
	err = chromedp.Run(b.Ctx,
		chromedp.Focus(`input[name="v|`+rows[0]+`|2021"]`),
		chromedp.Evaluate(`(() => {
			const dt = new DataTransfer();
			dt.setData("text/plain", `+"`"+block+"`"+`);
			document.activeElement.dispatchEvent(new ClipboardEvent("paste", {clipboardData: dt, bubbles: true, cancelable: true}));
			return document.querySelectorAll("td.changed").length;
		})()`, &changed),
	)
	if err != nil {
		t.Fatal(err)
	}
	if changed != 12 {
		t.Errorf("%d cells marked changed after pasting 12", changed)
	}
	var last, status string
	chromedp.Run(b.Ctx, chromedp.Value(`input[name="v|`+rows[2]+`|2024"]`, &last), chromedp.Text(`[data-changed-status]`, &status))
	if last != "13.5" || !strings.Contains(status, "12 ô đã thay đổi") {
		t.Errorf("bottom-right cell %q, status %q", last, status)
	}
	b.Screenshot(t, "grid-pasted-vi")

	// Arrows and Enter move; Enter does not submit.
	moves := []struct {
		key  string
		want string
	}{
		{kb.ArrowDown, "v|" + rows[1] + "|2021"},
		{kb.ArrowRight, "v|" + rows[1] + "|2022"},
		{kb.Enter, "v|" + rows[2] + "|2022"},
		{kb.ArrowUp, "v|" + rows[1] + "|2022"},
		{kb.ArrowLeft, "v|" + rows[1] + "|2021"},
	}
	chromedp.Run(b.Ctx, chromedp.Focus(`input[name="v|`+rows[0]+`|2021"]`), chromedp.Evaluate(`document.activeElement.select()`, nil))
	for _, m := range moves {
		if err := chromedp.Run(b.Ctx, chromedp.KeyEvent(m.key)); err != nil {
			t.Fatal(err)
		}
		if got := focused(t, b); got != m.want {
			var html string
			chromedp.Run(b.Ctx, chromedp.Evaluate(`document.activeElement.outerHTML.slice(0, 200)`, &html))
			t.Errorf("after %q the focus is on %q, want %q (%s)", m.key, got, m.want, html)
		}
	}
	var at string
	chromedp.Run(b.Ctx, chromedp.Location(&at))
	if !strings.Contains(at, "/grid") || changedCells(t, b) != 12 {
		t.Fatal("Enter left the grid or lost the typed cells")
	}

	err = chromedp.Run(b.Ctx,
		chromedp.Click(`form[data-grid] button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(`.flash`),
	)
	if err != nil {
		t.Fatal(err)
	}
	flash := text(t, b, ".flash")
	if !strings.Contains(flash, "Đã lưu 12 thay đổi") || !strings.Contains(flash, "giá trị mới") {
		t.Errorf("summary: %q", flash)
	}
	for _, c := range []struct {
		unit, period string
		want         float64
	}{{rows[0], "2022", 31.25}, {rows[1], "2023", 22.5}, {rows[2], "2024", 13.5}, {rows[0], "2021", 30.5}} {
		if v, ok := storedValue(t, s, ind, c.unit, c.period); !ok || v != c.want {
			t.Errorf("%s %s stored %v %v, want %v", c.unit, c.period, v, ok, c.want)
		}
	}

	// Clearing a stored value asks first; "Cancel" stores nothing.
	answer, named := make(chan bool, 1), make(chan bool, 1)
	chromedp.ListenTarget(b.Ctx, func(ev any) {
		if d, ok := ev.(*page.EventJavascriptDialogOpening); ok {
			accept := <-answer
			go chromedp.Run(b.Ctx, page.HandleJavaScriptDialog(accept))
			named <- strings.Contains(d.Message, "Bạn sắp xóa 1 giá trị đã lưu") && strings.Contains(d.Message, "2022 (31,25)")
		}
	})
	clear := chromedp.Evaluate(`(() => {
		const i = document.querySelector('input[name="v|`+rows[0]+`|2022"]');
		i.value = "";
		i.dispatchEvent(new Event("input", {bubbles: true}));
	})()`, nil)
	answer <- false
	ctx, cancel := context.WithTimeout(b.Ctx, 10*time.Second)
	defer cancel()
	if err := chromedp.Run(ctx, clear, chromedp.Click(`form[data-grid] button[type=submit]`, chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	if !<-named {
		t.Error("the confirmation does not name the value to delete")
	}
	time.Sleep(300 * time.Millisecond)
	if _, ok := storedValue(t, s, ind, rows[0], "2022"); !ok {
		t.Fatal("cancelling the confirmation deleted the value")
	}
	var cleared int
	chromedp.Run(b.Ctx, chromedp.Evaluate(`document.querySelectorAll("td.cleared").length`, &cleared))
	if cleared != 1 {
		t.Errorf("%d cells marked to delete, want 1", cleared)
	}
	b.Screenshot(t, "grid-clear-vi")
	answer <- true
	err = chromedp.Run(b.Ctx,
		chromedp.Click(`form[data-grid] button[type=submit]`, chromedp.ByQuery),
		chromedp.Sleep(300*time.Millisecond),
		chromedp.WaitVisible(`.flash`),
	)
	if err != nil {
		t.Fatal(err)
	}
	<-named
	if flash := text(t, b, ".flash"); !strings.Contains(flash, "Đã lưu 1 thay đổi: 0 giá trị mới, 0 giá trị sửa, 1 giá trị xóa.") {
		t.Errorf("summary after deleting: %q", flash)
	}
	if _, ok := storedValue(t, s, ind, rows[0], "2022"); ok {
		t.Error("the confirmed deletion did not delete")
	}
	b.Screenshot(t, "grid-deleted-vi")
	noJSErrors(t, b)
}

// changedCells counts the cells marked changed or to be deleted.
func changedCells(t *testing.T, b *apptest.Browser) int {
	t.Helper()
	var n int
	if err := chromedp.Run(b.Ctx, chromedp.Evaluate(`document.querySelectorAll("td.changed, td.cleared").length`, &n)); err != nil {
		t.Fatal(err)
	}
	return n
}
