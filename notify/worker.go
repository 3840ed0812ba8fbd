package notify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"strings"
	"time"

	"tiendo/models"
)

// leaseName is the lease the sending instance holds; leaseTTL how long it
// lasts without renewal (an instance that dies hands over after it).
const (
	leaseName = "mail"
	leaseTTL  = 2 * time.Minute
	// alertsEvery is how often time-driven rules (overdue, a milestone
	// passing) are evaluated on the schedule.
	alertsEvery = time.Hour
	// digestLate is how late a digest may still go out after its time (a
	// server that was down at 07:00 sends it when it starts), no later.
	digestLate = 24 * time.Hour
	sendBatch  = 20
)

// Worker runs in every instance; only the holder of the lease works, so
// several instances on one database send each message once.
type Worker struct {
	*Mailer
	SMTP     *SMTP // nil: mail stays in the outbox
	Schedule Schedule
	Holder   string // this instance's name in the lease
	Log      *slog.Logger
}

// Run works every interval until ctx ends, then gives the lease up.
func (w *Worker) Run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if err := w.round(ctx); err != nil {
			w.Log.Error("mail worker", "error", err)
		}
		select {
		case <-ctx.Done():
			if err := w.Store.ReleaseLease(leaseName, w.Holder); err != nil {
				w.Log.Error("mail worker: unable to release the lease", "error", err)
			}
			return
		case <-t.C:
		}
	}
}

// round is Step with a panic turned into an error: the worker runs in its
// own goroutine, where a panic would end the whole server.
func (w *Worker) round(ctx context.Context) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v\n%s", r, debug.Stack())
		}
	}()
	return w.Step(ctx)
}

// Step is one round, if this instance holds the lease: time-driven alert
// rules, mail for new notifications, the digest when its time has come,
// then the queue.
func (w *Worker) Step(ctx context.Context) error {
	held, err := w.Store.TakeLease(leaseName, w.Holder, leaseTTL)
	if err != nil || !held {
		return err
	}
	now := w.Store.Now()
	if err := w.scheduledAlerts(now); err != nil {
		return err
	}
	if _, err := w.QueueNotifications(); err != nil {
		return err
	}
	if err := w.scheduledDigest(now); err != nil {
		return err
	}
	_, err = w.SendDue(ctx)
	return err
}

func (w *Worker) scheduledAlerts(now time.Time) error {
	last, err := w.Store.Setting("alerts_checked")
	if err != nil {
		return err
	}
	if t, err := time.Parse(time.RFC3339, last); err == nil && now.Sub(t) < alertsEvery && !now.Before(t) {
		return nil
	}
	if _, err := w.Store.EvaluateAlerts([]models.Change{{}}); err != nil {
		return err
	}
	return w.Store.SetSetting("alerts_checked", now.UTC().Format(time.RFC3339))
}

// scheduledDigest queues the digest of the latest scheduled time once it
// has come (and not more than a day ago), once per scheduled time.
func (w *Worker) scheduledDigest(now time.Time) error {
	if w.Schedule.Off {
		return nil
	}
	at := w.Schedule.Last(now)
	if now.Sub(at) > digestLate {
		return nil
	}
	key := at.UTC().Format(time.RFC3339)
	done, err := w.Store.Setting("digest_done")
	if err != nil || done == key {
		return err
	}
	n, err := w.QueueDigests(at, "", key)
	if err != nil {
		return err
	}
	w.Log.Info("weekly digest queued", "at", at, "mails", n)
	return w.Store.SetSetting("digest_done", key)
}

// ErrNoSMTP says mail cannot leave: it stays in the outbox for admins.
var ErrNoSMTP = errors.New("no SMTP server is configured (-smtp-url, TIENDO_SMTP_URL): mail stays in the outbox")

// SendDue sends the queued mail whose time has come; a failure is recorded
// on its row and tried again later. It returns how many went out.
func (w *Worker) SendDue(ctx context.Context) (int, error) {
	if w.SMTP == nil {
		return 0, nil
	}
	sent := 0
	for {
		ms, err := w.Store.DueMail(sendBatch)
		if err != nil || len(ms) == 0 {
			return sent, err
		}
		progressed := false
		for _, m := range ms {
			if ctx.Err() != nil {
				return sent, ctx.Err()
			}
			if err := w.sendOne(ctx, m); err != nil {
				w.Log.Warn("mail not sent; it will be tried again", "id", m.ID, "to", m.To, "attempt", m.Attempts+1, "error", err)
				if err := w.Store.MailFailedOnce(m, err); err != nil {
					return sent, err
				}
				continue
			}
			sent++
			progressed = true
		}
		if !progressed {
			return sent, nil
		}
		// Renew the lease between batches of a long queue.
		if held, err := w.Store.TakeLease(leaseName, w.Holder, leaseTTL); err != nil || !held {
			return sent, err
		}
	}
}

func (w *Worker) sendOne(ctx context.Context, m models.Mail) error {
	unsubscribe := ""
	if m.UserID != 0 {
		token, err := w.Store.UnsubscribeToken(m.UserID)
		if err != nil {
			return err
		}
		unsubscribe = w.unsubscribeURL(token)
	}
	msg, err := w.SMTP.message(m, unsubscribe)
	if err != nil {
		return err
	}
	if err := w.SMTP.send(ctx, msg); err != nil {
		return fmt.Errorf("smtp %s:%d: %s", w.SMTP.Host, w.SMTP.Port, strings.TrimSpace(err.Error()))
	}
	return w.Store.MailSentOK(m.ID)
}
