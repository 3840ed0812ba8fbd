package main

import (
	"cmp"
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"tiendo/locale"
	"tiendo/models"
	"tiendo/notify"
	"tiendo/static"
)

// mailConfig is where mail goes and when the digest does.
type mailConfig struct {
	smtpURL, from, schedule string
}

// bindMail adds the mail flags (serve and digest share them).
func (m *mailConfig) bindMail(fs *flag.FlagSet) {
	fs.StringVar(&m.smtpURL, "smtp-url", "", "SMTP server: smtp://user:pass@host:587 (STARTTLS required), smtp://localhost:25?starttls=none, smtps://user:pass@host:465; empty: mail stays in the outbox (TIENDO_SMTP_URL)")
	fs.StringVar(&m.from, "mail-from", "", "sender of the e-mails, e.g. 'Tiến độ <tiendo@example.gov.vn>' (TIENDO_MAIL_FROM)")
	fs.StringVar(&m.schedule, "digest-schedule", notify.DefaultSchedule, "when the weekly digest goes out: weekday, time, zone, or off (TIENDO_DIGEST_SCHEDULE)")
}

// worker builds the mail worker of this process; base is the address of
// the app in links (-public-url, else the listening address), defaultUnit
// the unit of the digests of users without one.
func (m *mailConfig) worker(store *models.Store, log *slog.Logger, base, defaultUnit string) (*notify.Worker, error) {
	smtp, err := notify.ParseSMTP(m.smtpURL, m.from)
	if err != nil {
		return nil, err
	}
	sc, err := notify.ParseSchedule(m.schedule)
	if err != nil {
		return nil, err
	}
	cat, err := locale.Load(static.FS)
	if err != nil {
		return nil, err
	}
	host, _ := os.Hostname()
	holder := fmt.Sprintf("%s/%d/%d", host, os.Getpid(), time.Now().UnixNano()%1e6)
	return &notify.Worker{Mailer: &notify.Mailer{Store: store, Cat: cat, BaseURL: base, DefaultUnit: defaultUnit}, SMTP: smtp, Schedule: sc, Holder: holder, Log: log}, nil
}

// digestCmd is `tiendo digest --send-now [--user NAME]`: the weekly digest
// at once, without a server.
func digestCmd(args []string) error {
	var cfg config
	var mc mailConfig
	fs := newFlagSet("digest")
	cfg.bindCommon(fs)
	mc.bindMail(fs)
	cfg.bindDefaultUnit(fs)
	fs.StringVar(&cfg.publicURL, "public-url", "", "the app's address for links in the e-mails (TIENDO_PUBLIC_URL)")
	sendNow := fs.Bool("send-now", false, "queue the digest of every user with an e-mail address (or --user) and send it now")
	user := fs.String("user", "", "only this user")
	say, err := parseCommand(fs, args)
	if err != nil {
		return err
	}
	if !*sendNow {
		return say.Err("cli.digest_usage")
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	store, err := openStore(cfg.db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		return err
	}
	defer closeDB(store.DB())
	w, err := mc.worker(store, log, cmp.Or(cfg.publicURL, "http://127.0.0.1:8080"), cfg.defaultUnit)
	if err != nil {
		return err
	}
	now := store.Now()
	n, err := w.QueueDigests(now, *user, "now-"+now.UTC().Format("20060102T150405.000"))
	if err != nil {
		return err
	}
	if w.SMTP == nil {
		return say.Wrap(notify.ErrNoSMTP, "cli.digest_no_smtp", n)
	}
	sent, err := w.SendDue(context.Background())
	fmt.Println(say.T("cli.digest_sent", n, sent))
	return err
}

// alertsCmd is `tiendo alerts check`: every rule evaluated once.
func alertsCmd(args []string) error {
	check := len(args) > 0 && args[0] == "check"
	if check {
		args = args[1:]
	}
	var cfg config
	fs := newFlagSet("alerts check")
	cfg.bindCommon(fs)
	say, err := parseCommand(fs, args)
	if err != nil {
		return err
	}
	if !check {
		return say.Err("cli.alerts_usage")
	}
	store, err := openStore(cfg.db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		return err
	}
	defer closeDB(store.DB())
	n, err := store.EvaluateAlerts([]models.Change{{}})
	if err != nil {
		return err
	}
	fmt.Println(say.T("cli.alerts_checked", n))
	return nil
}
