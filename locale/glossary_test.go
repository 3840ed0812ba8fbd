package locale

import (
	"bufio"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"tiendo/static"
)

// glossary reads the words docs/GLOSSARY.md forbids, by language.
func glossary(t *testing.T) map[string][]string {
	t.Helper()
	f, err := os.Open("../docs/GLOSSARY.md")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	banned := map[string][]string{}
	sc := bufio.NewScanner(f)
	rows := 0
	for sc.Scan() {
		cells := strings.Split(strings.Trim(sc.Text(), "| "), "|")
		if len(cells) != 5 || strings.HasPrefix(cells[0], "---") || strings.TrimSpace(cells[0]) == "thing" {
			continue
		}
		rows++
		for i, lang := range map[int]string{3: "vi", 4: "en"} {
			for _, w := range strings.Split(cells[i], ",") {
				if w = strings.TrimSpace(w); w != "" {
					banned[lang] = append(banned[lang], w)
				}
			}
		}
	}
	if rows < 8 || len(banned["vi"]) < 5 || len(banned["en"]) < 5 {
		t.Fatalf("glossary table not read: %d rows, %v", rows, banned)
	}
	return banned
}

// wordRE matches w as a whole word, any case.
func wordRE(w string) *regexp.Regexp {
	return regexp.MustCompile(`(?i)(^|[^\p{L}])` + regexp.QuoteMeta(w) + `($|[^\p{L}])`)
}

// misused lists the banned words found in text.
func misused(text string, words []string) []string {
	var out []string
	for _, w := range words {
		if wordRE(w).MatchString(text) {
			out = append(out, w)
		}
	}
	return out
}

// TestGlossaryTranslations: no translation uses a word the glossary bans,
// and none names targets "chỉ tiêu" or indicators "mục tiêu".
func TestGlossaryTranslations(t *testing.T) {
	banned := glossary(t)
	c, err := Load(static.FS)
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range Languages {
		for k, v := range c[lang] {
			if bad := misused(v, banned[lang]); len(bad) > 0 {
				t.Errorf("%s %s = %q uses %v (see docs/GLOSSARY.md)", lang, k, v, bad)
			}
		}
	}
	last := func(k string) string { return k[strings.LastIndex(k, ".")+1:] }
	for k, v := range c["vi"] {
		v = strings.ToLower(v)
		name := last(k)
		if strings.Contains(name, "target") && !strings.Contains(name, "indicator") &&
			strings.Contains(v, "chỉ tiêu") && !strings.Contains(v, "mục tiêu") {
			t.Errorf("vi %s = %q names targets “chỉ tiêu”: they are “mục tiêu”", k, v)
		}
		if strings.Contains(name, "indicator") && !strings.Contains(name, "target") &&
			strings.Contains(v, "mục tiêu") && !strings.Contains(v, "chỉ tiêu") {
			t.Errorf("vi %s = %q names indicators “mục tiêu”: they are “chỉ tiêu”", k, v)
		}
	}
}

// TestGlossaryTemplates scans the text of every template (tags and actions
// taken out, so attribute values and code do not count).
func TestGlossaryTemplates(t *testing.T) {
	banned := glossary(t)
	strip := regexp.MustCompile(`(?s)\{\{.*?\}\}|<[^>]*>`)
	n := 0
	err := fs.WalkDir(static.FS, "templates", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := fs.ReadFile(static.FS, p)
		if err != nil {
			return err
		}
		n++
		text := strip.ReplaceAllString(string(body), " ")
		for _, lang := range Languages {
			if bad := misused(text, banned[lang]); len(bad) > 0 {
				t.Errorf("%s: text uses %v (see docs/GLOSSARY.md)", p, bad)
			}
		}
		return nil
	})
	if err != nil || n < 10 {
		t.Fatalf("templates read: %d, %v", n, err)
	}
}

// TestGlossaryCode scans the string literals of the reports and of the
// command line that are words for people (they hold a space); machine names
// such as the CSV's "observation" have none.
func TestGlossaryCode(t *testing.T) {
	banned := glossary(t)
	for _, dir := range []string{"../reports", ".."} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
		if len(files) == 0 {
			t.Fatalf("no Go files in %s", dir)
		}
		for _, name := range files {
			if strings.HasSuffix(name, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(token.NewFileSet(), name, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			ast.Inspect(f, func(n ast.Node) bool {
				lit, ok := n.(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					return true
				}
				s, err := strconv.Unquote(lit.Value)
				if err != nil || !strings.Contains(s, " ") {
					return true
				}
				for _, lang := range Languages {
					if bad := misused(s, banned[lang]); len(bad) > 0 {
						t.Errorf("%s: %q uses %v (see docs/GLOSSARY.md)", name, s, bad)
					}
				}
				return true
			})
		}
	}
}

// TestGlossaryCatches: the scan finds a banned word, whole words only.
func TestGlossaryCatches(t *testing.T) {
	words := []string{"chỉ số", "goal"}
	if got := misused("Mã chỉ số", words); len(got) != 1 {
		t.Errorf("missed “chỉ số”: %v", got)
	}
	if got := misused("Goals reached", words); len(got) != 0 {
		t.Errorf("matched inside a word: %v", got)
	}
	if got := misused("chỉ tiêu", words); len(got) != 0 {
		t.Errorf("false alarm: %v", got)
	}
}
