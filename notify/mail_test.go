package notify_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"tiendo/apptest"
	"tiendo/locale"
	"tiendo/models"
	"tiendo/notify"
	"tiendo/seed"
	"tiendo/static"
)

func mailer(t *testing.T, store *models.Store, srv *apptest.SMTPServer, holder string) *notify.Worker {
	t.Helper()
	cat, err := locale.Load(static.FS)
	if err != nil {
		t.Fatal(err)
	}
	w := &notify.Worker{Mailer: &notify.Mailer{Store: store, Cat: cat, BaseURL: "https://tiendo.example.vn", DefaultUnit: seed.UnitHCMC}, Holder: holder,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	w.Schedule, _ = notify.ParseSchedule(notify.DefaultSchedule)
	if srv != nil {
		w.SMTP, err = notify.ParseSMTP("smtp://"+srv.Addr+"?starttls=none", "Tiến độ <tiendo@example.vn>")
		if err != nil {
			t.Fatal(err)
		}
	}
	return w
}

func addUser(t *testing.T, store *models.Store, name, role, unit, email, lang string) *models.User {
	t.Helper()
	u, err := store.CreateUser(models.Actor{Username: "test"}, models.UserInput{Username: name, Role: models.Role(role), UnitCode: unit,
		Password: "một-mật-khẩu-dài-" + name, Email: &email, Lang: lang})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// One breach gives one notification and one e-mail; a re-run none; a
// recovery then a new breach one more. The Vietnamese subject arrives intact.
func TestOneBreachOneEmail(t *testing.T) {
	srv := apptest.StartSMTP(t)
	store := apptest.OpenStore(t, apptest.DSN(t))
	store.SetClock(func() time.Time { return apptest.Today })
	lead := addUser(t, store, "lead", "admin", "", "lead@example.vn", "vi")
	w := mailer(t, store, srv, "a")
	w.Schedule.Off = true
	ctx := context.Background()
	ind, _ := store.IndicatorByCode("digital-economy-grdp")
	hcmc, _ := store.UnitByCode("VN-SG")
	save := func(period string, v float64) {
		t.Helper()
		if err := store.SaveObservations(models.Actor{Username: "t"}, *ind, []models.ObservationInput{{Unit: *hcmc, Period: period, Value: &v}}); err != nil {
			t.Fatal(err)
		}
		if err := w.Step(ctx); err != nil {
			t.Fatal(err)
		}
	}
	save("2020", 10)
	save("2024", 30)
	if _, err := store.SaveAlertRule(models.Actor{Username: "t"}, lead, 0, models.AlertRuleInput{Kind: "status_worse", Indicator: ind.Code, Unit: "VN-SG"}); err != nil {
		t.Fatal(err)
	}
	save("2025", 12)
	got := srv.Received()
	if len(got) != 1 {
		t.Fatalf("one breach: %d e-mails, want 1", len(got))
	}
	m := apptest.ParseMail(t, got[0])
	if !strings.HasPrefix(m.Subject, "Tiến độ — Cảnh báo: Kinh tế số chiếm tỷ trọng GRDP — TP Hồ Chí Minh: tình trạng xấu đi") {
		t.Errorf("subject: %q", m.Subject)
	}
	if !strings.Contains(m.Body, "https://tiendo.example.vn/indicators/digital-economy-grdp?unit=VN-SG&lang=vi") ||
		!strings.Contains(m.Body, "Ngừng nhận thư") || !strings.Contains(m.ListUnsubscribe, "/unsubscribe?token=") {
		t.Errorf("body or headers lack the link or the unsubscribe link:\n%s\n%s", m.Body, m.ListUnsubscribe)
	}
	if _, err := store.EvaluateAlerts([]models.Change{{}}); err != nil {
		t.Fatal(err)
	}
	if err := w.Step(ctx); err != nil {
		t.Fatal(err)
	}
	if n := len(srv.Received()); n != 1 {
		t.Fatalf("re-run: %d e-mails, want still 1", n)
	}
	save("2025", 35)
	save("2025", 12)
	if n := len(srv.Received()); n != 2 {
		t.Fatalf("recovery then a new breach: %d e-mails, want 2", n)
	}
}

// The digest goes out at the scheduled local time only, to the users who
// receive mail, in their language, with the PDF briefing of their unit.
func TestDigestAtTheScheduledTimeToTheRightUsers(t *testing.T) {
	srv := apptest.StartSMTP(t)
	store := apptest.OpenStore(t, apptest.DSN(t))
	addUser(t, store, "lead", "admin", "", "lead@example.vn", "vi")
	addUser(t, store, "analyst", "analyst", "VN-51", "analyst@example.vn", "en")
	addUser(t, store, "nomail", "viewer", "", "", "vi")
	gone := addUser(t, store, "gone", "viewer", "", "gone@example.vn", "vi")
	if err := store.SetMailOff(gone.ID, true); err != nil {
		t.Fatal(err)
	}
	w := mailer(t, store, srv, "a")
	ctx := context.Background()
	// Monday 30 November 2026, in Vietnam.
	at := func(h, m int) {
		t.Helper()
		store.SetClock(func() time.Time { return time.Date(2026, 11, 30, h, m, 0, 0, models.ReportingZone) })
		if err := w.Step(ctx); err != nil {
			t.Fatal(err)
		}
	}
	// The week before was sent already: only this Monday counts.
	if err := store.SetSetting("digest_done", time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC).Format(time.RFC3339)); err != nil {
		t.Fatal(err)
	}
	at(6, 59)
	if n := len(srv.Received()); n != 0 {
		t.Fatalf("at 06:59: %d e-mails, want none", n)
	}
	at(7, 0)
	got := srv.Received()
	if len(got) != 2 {
		t.Fatalf("at 07:00: %d e-mails, want 2 (lead and analyst)", len(got))
	}
	at(7, 30)
	if n := len(srv.Received()); n != 2 {
		t.Fatalf("at 07:30: %d e-mails, want still 2", n)
	}
	byTo := map[string]apptest.Mail{}
	for _, raw := range got {
		m := apptest.ParseMail(t, raw)
		byTo[m.To] = m
	}
	vi, en := byTo["<lead@example.vn>"], byTo["<analyst@example.vn>"]
	if vi.Subject != "Tiến độ — Báo cáo tuần: TP Hồ Chí Minh, ngày 30/11/2026" {
		t.Errorf("Vietnamese subject: %q", vi.Subject)
	}
	if en.Subject != "Tiến độ — Weekly briefing: Trà Vinh Province, 30 Nov 2026" {
		t.Errorf("English subject: %q", en.Subject)
	}
	for _, want := range []string{"Chào lead", "Thay đổi trong tuần", "Số liệu quá hạn nộp", "Cần quan tâm", "https://tiendo.example.vn/unsubscribe?token="} {
		if !strings.Contains(vi.Body, want) {
			t.Errorf("Vietnamese body lacks %q:\n%s", want, vi.Body)
		}
	}
	pdf := vi.Attachments["bao-cao-tom-tat-VN-SG-2026-11-30.pdf"]
	if len(pdf) == 0 {
		t.Fatalf("no PDF attached: %d attachments", len(vi.Attachments))
	}
	if text := apptest.PDFText(t, pdf); !strings.Contains(text, "TP Hồ Chí Minh") {
		t.Errorf("the PDF's text lacks the unit's name:\n%.500s", text)
	}
	if text := apptest.PDFText(t, en.Attachments["briefing-VN-51-2026-11-30.pdf"]); !strings.Contains(text, "Trà Vinh") {
		t.Errorf("the English PDF's text lacks the unit's name:\n%.500s", text)
	}
}

// Without SMTP the mail stays in the outbox; a failure is recorded with a
// backoff; a new worker (a restart) sends what is queued, each message once.
func TestOutboxKeepsFailuresAndResumes(t *testing.T) {
	store := apptest.OpenStore(t, apptest.DSN(t))
	now := apptest.Today
	store.SetClock(func() time.Time { return now })
	lead := addUser(t, store, "lead", "admin", "", "lead@example.vn", "vi")
	ctx := context.Background()
	queue := func(key string) {
		if _, err := store.QueueMail(models.Mail{Key: key, UserID: lead.ID, To: lead.Email, Subject: "Thử nghiệm " + key, Body: "Nội dung tiếng Việt"}); err != nil {
			t.Fatal(err)
		}
	}
	queue("k1")
	queue("k1") // the same key: one row
	off := mailer(t, store, nil, "a")
	off.Schedule.Off = true
	if err := off.Step(ctx); err != nil {
		t.Fatal(err)
	}
	ms, _ := store.Outbox(10)
	if len(ms) != 1 || ms[0].State != models.MailQueued {
		t.Fatalf("without SMTP: %+v, want one queued mail", ms)
	}
	// A server that does not answer: the failure is recorded, retried later.
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	dead := ln.Addr().String()
	ln.Close()
	bad := mailer(t, store, nil, "a")
	bad.Schedule.Off = true
	bad.SMTP, _ = notify.ParseSMTP("smtp://"+dead+"?starttls=none", "tiendo@example.vn")
	if err := bad.Step(ctx); err != nil {
		t.Fatal(err)
	}
	ms, _ = store.Outbox(10)
	if ms[0].Attempts != 1 || ms[0].LastError == "" || !ms[0].NextAt.After(now) {
		t.Fatalf("after a failure: %+v, want one attempt, its error and a later try", ms[0])
	}
	// STARTTLS is required unless starttls=none: a server without it is refused.
	srv := apptest.StartSMTP(t)
	strict := mailer(t, store, nil, "a")
	strict.Schedule.Off = true
	strict.SMTP, _ = notify.ParseSMTP("smtp://"+srv.Addr, "tiendo@example.vn")
	now = now.Add(2 * time.Minute)
	if err := strict.Step(ctx); err != nil {
		t.Fatal(err)
	}
	if n := len(srv.Received()); n != 0 {
		t.Fatalf("smtp:// sent %d mails to a server without STARTTLS", n)
	}
	// A restart with a working relay sends it, once.
	now = now.Add(10 * time.Minute)
	good := mailer(t, store, srv, "a")
	good.Schedule.Off = true
	for range 2 {
		if err := good.Step(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if got := srv.Received(); len(got) != 1 || apptest.ParseMail(t, got[0]).Subject != "Thử nghiệm k1" {
		t.Fatalf("after the restart: %d mails", len(got))
	}
	ms, _ = store.Outbox(10)
	if ms[0].State != models.MailSent || ms[0].SentAt == nil {
		t.Errorf("sent mail's row: %+v", ms[0])
	}
}

// Two instances on one database: exactly one sends, each message once.
func TestTwoInstancesSendEachMailOnce(t *testing.T) {
	srv := apptest.StartSMTP(t)
	dsn := apptest.DSN(t)
	a := apptest.OpenStore(t, dsn)
	b := apptest.OpenStore(t, dsn)
	for _, s := range []*models.Store{a, b} {
		s.SetClock(func() time.Time { return apptest.Today })
	}
	for i := range 30 {
		if _, err := a.QueueMail(models.Mail{Key: "bulk:" + string(rune('A'+i)), To: "x@example.vn", Subject: "Thư " + string(rune('A'+i)), Body: "."}); err != nil {
			t.Fatal(err)
		}
	}
	wa, wb := mailer(t, a, srv, "instance-a"), mailer(t, b, srv, "instance-b")
	wa.Schedule.Off, wb.Schedule.Off = true, true
	var wg sync.WaitGroup
	for _, w := range []*notify.Worker{wa, wb} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 5 {
				if err := w.Step(context.Background()); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	got := srv.Received()
	seen := map[string]int{}
	for _, raw := range got {
		seen[apptest.ParseMail(t, raw).Subject]++
	}
	if len(got) != 30 || len(seen) != 30 {
		t.Fatalf("two instances sent %d mails, %d distinct; want 30 and 30", len(got), len(seen))
	}
	// The lease: while A holds it, B cannot take it.
	for _, h := range []string{"instance-a", "instance-b"} {
		if err := a.ReleaseLease("mail", h); err != nil {
			t.Fatal(err)
		}
	}
	if ok, _ := a.TakeLease("mail", "instance-a", time.Minute); !ok {
		t.Fatal("instance A could not take a free lease")
	}
	if ok, _ := b.TakeLease("mail", "instance-b", time.Minute); ok {
		t.Fatal("instance B took the lease A holds")
	}
}
