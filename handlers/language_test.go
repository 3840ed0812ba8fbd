package handlers_test

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"tiendo/apptest"
)

// readerText is what a reader of the page reads or hears: text, and the
// title, aria-label, alt, placeholder and chart options' strings, leaving
// out what is marked as another language (lang=…), quotes of a source
// (class "source") and scripts.
func readerText(t *testing.T, page, lang string) string {
	t.Helper()
	z := html.NewTokenizer(strings.NewReader(page))
	var b strings.Builder
	skip := 0 // depth inside a left-out element
	for {
		switch z.Next() {
		case html.ErrorToken:
			return b.String()
		case html.TextToken:
			if skip == 0 {
				b.Write(z.Text())
				b.WriteByte('\n')
			}
		case html.EndTagToken:
			if skip > 0 {
				skip--
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			tok := z.Token()
			void := tok.Type == html.SelfClosingTagToken || voidElements[tok.Data]
			// A textarea holds data being edited, in either language; code
			// is an identifier (an audited field's name), not words.
			leave := tok.Data == "script" || tok.Data == "style" || tok.Data == "textarea" || tok.Data == "code"
			for _, a := range tok.Attr {
				switch a.Key {
				case "lang":
					leave = leave || (a.Val != lang && tok.Data != "html")
				case "class":
					leave = leave || strings.Contains(" "+a.Val+" ", " source ")
				case "title", "aria-label", "alt", "placeholder":
					if skip == 0 && !leave {
						b.WriteString(a.Val + "\n")
					}
				case "data-options":
					if skip == 0 && !leave {
						b.WriteString(chartWords(t, a.Val))
					}
				}
			}
			if !void && (skip > 0 || leave) {
				skip++
			}
		}
	}
}

// chartWords are the strings of a chart's options a reader sees: names and
// labels, not option values such as "bar" or "#1f883d".
func chartWords(t *testing.T, options string) string {
	var o any
	if err := json.Unmarshal([]byte(options), &o); err != nil {
		t.Fatalf("chart options: %v", err)
	}
	var b strings.Builder
	var walk func(any)
	walk = func(v any) {
		switch v := v.(type) {
		case string:
			if !technical.MatchString(v) {
				b.WriteString(v + "\n")
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		case map[string]any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(o)
	return b.String()
}

var technical = regexp.MustCompile(`^([a-z]+|#[0-9a-f]{6}|\{[a-z]+\}.*|[0-9]+|-)$`)

var voidElements = map[string]bool{"area": true, "base": true, "br": true, "col": true, "embed": true, "hr": true,
	"img": true, "input": true, "link": true, "meta": true, "source": true, "track": true, "wbr": true}

// vietnamese are letters only Vietnamese uses among the two languages.
var vietnamese = regexp.MustCompile(`[ăâđêôơưĂÂĐÊÔƠƯàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]`)

// english are words a Vietnamese page has no reason to show.
var english = regexp.MustCompile(`\b(?i:the|and|of|by|for|with|from|not|units?|target|status|value|values|page|view|year|years|per|this|that|none|source|indicators?|households|billion|given|below|above|download|sign|search)\b`)

// TestEveryPageInTheReadersLanguage renders every page in both languages
// and finds no word of the other language outside names of places and
// sources.
func TestEveryPageInTheReadersLanguage(t *testing.T) {
	s, tm := startTeam(t, apptest.Options{Demo: true})
	admin := tm["admin"]
	units, err := s.Store.Units()
	if err != nil {
		t.Fatal(err)
	}
	// Names of places, longest first so "Quận 1" does not cut "Quận 10".
	var places []string
	for _, u := range units {
		places = append(places, u.NameVI, u.NameEN)
	}
	// Names of sources, and the notes that quote them, as entered.
	for _, q := range []string{"SELECT DISTINCT source FROM targets", "SELECT DISTINCT source FROM observations",
		"SELECT DISTINCT note FROM observations", "SELECT DISTINCT source_vi FROM indicators", "SELECT DISTINCT source_en FROM indicators"} {
		var got []string
		if err := s.Store.DB().Raw(q).Scan(&got).Error; err != nil {
			t.Fatal(err)
		}
		places = append(places, got...)
	}
	placeRE := regexp.MustCompile(strings.Join(quoteAll(places), "|"))
	allowed := regexp.MustCompile(`Tiến độ|Tiếng Việt|English|Quyết định số 1234/QĐ-UBND|GRDP|PDF|XLSX|CSV|JSON|API|Excel|5G|DVC|https?://\S+|[a-z0-9]+(?:-[a-z0-9]+)+`)
	s.AddTestBreakdowns(t)
	for _, p := range apptest.Pages(s) {
		for _, lang := range []string{"vi", "en"} {
			sep := "?"
			if strings.Contains(p, "?") {
				sep = "&"
			}
			code, body := admin.Get(t, p+sep+"lang="+lang)
			if code != 200 {
				t.Errorf("%s in %s: %d", p, lang, code)
				continue
			}
			text := allowed.ReplaceAllString(placeRE.ReplaceAllString(readerText(t, body, lang), " "), " ")
			other := english
			if lang == "en" {
				other = vietnamese
			}
			seen := map[string]bool{}
			for _, line := range strings.Split(text, "\n") {
				if other.MatchString(line) && !seen[line] {
					seen[line] = true
					t.Errorf("%s in %s shows the other language: %q", p, lang, strings.TrimSpace(line))
				}
			}
		}
	}
}

func quoteAll(ss []string) []string {
	out := make([]string, 0, len(ss))
	for _, s := range ss {
		if s != "" {
			out = append(out, regexp.QuoteMeta(s))
		}
	}
	// Longest first: the alternation takes the first that matches.
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && len(out[j]) > len(out[j-1]); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}
