package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/user"
	"sort"
	"strings"
	"text/tabwriter"

	"tiendo/locale"
	"tiendo/models"
)

// userCmd manages accounts: `tiendo user add|passwd|list`.
func userCmd(args []string) error {
	sub := ""
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		sub, args = args[0], args[1:]
	}
	var cfg config
	fs := newFlagSet(strings.TrimSpace("user " + sub))
	cfg.bindCommon(fs)
	username := fs.String("username", "", "the account's name")
	role := fs.String("role", "", "viewer, analyst, planner or admin")
	unit := fs.String("unit", "", "for a planner: the code of the only unit (and those below it) they may edit")
	email := fs.String("email", "", "the account's e-mail address: it receives the weekly digest and alerts")
	password := fs.String("password", "", "the password; without it, read from standard input (safer: not in the shell history)")
	lang := fs.String("lang", "vi", "language of messages, and of a new account's e-mails: vi or en")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	say, err := newVoice(*lang)
	if err != nil {
		return err
	}
	cat, l := say.cat, say.lang
	if sub != "add" && sub != "passwd" && sub != "list" {
		return say.Err("cli.user_subcommand", sub)
	}
	refused := func(err error) error { return cliProblems(cat, l, fs, err) }
	store, err := openStore(cfg.db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		return err
	}
	actor := models.Actor{Username: cliUser(), Address: "localhost", Via: models.ViaCLI}
	switch sub {
	case "add":
		pw, err := readPassword(say, *password)
		if err != nil {
			return err
		}
		u, err := store.CreateUser(actor, models.UserInput{Username: *username, Role: models.Role(*role), UnitCode: *unit, Password: pw, Email: email, Lang: *lang})
		if err != nil {
			return refused(err)
		}
		fmt.Println(cat.T(l, "cli.user_added", u.Username, cat.T(l, "role."+string(u.Role))))
	case "passwd":
		pw, err := readPassword(say, *password)
		if err != nil {
			return err
		}
		if err := store.SetPassword(actor, *username, pw); err != nil {
			return refused(err)
		}
		fmt.Println(cat.T(l, "cli.password_changed", *username))
	case "list":
		users, err := store.Users()
		if err != nil {
			return err
		}
		w := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, strings.Join([]string{say.T("cli.col_username"), say.T("cli.col_role"), say.T("cli.col_unit"), say.T("cli.col_state")}, "\t"))
		for _, u := range users {
			unit, state := say.T("cli.every_unit"), say.T("cli.state_active")
			if u.Unit != nil {
				unit = u.Unit.Code
			}
			if u.Disabled {
				state = say.T("cli.state_disabled")
			}
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", u.Username, u.Role, unit, state) // the role as --role takes it
		}
		return w.Flush()
	}
	return nil
}

// readPassword takes the flag, else the first line of standard input.
func readPassword(say voice, flagValue string) (string, error) {
	if flagValue != "" {
		return flagValue, nil
	}
	fmt.Fprint(os.Stderr, say.T("cli.password_prompt")+" ")
	line, err := bufio.NewReader(os.Stdin).ReadString('\n')
	if err != nil && line == "" {
		return "", say.Err("cli.no_password")
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// cliProblems turns refused fields into translated sentences, one a line,
// each after the flag that set the field, like the pages beside the field.
func cliProblems(cat locale.Catalog, lang string, fs *flag.FlagSet, err error) error {
	var p models.Problems
	if !errors.As(err, &p) {
		return err
	}
	lines := []string{cat.T(lang, "cli.refused")}
	for field, pr := range p {
		line := "  "
		if fs.Lookup(field) != nil {
			line += "--" + field + ": "
		}
		lines = append(lines, line+cat.T(lang, pr.Key, pr.Args...))
	}
	sort.Strings(lines[1:])
	return errors.New(strings.Join(lines, "\n"))
}

// cliUser names who ran the command, for the audit log.
func cliUser() string {
	if u, err := user.Current(); err == nil {
		return "cli:" + u.Username
	}
	return "cli"
}
