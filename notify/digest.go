package notify

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"time"

	"gorm.io/gorm"

	"tiendo/display"
	"tiendo/locale"
	"tiendo/models"
	"tiendo/reports"
)

// digestAttention is how many indicators the digest lists as needing attention.
const digestAttention = 5

// Mailer renders and queues the app's mail; Worker sends it.
type Mailer struct {
	Store   *models.Store
	Cat     locale.Catalog
	BaseURL string // absolute links in mail, e.g. https://tiendo.example.gov.vn
	// DefaultUnit is the code of the unit of the digests of users without
	// one (-default-unit).
	DefaultUnit string
}

// link is an absolute URL of a page in a language.
func (m *Mailer) link(path, lang string) string {
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	return strings.TrimRight(m.BaseURL, "/") + path + sep + "lang=" + lang
}

// digestUnit is the unit a user's digest is about: their scope, else the
// default unit.
func (m *Mailer) digestUnit(u models.User) (models.Unit, error) {
	if u.Unit != nil {
		return *u.Unit, nil
	}
	unit, err := m.Store.UnitByCode(m.DefaultUnit)
	if err != nil {
		return models.Unit{}, err
	}
	return *unit, nil
}

// Digest is the weekly briefing of one user at a time: the week's
// notifications, what is overdue, what needs attention, and the PDF
// briefing of their unit attached, in their language.
func (m *Mailer) Digest(u models.User, at time.Time) (models.Mail, error) {
	lang := locale.Normalize(u.Lang)
	T := func(key string, args ...any) string { return m.Cat.T(lang, key, args...) }
	unit, err := m.digestUnit(u)
	if err != nil {
		return models.Mail{}, err
	}
	unitName := display.Name(lang, unit.NameVI, unit.NameEN)
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n\n", T("digest.greeting", u.Username, unitName, locale.Date(lang, at.In(locale.Zone))))

	// What changed: the user's notifications of the week.
	names, err := LoadNames(m.Store)
	if err != nil {
		return models.Mail{}, err
	}
	ns, _, err := m.Store.Inbox(u.ID, 200)
	if err != nil {
		return models.Mail{}, err
	}
	fmt.Fprintf(&b, "%s\n", T("digest.changed"))
	n := 0
	for _, x := range ns {
		if x.CreatedAt.After(at.AddDate(0, 0, -7)) && !x.CreatedAt.After(at) {
			fmt.Fprintf(&b, "- %s\n  %s\n", Title(m.Cat, lang, x, names), m.link(x.Link, lang))
			n++
		}
	}
	if n == 0 {
		fmt.Fprintf(&b, "- %s\n", T("digest.nothing_changed"))
	}

	// What is overdue: the units of the tree missing the last period due.
	fmt.Fprintf(&b, "\n%s\n", T("digest.overdue"))
	inds, err := m.Store.Indicators()
	if err != nil {
		return models.Mail{}, err
	}
	overdue := 0
	for _, freq := range []string{models.FrequencyYear, models.FrequencyQuarter, models.FrequencyMonth} {
		var of []models.Indicator
		due := -1
		for _, ind := range inds {
			if ind.Frequency == freq {
				of = append(of, ind)
				if due < 0 || ind.DueDays < due {
					due = ind.DueDays
				}
			}
		}
		if len(of) == 0 {
			continue
		}
		last := models.RecentPeriods(freq, due, 1, at)
		g, err := m.Store.Completeness(unit, of, last)
		if err != nil {
			return models.Mail{}, err
		}
		if len(g.Missing) == 0 {
			continue
		}
		var list []string
		for i, x := range g.Missing {
			if i == 10 {
				list = append(list, T("digest.and_more", len(g.Missing)-10))
				break
			}
			list = append(list, display.Name(lang, x.NameVI, x.NameEN))
		}
		fmt.Fprintf(&b, "- %s: %s (%s)\n  %s\n", last[0], strings.Join(list, ", "), T("digest.missing_values", g.Total.Missing()),
			m.link("/completeness?"+url.Values{"unit": {unit.Code}, "freq": {freq}}.Encode(), lang))
		overdue++
	}
	if overdue == 0 {
		fmt.Fprintf(&b, "- %s\n", T("digest.nothing_overdue"))
	}

	// What needs attention: furthest behind first.
	fmt.Fprintf(&b, "\n%s\n", T("digest.attention"))
	targets, err := m.Store.EffectiveTargets(unit)
	if err != nil {
		return models.Mail{}, err
	}
	milestone := models.DefaultMilestone(models.TargetMilestones(targets), at)
	rows, err := m.Store.CachedEffectiveProgress(unit, milestone)
	if err != nil {
		return models.Mail{}, err
	}
	var behind []models.Progress
	for _, r := range rows {
		if r.Target != nil && !r.Assessment.Status.OnTrack() && r.Assessment.Status != models.StatusNotAvailable {
			behind = append(behind, r)
		}
	}
	sort.SliceStable(behind, func(i, j int) bool { return behind[i].Assessment.Behind() > behind[j].Assessment.Behind() })
	for i, r := range behind {
		if i == digestAttention {
			break
		}
		fmt.Fprintf(&b, "- %s: %s\n  %s\n", display.Name(lang, r.Indicator.NameVI, r.Indicator.NameEN), T("status."+string(r.Assessment.Status)),
			m.link("/indicators/"+url.PathEscape(r.Indicator.Code)+"?unit="+url.QueryEscape(unit.Code), lang))
	}
	if len(behind) == 0 {
		fmt.Fprintf(&b, "- %s\n", T("digest.nothing_behind"))
	}

	token, err := m.Store.UnsubscribeToken(u.ID)
	if err != nil {
		return models.Mail{}, err
	}
	fmt.Fprintf(&b, "\n%s\n%s\n\n%s\n%s\n%s\n%s\n", T("digest.overview"), m.link("/?unit="+url.QueryEscape(unit.Code), lang),
		T("digest.settings"), m.link("/account/settings", lang), T("digest.unsubscribe"), m.unsubscribeURL(token))

	d, err := reports.Load(m.Store, reports.Filter{Unit: unit.Code, Milestone: milestone, Lang: lang})
	if err != nil {
		return models.Mail{}, err
	}
	var pdf bytes.Buffer
	if err := reports.WritePDF(&pdf, d, m.Cat); err != nil {
		return models.Mail{}, err
	}
	return models.Mail{UserID: u.ID, To: u.Email, Subject: T("digest.subject", unitName, locale.Date(lang, at.In(locale.Zone))),
		Body: b.String(), AttachmentName: T("digest.attachment", unit.Code, at.In(locale.Zone).Format("2006-01-02")),
		Attachment: base64.StdEncoding.EncodeToString(pdf.Bytes())}, nil
}

func (m *Mailer) unsubscribeURL(token string) string {
	return strings.TrimRight(m.BaseURL, "/") + "/unsubscribe?token=" + url.QueryEscape(token)
}

// QueueDigests queues the digest of every user who receives mail (only
// the one named, when given) for the scheduled time at; key names the
// round, so a round is queued once whoever queues it.
func (m *Mailer) QueueDigests(at time.Time, only, key string) (int, error) {
	users, err := m.Store.MailUsers()
	if err != nil {
		return 0, err
	}
	queued := 0
	found := only == ""
	for _, u := range users {
		if only != "" && u.Username != only {
			continue
		}
		found = true
		mail, err := m.Digest(u, at)
		if err != nil {
			return queued, err
		}
		mail.Key = fmt.Sprintf("digest:%d:%s", u.ID, key)
		ok, err := m.Store.QueueMail(mail)
		if err != nil {
			return queued, err
		}
		if ok {
			queued++
		}
	}
	if !found {
		return 0, fmt.Errorf("no user %q with an e-mail address who receives mail", only)
	}
	return queued, nil
}

// QueueNotifications turns notifications not yet mailed into mail for
// their users (those with an address who receive mail), once each.
func (m *Mailer) QueueNotifications() (int, error) {
	ns, err := m.Store.UnmailedNotifications(500)
	if err != nil || len(ns) == 0 {
		return 0, err
	}
	names, err := LoadNames(m.Store)
	if err != nil {
		return 0, err
	}
	queued := 0
	for _, n := range ns {
		u, err := m.Store.UserByID(n.UserID)
		if err != nil {
			return queued, err
		}
		var mail *models.Mail
		if u.Email != "" && !u.MailOff && !u.Disabled {
			lang := locale.Normalize(u.Lang)
			title := Title(m.Cat, lang, n, names)
			token, err := m.Store.UnsubscribeToken(u.ID)
			if err != nil {
				return queued, err
			}
			body := fmt.Sprintf("%s\n\n%s\n%s\n\n%s\n%s\n", title, m.Cat.T(lang, "mail.open"), m.link(n.Link, lang),
				m.Cat.T(lang, "digest.unsubscribe"), m.unsubscribeURL(token))
			mail = &models.Mail{Key: fmt.Sprintf("notification:%d", n.ID), UserID: u.ID, To: u.Email,
				Subject: m.Cat.T(lang, "mail.alert_subject", title), Body: body}
		}
		// The mail and the mark go together: a crash leaves both or neither.
		err = m.Store.InTx(func(tx *gorm.DB) error {
			if mail != nil {
				ok, err := models.QueueMail(tx, *mail, m.Store.Now())
				if err != nil {
					return err
				}
				if ok {
					queued++
				}
			}
			return models.MarkMailed(tx, n.ID)
		})
		if err != nil {
			return queued, err
		}
	}
	return queued, nil
}
