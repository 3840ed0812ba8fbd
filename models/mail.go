package models

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/mail"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// checkEmail accepts an empty address or one plain address (no name, no list).
func checkEmail(p Problems, email string) {
	email = strings.TrimSpace(email)
	if email == "" {
		return
	}
	a, err := mail.ParseAddress(email)
	if err != nil || a.Address != email || len(email) > 254 {
		p.Add("email", "error.email", email)
	}
}

func trimmed(s *string) string {
	if s == nil {
		return ""
	}
	return strings.TrimSpace(*s)
}

// userLang is the language of a user's mail: English when chosen, else Vietnamese.
func userLang(lang string) string {
	if lang == "en" {
		return "en"
	}
	return "vi"
}

// Mail states in the outbox.
const (
	MailQueued = "queued"
	MailSent   = "sent"
	MailFailed = "failed" // gave up after MailAttempts
)

// MailAttempts is how many times the worker tries a message before it
// records it as failed for an admin to see.
const MailAttempts = 8

// Mail is one e-mail in the outbox. Key is its idempotency key: one
// notification or one digest gives one row, however often it is queued.
type Mail struct {
	ID             uint
	Key            string `gorm:"column:idem_key"`
	UserID         uint
	To             string `gorm:"column:to_addr"`
	Subject        string
	Body           string
	AttachmentName string
	Attachment     string // base64
	State          string
	Attempts       int
	NextAt         time.Time
	LastError      string
	CreatedAt      time.Time
	SentAt         *time.Time
}

// TableName names the outbox.
func (Mail) TableName() string { return "outbox" }

// QueueMail stores m unless a mail with its key is already queued; it
// reports whether it stored it.
func QueueMail(tx *gorm.DB, m Mail, now time.Time) (bool, error) {
	m.ID, m.State, m.Attempts, m.NextAt, m.CreatedAt = 0, MailQueued, 0, now.UTC(), now.UTC()
	res := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "idem_key"}}, DoNothing: true}).Create(&m)
	if res.Error != nil {
		return false, fmt.Errorf("store: unable to queue mail: %w", res.Error)
	}
	return res.RowsAffected == 1, nil
}

// QueueMail is QueueMail on the store's connection.
func (s *Store) QueueMail(m Mail) (bool, error) { return QueueMail(s.db, m, s.now()) }

// DueMail returns queued mail whose time has come, oldest first.
func (s *Store) DueMail(limit int) ([]Mail, error) {
	var ms []Mail
	err := s.db.Where("state = ? AND next_at <= ?", MailQueued, s.now().UTC()).Order("next_at, id").Limit(limit).Find(&ms).Error
	if err != nil {
		return nil, fmt.Errorf("store: unable to read the outbox: %w", err)
	}
	return ms, nil
}

// MailSentOK records that a message went out.
func (s *Store) MailSentOK(id uint) error {
	now := s.now().UTC()
	return s.db.Model(&Mail{}).Where("id = ? AND state = ?", id, MailQueued).
		Updates(map[string]any{"state": MailSent, "sent_at": now, "last_error": ""}).Error
}

// MailFailedOnce records a failed attempt: the next one after a backoff
// that doubles each time (1, 2, 4 … minutes), and failed for good after
// MailAttempts.
func (s *Store) MailFailedOnce(m Mail, cause error) error {
	attempts := m.Attempts + 1
	changes := map[string]any{"attempts": attempts, "last_error": cause.Error(),
		"next_at": s.now().UTC().Add(MailBackoff(attempts))}
	if attempts >= MailAttempts {
		changes["state"] = MailFailed
	}
	return s.db.Model(&Mail{}).Where("id = ?", m.ID).Updates(changes).Error
}

// MailBackoff is the wait after the n-th failed attempt.
func MailBackoff(n int) time.Duration { return time.Minute << min(n-1, 10) }

// Outbox returns the newest mail, for the admins' outbox page.
func (s *Store) Outbox(limit int) ([]Mail, error) {
	var ms []Mail
	err := s.db.Select("id, idem_key, user_id, to_addr, subject, state, attempts, next_at, last_error, created_at, sent_at").
		Order("id DESC").Limit(limit).Find(&ms).Error
	if err != nil {
		return nil, fmt.Errorf("store: unable to read the outbox: %w", err)
	}
	return ms, nil
}

// RetryMail puts a failed message back in the queue (an admin's button).
func (s *Store) RetryMail(id uint) error {
	return s.db.Model(&Mail{}).Where("id = ? AND state = ?", id, MailFailed).
		Updates(map[string]any{"state": MailQueued, "attempts": 0, "next_at": s.now().UTC()}).Error
}

// TakeLease makes holder the only sender for ttl, or reports that another
// instance holds the lease. One UPDATE decides it, so two instances on one
// database can never both hold it.
func (s *Store) TakeLease(name, holder string, ttl time.Duration) (bool, error) {
	now := time.Now()
	res := s.db.Exec(`UPDATE leases SET holder = ?, until_ms = ? WHERE name = ? AND (holder = ? OR until_ms < ?)`,
		holder, now.Add(ttl).UnixMilli(), name, holder, now.UnixMilli())
	if res.Error != nil {
		return false, fmt.Errorf("store: unable to take the %s lease: %w", name, res.Error)
	}
	return res.RowsAffected == 1, nil
}

// ReleaseLease gives the lease up, so another instance takes over at once.
func (s *Store) ReleaseLease(name, holder string) error {
	return s.db.Exec(`UPDATE leases SET until_ms = 0 WHERE name = ? AND holder = ?`, name, holder).Error
}

// Setting reads a stored setting; "" when unset.
func (s *Store) Setting(name string) (string, error) {
	var v []string
	if err := s.db.Raw(`SELECT value FROM app_settings WHERE name = ?`, name).Scan(&v).Error; err != nil {
		return "", fmt.Errorf("store: unable to read setting %s: %w", name, err)
	}
	if len(v) == 0 {
		return "", nil
	}
	return v[0], nil
}

// SetSetting stores a setting.
func (s *Store) SetSetting(name, value string) error {
	err := s.db.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "name"}}, DoUpdates: clause.AssignmentColumns([]string{"value"})}).
		Table("app_settings").Create(map[string]any{"name": name, "value": value}).Error
	if err != nil {
		return fmt.Errorf("store: unable to store setting %s: %w", name, err)
	}
	return nil
}

// secret is a random key kept in the database, so every instance signs and
// checks unsubscribe links alike.
func (s *Store) secret() ([]byte, error) {
	v, err := s.Setting("link_secret")
	if err != nil {
		return nil, err
	}
	if v == "" {
		if err := s.db.Exec(`INSERT INTO app_settings (name, value) VALUES ('link_secret', ?) ON CONFLICT (name) DO NOTHING`, randomToken(32)).Error; err != nil {
			return nil, fmt.Errorf("store: unable to make the link secret: %w", err)
		}
		if v, err = s.Setting("link_secret"); err != nil {
			return nil, err
		}
	}
	return []byte(v), nil
}

// UnsubscribeToken signs a user's id for the one-click unsubscribe link.
func (s *Store) UnsubscribeToken(userID uint) (string, error) {
	key, err := s.secret()
	if err != nil {
		return "", err
	}
	id := strconv.FormatUint(uint64(userID), 10)
	m := hmac.New(sha256.New, key)
	m.Write([]byte("unsubscribe:" + id))
	return id + "." + hex.EncodeToString(m.Sum(nil))[:32], nil
}

// ErrBadToken is returned for an unsubscribe link that was not signed here.
var ErrBadToken = errors.New("the link is not valid")

// Unsubscribe checks a signed token and stops mail to its user.
func (s *Store) Unsubscribe(token string) (*User, error) {
	id, _, ok := strings.Cut(token, ".")
	n, err := strconv.ParseUint(id, 10, 64)
	if !ok || err != nil {
		return nil, ErrBadToken
	}
	want, err := s.UnsubscribeToken(uint(n))
	if err != nil {
		return nil, err
	}
	if !hmac.Equal([]byte(want), []byte(token)) {
		return nil, ErrBadToken
	}
	if err := s.SetMailOff(uint(n), true); err != nil {
		return nil, err
	}
	return s.UserByID(uint(n))
}

// SetMailOff stops (true) or resumes a user's e-mail: the settings toggle
// and the unsubscribe link.
func (s *Store) SetMailOff(userID uint, off bool) error {
	if err := s.db.Model(&User{}).Where("id = ?", userID).Update("mail_off", off).Error; err != nil {
		return fmt.Errorf("store: unable to change mail setting: %w", err)
	}
	return nil
}

// SetLanguage stores the language of a user's mail.
func (s *Store) SetLanguage(userID uint, lang string) error {
	if err := s.db.Model(&User{}).Where("id = ?", userID).Update("lang", userLang(lang)).Error; err != nil {
		return fmt.Errorf("store: unable to change language: %w", err)
	}
	return nil
}

// UnmailedNotifications returns notifications not yet turned into mail.
func (s *Store) UnmailedNotifications(limit int) ([]Notification, error) {
	var ns []Notification
	if err := s.db.Where("mailed = ?", false).Order("id").Limit(limit).Find(&ns).Error; err != nil {
		return nil, fmt.Errorf("store: unable to fetch notifications: %w", err)
	}
	return ns, nil
}

// MarkMailed records that a notification's mail is queued (or that its
// user gets none), in the transaction that queued it.
func MarkMailed(tx *gorm.DB, id uint) error {
	return tx.Model(&Notification{}).Where("id = ?", id).Update("mailed", true).Error
}

// MailUsers returns the users who receive e-mail: an address, not
// disabled, not unsubscribed.
func (s *Store) MailUsers() ([]User, error) {
	var us []User
	err := s.db.Preload("Unit").Where("email <> '' AND disabled = ? AND mail_off = ?", false, false).Order("id").Find(&us).Error
	if err != nil {
		return nil, fmt.Errorf("store: unable to fetch mail users: %w", err)
	}
	return us, nil
}
