package display

import (
	"io/fs"
	"regexp"
	"testing"

	"tiendo/models"
	"tiendo/static"
)

// TestStyleSheetHasTheStatusColours: the pages' colours of the statuses
// (CSS variables) are those of the charts and reports.
func TestStyleSheetHasTheStatusColours(t *testing.T) {
	css, err := fs.ReadFile(static.FS, "css/app.css")
	if err != nil {
		t.Fatal(err)
	}
	for variable, s := range map[string]models.Status{"achieved": models.StatusTargetAchieved, "substantial": models.StatusSubstantial,
		"moderate": models.StatusModerate, "limited": models.StatusLimited, "deterioration": models.StatusDeterioration,
		"missed": models.StatusTargetMissed, "na": models.StatusNotAvailable} {
		m := regexp.MustCompile(`--` + variable + `:\s*(#[0-9a-f]{6})`).FindSubmatch(css)
		if m == nil || string(m[1]) != StatusColors[s] {
			t.Errorf("--%s: %q in the style sheet, %s in display.StatusColors", variable, m, StatusColors[s])
		}
	}
}

func TestEveryStatusHasAColourAndAnIcon(t *testing.T) {
	icons := map[string]bool{}
	for _, s := range append(models.Classes, models.StatusNotAvailable) {
		if StatusColors[s] == "" {
			t.Errorf("%s has no colour", s)
		}
		icons[StatusIcon(s)] = true
	}
	if len(icons) < 7 {
		t.Errorf("only %d distinct icons", len(icons))
	}
}
