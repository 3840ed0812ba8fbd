package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"tiendo/apptest"
	"tiendo/locale"
	"tiendo/static"
)

// TestBadTimeZoneStopsTheStart: a zone the IANA database does not know,
// by flag or variable, stops `tiendo serve` with a message naming the
// variable, before anything is opened.
func TestBadTimeZoneStopsTheStart(t *testing.T) {
	bin := apptest.Binary(t)
	db := filepath.Join(t.TempDir(), "tz.db")
	for _, c := range []struct {
		args []string
		env  string
	}{
		{[]string{"serve", "-db", db, "-addr", "127.0.0.1:0", "-time-zone", "Asia/Hanoi_Typo"}, ""},
		{[]string{"serve", "-db", db, "-addr", "127.0.0.1:0"}, "TIENDO_TIME_ZONE=GMT+7 Hà Nội"},
	} {
		cmd := exec.Command(bin, c.args...)
		cmd.Env = append(os.Environ(), c.env)
		done := make(chan struct{})
		var out []byte
		var err error
		go func() { out, err = cmd.CombinedOutput(); close(done) }()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			_ = cmd.Process.Kill()
			t.Fatalf("%v %s: still running, want it to stop", c.args, c.env)
		}
		if err == nil || !strings.Contains(string(out), "TIENDO_TIME_ZONE") || !strings.Contains(string(out), "Asia/Ho_Chi_Minh") {
			t.Errorf("%v %s: %v\n%s", c.args, c.env, err, out)
		}
		if _, statErr := os.Stat(db); statErr == nil {
			t.Errorf("%v: the database was created before the zone was checked", c.args)
		}
	}
}

// cliFiles are the command line's commands: what they print is read by
// people, so it comes from the catalog the pages use.
var cliFiles = []string{"user.go", "demo.go", "import.go", "export.go", "backup.go", "mail.go", "cli_text.go"}

// logOnly are literals that go to the server's log or wrap an error the
// program cannot word better, not to a person at the command line.
var logOnly = map[string]bool{
	"panic: %v\n%s": true,
	"backup written to %s, but older ones could not be deleted: %w": true,
}

// TestCommandLineMessagesComeFromTheCatalog reads the commands' source:
// every key they translate exists in Vietnamese and English, and no
// sentence is printed or returned as an error without the catalog.
func TestCommandLineMessagesComeFromTheCatalog(t *testing.T) {
	cat, err := locale.Load(static.FS)
	if err != nil {
		t.Fatal(err)
	}
	words := regexp.MustCompile(`[A-Za-z]{2,}[ ,:;]+[A-Za-z]{2,}`)
	key := regexp.MustCompile(`^[a-z_]+\.[a-z0-9_.]+$`)
	fset := token.NewFileSet()
	for _, name := range cliFiles {
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			fn := sel.Sel.Name
			if pkg, ok := sel.X.(*ast.Ident); ok && (pkg.Name == "fmt" || pkg.Name == "errors") && fn != "Sprint" && fn != "Sprintf" {
				for _, a := range call.Args {
					if lit, ok := a.(*ast.BasicLit); ok && lit.Kind == token.STRING {
						s, _ := strconv.Unquote(lit.Value)
						if words.MatchString(s) && !logOnly[s] {
							t.Errorf("%s: %s.%s(%s): a sentence not from the catalog", fset.Position(lit.Pos()), pkg.Name, fn, lit.Value)
						}
					}
				}
			}
			for _, a := range call.Args {
				lit, ok := a.(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					continue
				}
				s, _ := strconv.Unquote(lit.Value)
				if (fn == "T" || fn == "Err" || fn == "Wrap") && key.MatchString(s) {
					for _, lang := range locale.Languages {
						if _, ok := cat[lang][s]; !ok {
							t.Errorf("%s: key %q has no %s text", fset.Position(lit.Pos()), s, lang)
						}
					}
				}
			}
			return true
		})
	}
}

// TestCommandLineMessagesAreTranslated runs the commands in both languages,
// through their successes and refusals: sentences of the language asked
// for, never a key of the catalog.
func TestCommandLineMessagesAreTranslated(t *testing.T) {
	cat, err := locale.Load(static.FS)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	db := filepath.Join(dir, "tiendo.db")
	mapFile := filepath.Join(dir, "map.csv")
	if err := os.WriteFile(mapFile, []byte("Saigon,VN-SG\nHà Nội\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"vi", "en"} {
		runs := []struct {
			args []string
			want string // a sentence of lang in the output or the error
		}{
			{[]string{"demo", "-db", db, "-lang", lang}, map[string]string{"vi": "Đã thêm dữ liệu minh họa", "en": "Demo data added"}[lang]},
			{[]string{"demo", "-db", db, "-lang", lang}, map[string]string{"vi": "đã được thêm trước đây", "en": "was added before"}[lang]},
			{[]string{"demo", "-db", db, "-lang", lang, "-remove"}, map[string]string{"vi": "Đã xóa mọi dữ liệu minh họa", "en": "Every piece of demo data removed"}[lang]},
			{[]string{"user", "list", "-db", db, "-lang", lang}, map[string]string{"vi": "TÊN ĐĂNG NHẬP", "en": "USERNAME"}[lang]},
			{[]string{"user", "add", "-db", db, "-lang", lang, "--username", "x", "--role", "planner", "--password", "short", "--unit", "VN-XX"}, map[string]string{"vi": "Chưa lưu gì", "en": "--unit: There is no unit"}[lang]},
			{[]string{"user", "remove", "-db", db, "-lang", lang}, map[string]string{"vi": "Không có lệnh con", "en": "add, passwd or list"}[lang]},
			{[]string{"import", "-db", db, "-lang", lang}, map[string]string{"vi": "Hãy ghi tên tệp cần nhập", "en": "Name the files to import"}[lang]},
			{[]string{"import", "-db", db, "-lang", lang, "--create-missing", "--skip-missing", "x.csv"}, map[string]string{"vi": "Chỉ chọn một", "en": "Choose one of"}[lang]},
			{[]string{"import", "-db", db, "-lang", lang, "--direction", "up", "x.csv"}, map[string]string{"vi": "càng cao càng tốt", "en": "higher is better"}[lang]},
			{[]string{"import", "-db", db, "-lang", lang, "--map", mapFile, "x.csv"}, map[string]string{"vi": "Dòng 2 của bảng đối chiếu", "en": "Line 2 of the name mapping"}[lang]},
			{[]string{"backup", "-db", db, "-lang", lang}, map[string]string{"vi": "Hãy ghi tên tệp sao lưu", "en": "Name the backup file"}[lang]},
			{[]string{"backup", "-db", filepath.Join(dir, "none.db"), "-lang", lang, filepath.Join(dir, "b.db")}, map[string]string{"vi": "Không có cơ sở dữ liệu", "en": "There is no database"}[lang]},
			{[]string{"backup", "-db", db, "-lang", lang, filepath.Join(dir, lang+".db")}, map[string]string{"vi": "Đã ghi bản sao lưu", "en": "Backup written to"}[lang]},
			{[]string{"restore", "-db", db, "-lang", lang}, map[string]string{"vi": "Hãy ghi tên bản sao lưu", "en": "Name the backup to restore"}[lang]},
			{[]string{"alerts", "-db", db, "-lang", lang}, map[string]string{"vi": "Hãy dùng: tiendo alerts check", "en": "Use: tiendo alerts check"}[lang]},
			{[]string{"alerts", "check", "-db", db, "-lang", lang}, map[string]string{"vi": "thông báo mới", "en": "new notifications"}[lang]},
			{[]string{"digest", "-db", db, "-lang", lang}, map[string]string{"vi": "Hãy dùng --send-now", "en": "Use --send-now"}[lang]},
			{[]string{"digest", "--send-now", "-db", db, "-lang", lang}, map[string]string{"vi": "nằm lại trong hộp thư đi", "en": "mail stays in the outbox"}[lang]},
		}
		for _, r := range runs {
			out, err := run(t, r.args...)
			if err != nil {
				out += "\n" + err.Error()
			}
			if !strings.Contains(out, r.want) {
				t.Errorf("tiendo %s: %q, want %q", strings.Join(r.args, " "), out, r.want)
			}
			for k := range cat[lang] {
				if strings.Contains(out, k) && strings.Contains(k, ".") && !strings.Contains(k, " ") && len(k) > 6 {
					t.Errorf("tiendo %s shows the raw key %q: %q", strings.Join(r.args, " "), k, out)
				}
			}
		}
	}
}
