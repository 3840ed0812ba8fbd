package models

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// SessionLifetime is how long a sign-in lasts.
const SessionLifetime = 12 * time.Hour

// Session is a signed-in browser. Only a hash of the cookie's value is
// stored, so a copy of the database does not let anyone in.
type Session struct {
	ID        string
	UserID    uint
	User      User
	CSRF      string `gorm:"column:csrf"`
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
// token itself is shown once, when it is made. It lasts the TokenPolicy's
// TTL from its creation; a read-only one may only read.
type APIToken struct {
	ID         uint
	UserID     uint
	Name       string
	TokenHash  string
	ReadOnly   bool `gorm:"default:false"`
	CreatedAt  time.Time
	LastUsedAt *time.Time
	RevokedAt  *time.Time
	// ExpiresAt is CreatedAt plus the policy's TTL, filled in when read.
	ExpiresAt time.Time `gorm:"-"`
}

// TableName names the tokens' table.
func (APIToken) TableName() string { return "api_tokens" }

// Live reports whether the token still lets its holder in at now.
func (t APIToken) Live(now time.Time) bool { return t.RevokedAt == nil && now.Before(t.ExpiresAt) }

// TokenPolicy bounds API tokens: how long one lasts, and how many live ones
// a user may hold (a leaked password cannot mint them without end).
type TokenPolicy struct {
	TTL time.Duration
	Max int
}

// DefaultTokenPolicy is 90 days, 10 tokens (TIENDO_TOKEN_TTL, TIENDO_MAX_TOKENS).
var DefaultTokenPolicy = TokenPolicy{TTL: 90 * 24 * time.Hour, Max: 10}

// SetTokenPolicy replaces the default policy; zero fields keep the default.
func (s *Store) SetTokenPolicy(p TokenPolicy) {
	if p.TTL <= 0 {
		p.TTL = DefaultTokenPolicy.TTL
	}
	if p.Max <= 0 {
		p.Max = DefaultTokenPolicy.Max
	}
	s.tokens = p
}

// TokenPolicy returns the policy in force.
func (s *Store) TokenPolicy() TokenPolicy { return s.tokens }

// tokenPrefix makes a leaked token easy to recognise in logs and code.
const tokenPrefix = "tdo_"

// tokenUseEvery is how often a token's last use is written: reads with a
// token would otherwise each cost a write and an fsync.
const tokenUseEvery = time.Minute

// CreateToken makes a token for a user and returns it in clear, once.
// The name is required; past the policy's cap the user must revoke one first.
func (s *Store) CreateToken(actor Actor, userID uint, name string, readOnly bool) (string, error) {
	name = strings.TrimSpace(name)
	p := Problems{}
	if name == "" {
		p.Add("name", "error.required")
	}
	CheckName(p, "name", name)
	if err := p.Err(); err != nil {
		return "", err
	}
	token := tokenPrefix + randomToken(32)
	now := s.now().UTC()
	err := s.db.Transaction(func(tx *gorm.DB) error {
		var live int64
		if err := tx.Model(&APIToken{}).Where("user_id = ? AND revoked_at IS NULL AND created_at > ?", userID, now.Add(-s.tokens.TTL)).
			Count(&live).Error; err != nil {
			return fmt.Errorf("store: unable to count tokens: %w", err)
		}
		if live >= int64(s.tokens.Max) {
			return Problems{"name": {Key: "error.token_cap", Args: []any{s.tokens.Max}}}
		}
		t := APIToken{UserID: userID, Name: name, TokenHash: hashToken(token), ReadOnly: readOnly, CreatedAt: now}
		if err := tx.Create(&t).Error; err != nil {
			return fmt.Errorf("store: unable to create token: %w", err)
		}
		return RecordAudit(tx, actor, "create", "token", fmt.Sprint(t.ID), nil, map[string]any{"name": name, "user_id": userID, "read_only": readOnly})
	})
	return token, err
}

// Tokens returns a user's tokens, newest first.
func (s *Store) Tokens(userID uint) ([]APIToken, error) {
	var ts []APIToken
	if err := s.db.Where("user_id = ?", userID).Order("id DESC").Find(&ts).Error; err != nil {
		return nil, fmt.Errorf("store: unable to fetch tokens: %w", err)
	}
	for i := range ts {
		ts[i].ExpiresAt = ts[i].CreatedAt.Add(s.tokens.TTL)
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

// revokeTokens ends every live token of a user inside tx (a password
// change, a disabled account): they never come back.
func revokeTokens(tx *gorm.DB, userID uint, now time.Time) error {
	if err := tx.Model(&APIToken{}).Where("user_id = ? AND revoked_at IS NULL", userID).Update("revoked_at", now).Error; err != nil {
		return fmt.Errorf("store: unable to revoke tokens: %w", err)
	}
	return nil
}

// UserByToken returns the user a live API token belongs to, and the token.
// The database is asked on every call, so a token revoked by another
// process (the command line, another instance) stops at the next request.
func (s *Store) UserByToken(token string) (*User, *APIToken, error) {
	var t APIToken
	err := s.db.Where("token_hash = ? AND revoked_at IS NULL", hashToken(token)).First(&t).Error
	if err != nil {
		return nil, nil, notFound(err)
	}
	now := s.now().UTC()
	t.ExpiresAt = t.CreatedAt.Add(s.tokens.TTL)
	if !t.Live(now) {
		return nil, nil, ErrNotFound
	}
	u, err := s.UserByID(t.UserID)
	if err != nil {
		return nil, nil, err
	}
	if u.Disabled {
		return nil, nil, ErrNotFound
	}
	if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) >= tokenUseEvery {
		s.db.Model(&t).Update("last_used_at", now)
	}
	return u, &t, nil
}

// Login limits: this many failures in the window stop an account from one
// address (the same account from elsewhere is not held back, so a guesser
// cannot keep its owner out), or stop one address trying any account.
const (
	LoginWindow           = 15 * time.Minute
	MaxFailuresPerUser    = 5
	MaxFailuresPerAddress = 50
)

// LoginAttempt is one try at signing in, kept in the database so every
// instance of the app counts the same attempts.
type LoginAttempt struct {
	ID       uint
	At       time.Time
	Username string
	Address  string
	OK       bool `gorm:"column:ok"`
}

// LoginWait reports how long a login of username from address must wait:
// 0 when it may be tried now. A refusal is answered at once, never by
// holding the connection.
func (s *Store) LoginWait(username, address string) (time.Duration, error) {
	now := s.now().UTC()
	wait := time.Duration(0)
	for _, limit := range []struct {
		where string
		args  []any
		max   int
	}{
		{"username = ? AND address = ?", []any{username, address}, MaxFailuresPerUser},
		{"address = ?", []any{address}, MaxFailuresPerAddress},
	} {
		// The max-th latest failure leaving the window lifts the limit.
		var at []time.Time
		err := s.db.Model(&LoginAttempt{}).Where(limit.where, limit.args...).Where("at > ? AND ok = ?", now.Add(-LoginWindow), false).
			Order("at DESC").Limit(limit.max).Pluck("at", &at).Error
		if err != nil {
			return 0, fmt.Errorf("store: unable to count login attempts: %w", err)
		}
		if len(at) >= limit.max {
			wait = max(wait, at[len(at)-1].Add(LoginWindow).Sub(now))
		}
	}
	return wait, nil
}

// RecordLogin stores an attempt; a success clears the failures of the
// account from that address.
func (s *Store) RecordLogin(username, address string, ok bool) error {
	now := s.now().UTC()
	return s.db.Transaction(func(tx *gorm.DB) error {
		if ok {
			if err := tx.Where("username = ? AND address = ? AND ok = ?", username, address, false).Delete(&LoginAttempt{}).Error; err != nil {
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
