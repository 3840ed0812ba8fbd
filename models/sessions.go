package models

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// SessionLifetime is how long a sign-in lasts.
const SessionLifetime = 12 * time.Hour

// Session is a signed-in browser. Only a hash of the cookie's value is
// stored, so a copy of the database does not let anyone in.
type Session struct {
	ID        string `gorm:"primaryKey;size:64"`
	UserID    uint   `gorm:"not null"`
	User      User
	CSRF      string `gorm:"column:csrf;size:64;not null"`
	Address   string
	Method    string // how the user signed in: SignInPassword or SignInOIDC
	CreatedAt time.Time
	ExpiresAt time.Time
}

// How a user signed in, as GET /api/v1/me tells it.
const (
	SignInPassword = "password"
	SignInOIDC     = "oidc"
	SignInToken    = "token"
)

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// CreateSession signs a user in: it returns the cookie value and the
// session's CSRF token. A new id at every sign-in defeats session fixation.
func (s *Store) CreateSession(userID uint, address string) (token string, sess *Session, err error) {
	return s.CreateSessionVia(userID, address, SignInPassword)
}

// CreateSessionVia is CreateSession recording how the user signed in.
func (s *Store) CreateSessionVia(userID uint, address, method string) (token string, sess *Session, err error) {
	token = randomToken(32)
	now := s.now().UTC()
	sess = &Session{ID: hashToken(token), UserID: userID, CSRF: randomToken(24), Address: address, Method: method,
		CreatedAt: now, ExpiresAt: now.Add(SessionLifetime)}
	if err := s.db.Create(sess).Error; err != nil {
		return "", nil, fmt.Errorf("store: unable to create session: %w", err)
	}
	// Old sessions are swept here rather than by a timer, so any instance can do it.
	s.db.Where("expires_at < ?", now).Delete(&Session{})
	return token, sess, nil
}

// SessionByToken returns the live session of a cookie value, with its user;
// ErrNotFound when it is unknown, expired or the account disabled.
func (s *Store) SessionByToken(token string) (*Session, error) {
	var sess Session
	err := s.db.Preload("User").Preload("User.Unit").
		Where("id = ? AND expires_at > ?", hashToken(token), s.now().UTC()).First(&sess).Error
	if err != nil {
		return nil, notFound(err)
	}
	if sess.User.Disabled {
		return nil, ErrNotFound
	}
	return &sess, nil
}

// DeleteSession signs a browser out.
func (s *Store) DeleteSession(token string) error {
	if err := s.db.Where("id = ?", hashToken(token)).Delete(&Session{}).Error; err != nil {
		return fmt.Errorf("store: unable to delete session: %w", err)
	}
	return nil
}

// APIToken is a personal token for the API. Only its hash is stored; the
// token itself is shown once, when it is made.
type APIToken struct {
	ID         uint   `gorm:"primaryKey"`
	UserID     uint   `gorm:"not null"`
	Name       string `gorm:"not null"`
	TokenHash  string `gorm:"size:64;not null"`
	CreatedAt  time.Time
	LastUsedAt *time.Time
	RevokedAt  *time.Time
}

// TableName names the tokens' table.
func (APIToken) TableName() string { return "api_tokens" }

// tokenPrefix makes a leaked token easy to recognise in logs and code.
const tokenPrefix = "tdo_"

// CreateToken makes a token for a user and returns it in clear, once.
func (s *Store) CreateToken(actor Actor, userID uint, name string) (string, error) {
	token := tokenPrefix + randomToken(32)
	err := s.db.Transaction(func(tx *gorm.DB) error {
		t := APIToken{UserID: userID, Name: name, TokenHash: hashToken(token), CreatedAt: s.now().UTC()}
		if err := tx.Create(&t).Error; err != nil {
			return fmt.Errorf("store: unable to create token: %w", err)
		}
		return RecordAudit(tx, actor, "create", "token", fmt.Sprint(t.ID), nil, map[string]any{"name": name, "user_id": userID})
	})
	return token, err
}

// Tokens returns a user's tokens, newest first.
func (s *Store) Tokens(userID uint) ([]APIToken, error) {
	var ts []APIToken
	if err := s.db.Where("user_id = ?", userID).Order("id DESC").Find(&ts).Error; err != nil {
		return nil, fmt.Errorf("store: unable to fetch tokens: %w", err)
	}
	return ts, nil
}

// RevokeToken ends one of a user's tokens.
func (s *Store) RevokeToken(actor Actor, userID, id uint) error {
	return s.db.Transaction(func(tx *gorm.DB) error {
		var t APIToken
		if err := tx.Where("id = ? AND user_id = ? AND revoked_at IS NULL", id, userID).First(&t).Error; err != nil {
			return fmt.Errorf("store: unable to fetch token: %w", notFound(err))
		}
		now := s.now().UTC()
		if err := tx.Model(&t).Update("revoked_at", now).Error; err != nil {
			return fmt.Errorf("store: unable to revoke token: %w", err)
		}
		return RecordAudit(tx, actor, "revoke", "token", fmt.Sprint(t.ID), map[string]any{"name": t.Name}, nil)
	})
}

// UserByToken returns the user a live API token belongs to.
func (s *Store) UserByToken(token string) (*User, error) {
	var t APIToken
	err := s.db.Where("token_hash = ? AND revoked_at IS NULL", hashToken(token)).First(&t).Error
	if err != nil {
		return nil, notFound(err)
	}
	u, err := s.UserByID(t.UserID)
	if err != nil {
		return nil, err
	}
	if u.Disabled {
		return nil, ErrNotFound
	}
	s.db.Model(&t).Update("last_used_at", s.now().UTC())
	return u, nil
}

// Login limits: this many failures in the window lock an account, or an
// address (which may be an office behind one gateway, hence more).
const (
	LoginWindow           = 15 * time.Minute
	MaxFailuresPerUser    = 5
	MaxFailuresPerAddress = 20
)

// ErrTooManyAttempts is returned when a login is refused for the rate limit.
var ErrTooManyAttempts = errors.New("too many failed logins")

// LoginAttempt is one try at signing in, kept in the database so every
// instance of the app counts the same attempts.
type LoginAttempt struct {
	ID       uint `gorm:"primaryKey"`
	At       time.Time
	Username string
	Address  string
	OK       bool `gorm:"column:ok"`
}

// LoginAllowed reports whether a login may be tried now: ErrTooManyAttempts
// when the account or the address failed too often in the window.
func (s *Store) LoginAllowed(username, address string) error {
	since := s.now().UTC().Add(-LoginWindow)
	var byUser, byAddr int64
	if err := s.db.Model(&LoginAttempt{}).Where("username = ? AND at > ? AND ok = ?", username, since, false).Count(&byUser).Error; err != nil {
		return fmt.Errorf("store: unable to count login attempts: %w", err)
	}
	if err := s.db.Model(&LoginAttempt{}).Where("address = ? AND at > ? AND ok = ?", address, since, false).Count(&byAddr).Error; err != nil {
		return fmt.Errorf("store: unable to count login attempts: %w", err)
	}
	if byUser >= MaxFailuresPerUser || byAddr >= MaxFailuresPerAddress {
		return ErrTooManyAttempts
	}
	return nil
}

// RecordLogin stores an attempt; a success clears the account's failures.
func (s *Store) RecordLogin(username, address string, ok bool) error {
	now := s.now().UTC()
	return s.db.Transaction(func(tx *gorm.DB) error {
		if ok {
			if err := tx.Where("username = ? AND ok = ?", username, false).Delete(&LoginAttempt{}).Error; err != nil {
				return err
			}
		}
		tx.Where("at < ?", now.Add(-24*time.Hour)).Delete(&LoginAttempt{})
		return tx.Create(&LoginAttempt{At: now, Username: username, Address: address, OK: ok}).Error
	})
}

// DeleteSessions signs a user out of every browser at once (a lost laptop,
// a shared computer), recording it in the audit log. API tokens stay: they
// are revoked one by one.
func (s *Store) DeleteSessions(actor Actor, userID uint) (int64, error) {
	var n int64
	err := s.db.Transaction(func(tx *gorm.DB) error {
		res := tx.Where("user_id = ?", userID).Delete(&Session{})
		if res.Error != nil {
			return fmt.Errorf("store: unable to delete sessions: %w", res.Error)
		}
		n = res.RowsAffected
		return RecordAudit(tx, actor, "logout_everywhere", "user", fmt.Sprint(userID), nil, map[string]any{"sessions": n})
	})
	return n, err
}
