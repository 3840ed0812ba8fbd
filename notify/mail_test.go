package notify_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"io"
	"log/slog"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"tiendo/apptest"
	"tiendo/locale"
	"tiendo/models"
	"tiendo/notify"
	"tiendo/static"
)

// smtpServer is a real SMTP server on 127.0.0.1 that keeps what it receives.
type smtpServer struct {
	Addr string
	mu   sync.Mutex
	msgs [][]byte
}

func (s *smtpServer) NewSession(*smtp.Conn) (smtp.Session, error) { return &smtpSession{srv: s}, nil }

type smtpSession struct{ srv *smtpServer }

func (*smtpSession) Reset()                               {}
func (*smtpSession) Logout() error                        { return nil }
func (*smtpSession) Mail(string, *smtp.MailOptions) error { return nil }
func (*smtpSession) Rcpt(string, *smtp.RcptOptions) error { return nil }
func (ss *smtpSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	ss.srv.mu.Lock()
	defer ss.srv.mu.Unlock()
	ss.srv.msgs = append(ss.srv.msgs, b)
	return nil
}

func startSMTP(t *testing.T) *smtpServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &smtpServer{Addr: ln.Addr().String()}
	s := smtp.NewServer(srv)
	s.Domain = "localhost"
	s.EnableSMTPUTF8 = true
	go func() { _ = s.Serve(ln) }()
	t.Cleanup(func() { _ = s.Close() })
	return srv
}

func (s *smtpServer) received() [][]byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([][]byte(nil), s.msgs...)
}

// parsed is a received message, decoded as a mail reader would.
type parsed struct {
	Subject, To, Body, ListUnsubscribe string
	Attachments                        map[string][]byte
}

func parse(t *testing.T, raw []byte) parsed {
	t.Helper()
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	var dec mime.WordDecoder
	subject, err := dec.DecodeHeader(m.Header.Get("Subject"))
	if err != nil {
		t.Fatal(err)
	}
	p := parsed{Subject: subject, To: m.Header.Get("To"), ListUnsubscribe: m.Header.Get("List-Unsubscribe"), Attachments: map[string][]byte{}}
	var walk func(h map[string][]string, body io.Reader)
	walk = func(h map[string][]string, body io.Reader) {
		get := func(k string) string {
			if v := h[k]; len(v) > 0 {
				return v[0]
			}
			return ""
		}
		mediaType, params, _ := mime.ParseMediaType(get("Content-Type"))
		if strings.HasPrefix(mediaType, "multipart/") {
			mr := multipart.NewReader(body, params["boundary"])
			for {
				part, err := mr.NextRawPart()
				if err != nil {
					return
				}
				walk(part.Header, part)
			}
		}
		var r io.Reader = body
		switch strings.ToLower(get("Content-Transfer-Encoding")) {
		case "quoted-printable":
			r = quotedprintable.NewReader(body)
		case "base64":
			r = base64.NewDecoder(base64.StdEncoding, body)
		}
		b, err := io.ReadAll(r)
		if err != nil {
			t.Fatal(err)
		}
		if _, dp, err := mime.ParseMediaType(get("Content-Disposition")); err == nil && dp["filename"] != "" {
			p.Attachments[dp["filename"]] = b
		} else if mediaType == "text/plain" {
			p.Body += string(b)
		}
	}
	walk(m.Header, m.Body)
	return p
}

func mailer(t *testing.T, store *models.Store, srv *smtpServer, holder string) *notify.Worker {
	t.Helper()
	cat, err := locale.Load(static.FS)
	if err != nil {
		t.Fatal(err)
	}
	w := &notify.Worker{Mailer: &notify.Mailer{Store: store, Cat: cat, BaseURL: "https://tiendo.example.vn"}, Holder: holder,
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
		Password: "một-mật-khẩu-dài-" + name, Email: email, Lang: lang})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// One breach gives one notification and one e-mail; a re-run none; a
// recovery then a new breach one more. The Vietnamese subject arrives intact.
func TestOneBreachOneEmail(t *testing.T) {
	srv := startSMTP(t)
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
	got := srv.received()
	if len(got) != 1 {
		t.Fatalf("one breach: %d e-mails, want 1", len(got))
	}
	m := parse(t, got[0])
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
	if n := len(srv.received()); n != 1 {
		t.Fatalf("re-run: %d e-mails, want still 1", n)
	}
	save("2025", 35)
	save("2025", 12)
	if n := len(srv.received()); n != 2 {
		t.Fatalf("recovery then a new breach: %d e-mails, want 2", n)
	}
}

// The digest goes out at the scheduled local time only, to the users who
// receive mail, in their language, with the PDF briefing of their unit.
func TestDigestAtTheScheduledTimeToTheRightUsers(t *testing.T) {
	srv := startSMTP(t)
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
	if n := len(srv.received()); n != 0 {
		t.Fatalf("at 06:59: %d e-mails, want none", n)
	}
	at(7, 0)
	got := srv.received()
	if len(got) != 2 {
		t.Fatalf("at 07:00: %d e-mails, want 2 (lead and analyst)", len(got))
	}
	at(7, 30)
	if n := len(srv.received()); n != 2 {
		t.Fatalf("at 07:30: %d e-mails, want still 2", n)
	}
	byTo := map[string]parsed{}
	for _, raw := range got {
		m := parse(t, raw)
		byTo[m.To] = m
	}
	vi, en := byTo["<lead@example.vn>"], byTo["<analyst@example.vn>"]
	if vi.Subject != "Tiến độ — Báo cáo tuần: TP Hồ Chí Minh, ngày 30/11/2026" {
		t.Errorf("Vietnamese subject: %q (to %v)", vi.Subject, keys(byTo))
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
		t.Fatalf("no PDF attached: %v", keys2(vi.Attachments))
	}
	if text := pdfText(t, pdf); !strings.Contains(text, "TP Hồ Chí Minh") {
		t.Errorf("the PDF's text lacks the unit's name:\n%.500s", text)
	}
	if text := pdfText(t, en.Attachments["briefing-VN-51-2026-11-30.pdf"]); !strings.Contains(text, "Trà Vinh") {
		t.Errorf("the English PDF's text lacks the unit's name:\n%.500s", text)
	}
}

func keys(m map[string]parsed) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func keys2(m map[string][]byte) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Fatal("pdftotext is missing: run make test-deps (poppler-utils)")
	}
	path := filepath.Join(t.TempDir(), "briefing.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
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
	srv := startSMTP(t)
	strict := mailer(t, store, nil, "a")
	strict.Schedule.Off = true
	strict.SMTP, _ = notify.ParseSMTP("smtp://"+srv.Addr, "tiendo@example.vn")
	now = now.Add(2 * time.Minute)
	if err := strict.Step(ctx); err != nil {
		t.Fatal(err)
	}
	if n := len(srv.received()); n != 0 {
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
	if got := srv.received(); len(got) != 1 || parse(t, got[0]).Subject != "Thử nghiệm k1" {
		t.Fatalf("after the restart: %d mails", len(got))
	}
	ms, _ = store.Outbox(10)
	if ms[0].State != models.MailSent || ms[0].SentAt == nil {
		t.Errorf("sent mail's row: %+v", ms[0])
	}
}

// Two instances on one database: exactly one sends, each message once.
func TestTwoInstancesSendEachMailOnce(t *testing.T) {
	srv := startSMTP(t)
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
	got := srv.received()
	seen := map[string]int{}
	for _, raw := range got {
		seen[parse(t, raw).Subject]++
	}
	if len(got) != 30 || len(seen) != 30 {
		t.Fatalf("two instances sent %d mails, %d distinct; want 30 and 30", len(got), len(seen))
	}
	// The lease: while A holds it, B cannot take it.
	if ok, _ := a.TakeLease("mail", "instance-a", time.Minute); !ok {
		t.Fatal("instance A could not take a free lease")
	}
	if ok, _ := b.TakeLease("mail", "instance-b", time.Minute); ok {
		t.Fatal("instance B took the lease A holds")
	}
}
