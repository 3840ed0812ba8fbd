// Command tiendo is the Tiến độ dashboard: `tiendo` (or `tiendo serve`)
// starts the server; other subcommands manage data from the command line.
// `tiendo help` lists them.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

// commands maps each subcommand to its function; each parses its own flags.
var commands = map[string]func(args []string) error{
	"serve":    serve,
	"demo":     demo,
	"reassess": reassess,
	"user":     userCmd,
	"export":   export,
	"import":   importCmd,
	"backup":   backup,
	"restore":  restore,
	"version":  printVersion,
	"digest":   digestCmd,
	"alerts":   alertsCmd,
}

// usages are the commands as `tiendo help` lists them: arguments and one
// line each (a table apart from commands, which would otherwise refer to
// itself through the commands' usage messages).
var usages = []struct{ name, args, summary string }{
	{"serve", "[flags]", "start the server (also what a bare `tiendo` does)"},
	{"demo", "[-remove] [-units N …]", "add the marked demo values (or a synthetic city of any size), or remove them all"},
	{"reassess", "[-db FILE]", "build the stored assessments of every indicator in every unit again (writes keep them current)"},
	{"user", "add|passwd|list [flags]", "add an account, change its password, list the accounts"},
	{"export", "[-format csv|xlsx|pdf|json] [flags]", "write a report with the pages' filters"},
	{"import", "[flags] FILE…", "preview files and import them in one transaction"},
	{"backup", "[-db FILE] BACKUP-FILE", "write a consistent copy of the database, also while the server runs"},
	{"restore", "[-db FILE] BACKUP-FILE", "replace the database with a backup (stop the server first)"},
	{"version", "", "print the version and build as JSON"},
	{"digest", "--send-now [--user NAME]", "send the weekly digest now, without a server"},
	{"alerts", "check", "evaluate every alert rule once"},
	{"help", "[COMMAND]", "list the commands, or show one command's flags"},
}

// exitCodes says what the exit status means, for every command's help.
const exitCodes = `exit status: 0 done; 1 failed or refused (problems in a file, a wrong value…);
2 wrong usage (unknown command or flag, a TIENDO_* variable that cannot be read);
3 (import --dry-run) a clean preview: nothing imported`

func main() {
	name, args := "serve", os.Args[1:]
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		name, args = args[0], args[1:]
	} else if len(args) > 0 && isHelp(args[0]) {
		name, args = "help", nil
	}
	if name == "help" {
		os.Exit(help(os.Stdout, args))
	}
	cmd, ok := commands[name]
	if !ok {
		fmt.Fprintf(os.Stderr, "tiendo: unknown command %q\n\n", name)
		listCommands(os.Stderr)
		os.Exit(2)
	}
	if err := cmd(args); err != nil {
		fmt.Fprintln(os.Stderr, "tiendo:", err)
		var ee *exitError
		if errors.As(err, &ee) {
			os.Exit(ee.code)
		}
		os.Exit(1)
	}
}

func isHelp(arg string) bool {
	switch arg {
	case "-h", "-help", "--help":
		return true
	}
	return false
}

// help is `tiendo help [COMMAND]`: the list of commands, or one command's
// flags (what `tiendo COMMAND -h` shows). It returns the exit status.
func help(w io.Writer, args []string) int {
	if len(args) == 0 {
		listCommands(w)
		return 0
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(os.Stderr, "tiendo: unknown command %q\n\n", args[0])
		listCommands(os.Stderr)
		return 2
	}
	if err := cmd([]string{"-h"}); err != nil {
		fmt.Fprintln(os.Stderr, "tiendo:", err)
		return 1
	}
	return 0
}

// listCommands writes every command with its line.
func listCommands(w io.Writer) {
	fmt.Fprintln(w, "usage: tiendo [COMMAND] [flags]   (no command: serve)")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "commands:")
	for _, u := range usages {
		fmt.Fprintf(w, "  %-8s %s\n", u.name, u.summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "`tiendo help COMMAND` or `tiendo COMMAND -h` shows a command's flags.")
	fmt.Fprintln(w, exitCodes)
}

// newFlagSet is the flags of a command ("user add" for a subcommand); -h
// shows them with the command's line and the exit statuses.
func newFlagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ExitOnError)
	fs.Usage = func() { commandUsage(fs) }
	return fs
}

func commandUsage(fs *flag.FlagSet) {
	w := fs.Output()
	name := strings.Fields(fs.Name())[0]
	for _, u := range usages {
		if u.name == name {
			fmt.Fprintf(w, "usage: tiendo %s %s\n%s\n", u.name, u.args, u.summary)
		}
	}
	hasFlags := false
	fs.VisitAll(func(*flag.Flag) { hasFlags = true })
	if hasFlags {
		fmt.Fprintln(w, "\nflags:")
		fs.PrintDefaults()
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, exitCodes)
}
