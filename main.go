// Command tiendo is the Tiến độ dashboard: `tiendo` (or `tiendo serve`)
// starts the server; other subcommands manage data from the command line.
package main

import (
	"errors"
	"fmt"
	"os"
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

func main() {
	name, args := "serve", os.Args[1:]
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		name, args = args[0], args[1:]
	}
	cmd, ok := commands[name]
	if !ok {
		fmt.Fprintf(os.Stderr, "tiendo: unknown command %q\n", name)
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
