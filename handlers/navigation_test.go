package handlers_test

import (
	"html"
	"regexp"
	"strings"
	"testing"

	"tiendo/apptest"
	"tiendo/seed"
)

// hiddenFields returns the hidden inputs of the form whose action is action.
func hiddenFields(t *testing.T, body, action string) map[string]string {
	t.Helper()
	i := strings.Index(body, `action="`+action+`"`)
	if i < 0 {
		t.Fatalf("no form to %s", action)
	}
	form := body[i:]
	form = form[:strings.Index(form, "</form>")]
	out := map[string]string{}
	for _, m := range regexp.MustCompile(`<input type="hidden" name="([a-z]+)" value="([^"]*)">`).FindAllStringSubmatch(form, -1) {
		out[m[1]] = m[2]
	}
	return out
}

// Changing unit keeps milestone, pillar and language, also without
// JavaScript: the unit form carries them.
func TestUnitFormKeepsMilestonePillarAndLanguage(t *testing.T) {
	s := apptest.Start(t, apptest.Options{Demo: true})
	_, body := s.Get(t, "/?unit=VN-SG&year=2025&pillar=digital-government&lang=en")
	got := hiddenFields(t, body, "/")
	want := map[string]string{"year": "2025", "pillar": "digital-government", "lang": "en"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("unit form field %s = %q, want %q (all: %v)", k, got[k], v, got)
		}
	}
}

// Every pillar with something to show in the unit has its tab, the
// poverty pillar too (Ho Chi Minh City has GSO poverty rates, no target).
func TestEveryPillarHasItsTab(t *testing.T) {
	s := apptest.Start(t, apptest.Options{Demo: true})
	for _, path := range []string{"/?unit=VN-SG", "/compare?unit=VN-SG", "/briefing?unit=VN-SG"} {
		_, body := s.Get(t, path)
		for _, p := range []string{"digital-government", "digital-economy", "digital-infrastructure", "poverty-reduction"} {
			if !strings.Contains(body, "pillar="+p) {
				t.Errorf("%s: no tab for pillar %s", path, p)
			}
		}
	}
}

// The indicator page lists every unit with data of the indicator, District 1
// too, whose values are rolled up from its wards.
func TestIndicatorUnitListHasEveryUnitWithData(t *testing.T) {
	s := apptest.Start(t, apptest.Options{Demo: true})
	_, body := s.Get(t, "/indicators/fibre-coverage?unit=VN-SG")
	for _, code := range []string{"VN-SG", seed.DistrictCode("760"), seed.DistrictCode("760") + "-26740", seed.DistrictCode("761")} {
		if !strings.Contains(body, `<option value="`+code+`"`) {
			t.Errorf("indicator page's unit list has no %s", code)
		}
	}
}

// Every link of the comparison leads somewhere useful: never to a
// comparison of a unit without units below it.
func TestCompareLinksNeverDeadEnd(t *testing.T) {
	s := apptest.Start(t, apptest.Options{Demo: true})
	_, body := s.Get(t, "/compare?unit=VN-SG&year=2030")
	leaf := seed.DistrictCode("761")
	cell := regexp.MustCompile(`<td class="heat-[a-z_]+"><a href="([^"]+)"`).FindAllStringSubmatch(body, -1)
	if len(cell) == 0 {
		t.Fatal("no heatmap cells")
	}
	seen := 0
	for _, m := range cell {
		u := html.UnescapeString(m[1])
		if !strings.Contains(u, "unit="+leaf+"&") && !strings.HasSuffix(u, "unit="+leaf) {
			continue
		}
		seen++
		if !strings.HasPrefix(u, "/?") {
			t.Errorf("a leaf unit's heatmap cell opens %s, want its overview", u)
		}
		if !strings.Contains(u, "year=2030") {
			t.Errorf("heatmap cell %s loses the milestone", u)
		}
	}
	if seen == 0 {
		t.Fatalf("no heatmap cell of %s", leaf)
	}
	for _, m := range regexp.MustCompile(`href="(/[^"]*)"`).FindAllStringSubmatch(body, -1) {
		u := html.UnescapeString(m[1])
		if strings.HasPrefix(u, "/static/") {
			continue
		}
		code, page := s.Get(t, u)
		if code != 200 || strings.Contains(page, "không có đơn vị trực thuộc để so sánh") {
			t.Errorf("link %s: %d, dead end", u, code)
		}
	}
	// A leaf's own comparison offers its overview and its parent's comparison.
	_, page := s.Get(t, "/compare?unit="+leaf+"&year=2030")
	if !strings.Contains(page, `href="/?lang=vi&amp;unit=`+leaf+`&amp;year=2030"`) || !strings.Contains(page, `href="/compare?lang=vi&amp;unit=VN-SG&amp;year=2030"`) {
		t.Errorf("a leaf's comparison does not lead to its overview and its parent's comparison")
	}
}
