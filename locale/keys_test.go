package locale

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"tiendo/static"
)

// dynamicKeys are the key prefixes the code completes at run time, with
// where: every key under them counts as used. Each must still be written
// somewhere in the code (checked below), so the list cannot outlive its use.
var dynamicKeys = map[string]string{
	"status.":                    "models.Progress.Words, and every status legend: status.<Status>",
	"trend.":                     "models.Progress.Words: trend.<Status> of a row without a target",
	"direction.":                 "handlers/format.go directionKey and templates: direction.<Direction>",
	"comparator.":                "reports/format.go: comparator.<Comparator>",
	"frequency.":                 "pages and templates: frequency.<Frequency>",
	"level.":                     "handlers/edit.go: level.<unit level>",
	"role.":                      "templates and user.go: role.<Role>",
	"action.":                    "audit templates: action.<Action>",
	"entity.":                    "audit templates: entity.<Entity>",
	"via.":                       "audit template: via.<Via>",
	"audit.field.":               "handlers/audit.go: audit.field.<changed field>",
	"tokens.":                    "tokens template: tokens.<State> (active, expired, revoked)",
	"alerts.kind.":               "handlers/alerts.go: alerts.kind.<Kind>",
	"notification.":              "notify/text.go: notification.<Kind>",
	"outbox.state.":              "outbox template: outbox.state.<State>",
	"error.period_frequency.":    "models: error.period_frequency.<Frequency>",
	"targets.cmp_":               "targets template: targets.cmp_<Comparator>",
	"value.change_":              "handlers/value.go: value.change_<Change>",
	"value.period_help_":         "value template: value.period_help_<Frequency>",
	"import.kind_":               "import.go: import.kind_<kind of row>",
	"breakdown_import.kind_":     "import.go and the upload page: breakdown_import.kind_<kind of record>",
	"breakdown_import.reason_":   "import.go and the upload page: breakdown_import.reason_<why rows were refused>",
	"import.direction_":          "import.go and the preview: import.direction_<where the direction came from>",
	"import.":                    "handlers/import.go: import.<Change> of a previewed row (create, update, same)",
	"reports.download_":          "handlers/export.go: reports.download_<format>",
	"leaders.rule_":              "handlers/leaders.go: leaders.rule_<roll-up rule>",
	"rollup.rule_":               "indicator form: rollup.rule_<roll-up rule, or none>",
	"completeness.not_reported_": "handlers/completeness.go: completeness.not_reported_<unit level>",
}

// keyLike is a literal that reads as a translation key.
var keyLike = regexp.MustCompile(`^[a-z][a-z_]*(\.[a-z0-9_]*[a-z0-9])+$`)

// TestKeysUsedAndDefined fails on a key the code or the templates use that
// a language lacks, and on a key no code or template uses.
func TestKeysUsedAndDefined(t *testing.T) {
	cat, err := Load(static.FS)
	if err != nil {
		t.Fatal(err)
	}
	prefixes := map[string]bool{}
	for _, msgs := range cat {
		for k := range msgs {
			prefixes[strings.SplitN(k, ".", 2)[0]] = true
		}
	}
	literals := sourceLiterals(t, "..")
	used := map[string]bool{}
	for lit, where := range literals {
		if !keyLike.MatchString(lit) || !prefixes[strings.SplitN(lit, ".", 2)[0]] {
			continue
		}
		used[lit] = true
		for _, lang := range Languages {
			if _, ok := cat[lang][lit]; !ok {
				t.Errorf("%s: key %q is used (%s) but missing in %s", lang, lit, where, lang)
			}
		}
	}
	for prefix, why := range dynamicKeys {
		found := false
		for lit := range literals {
			if lit == prefix || lit+"_" == prefix || strings.HasPrefix(lit, prefix+"%") {
				found = true
				break
			}
		}
		if !found {
			t.Errorf("dynamic key prefix %q (%s) is no longer written in the code: drop it from dynamicKeys", prefix, why)
		}
	}
	var unused []string
	for k := range cat[Default] {
		if used[k] || dynamic(k) {
			continue
		}
		unused = append(unused, k)
	}
	sort.Strings(unused)
	for _, k := range unused {
		t.Errorf("key %q is defined but used nowhere (or is built at run time: add its prefix to dynamicKeys)", k)
	}
}

func dynamic(key string) bool {
	for prefix := range dynamicKeys {
		if prefix == "import." {
			// only the changes of a previewed row, not every import key
			if key == "import.create" || key == "import.update" || key == "import.same" {
				return true
			}
			continue
		}
		if strings.HasPrefix(key, prefix) {
			return true
		}
	}
	return false
}

// templateAction is a template's {{…}}, templateString a quoted string in it.
var (
	templateAction = regexp.MustCompile(`(?s){{.*?}}`)
	templateString = regexp.MustCompile(`"((?:[^"\\]|\\.)*)"`)
)

// sourceLiterals returns every string literal of the repository's Go code
// (tests left out: they do not make a key used) and templates, each with
// one place it stands.
func sourceLiterals(t *testing.T, root string) map[string]string {
	t.Helper()
	out := map[string]string{}
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			switch d.Name() {
			case "node_modules", ".git", "vendor", "testdata", "artifacts":
				return filepath.SkipDir
			}
			return nil
		}
		switch {
		case strings.HasSuffix(path, ".go") && !strings.HasSuffix(path, "_test.go"):
			f, err := parser.ParseFile(fset, path, nil, 0)
			if err != nil {
				return err
			}
			ast.Inspect(f, func(n ast.Node) bool {
				if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
					if s, err := strconv.Unquote(lit.Value); err == nil {
						if _, seen := out[s]; !seen {
							out[s] = fset.Position(lit.Pos()).String()
						}
					}
				}
				return true
			})
		case strings.HasSuffix(path, ".html"):
			body, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			for _, action := range templateAction.FindAllString(string(body), -1) {
				for _, m := range templateString.FindAllStringSubmatch(action, -1) {
					if _, seen := out[m[1]]; !seen {
						out[m[1]] = path
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
