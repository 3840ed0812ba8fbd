package models

import (
	"fmt"
	"time"

	"gorm.io/gorm"
)

// PasswordResetLifetime is how long an admin's reset link works: short, as
// it travels outside the app (read out, pasted in a chat, e-mailed).
const PasswordResetLifetime = time.Hour

// PasswordReset is a one-time link to set a new password. Only a hash of
// its token is stored; the link is shown once, to the admin who made it.
type PasswordReset struct {
	ID        string
	UserID    uint
	CreatedAt time.Time
	ExpiresAt time.Time
	UsedAt    *time.Time
}

// CreatePasswordReset makes a reset link's token for an account that signs
// in with a password, ending the account's earlier links.
func (s *Store) CreatePasswordReset(actor Actor, userID uint) (string, error) {
	token := randomToken(32)
	err := s.db.Transaction(func(tx *gorm.DB) error {
		var u User
		if err := tx.First(&u, userID).Error; err != nil {
			return fmt.Errorf("store: unable to fetch user: %w", notFound(err))
		}
		if u.OIDCSubject != "" {
			p := Problems{}
			p.Add("password", "error.password_provider")
			return p
		}
		now := s.now().UTC()
		if err := tx.Where("user_id = ? AND used_at IS NULL", userID).Delete(&PasswordReset{}).Error; err != nil {
			return fmt.Errorf("store: unable to end reset links: %w", err)
		}
		r := PasswordReset{ID: hashToken(token), UserID: userID, CreatedAt: now, ExpiresAt: now.Add(PasswordResetLifetime)}
		if err := tx.Create(&r).Error; err != nil {
			return fmt.Errorf("store: unable to create a reset link: %w", err)
		}
		return RecordAudit(tx, actor, "reset_link", "user", u.Username, nil, map[string]any{"expires_at": r.ExpiresAt})
	})
	return token, err
}

// PasswordResetUser returns the account of a live reset link; ErrNotFound
// when the link is unknown, used or expired.
func (s *Store) PasswordResetUser(token string) (*User, error) {
	var r PasswordReset
	err := s.db.Where("id = ? AND used_at IS NULL AND expires_at > ?", hashToken(token), s.now().UTC()).First(&r).Error
	if err != nil {
		return nil, notFound(err)
	}
	u, err := s.UserByID(r.UserID)
	if err != nil || u.Disabled {
		return nil, ErrNotFound
	}
	return u, nil
}

// UsePasswordReset sets the password of a live reset link's account
// through SetPassword (the one way a password is set) and spends the link.
func (s *Store) UsePasswordReset(token, password, address string) (*User, error) {
	u, err := s.PasswordResetUser(token)
	if err != nil {
		return nil, err
	}
	id := u.ID
	if err := s.SetPassword(Actor{UserID: &id, Username: u.Username, Address: address, Via: ViaForm}, u.Username, password); err != nil {
		return nil, err
	}
	res := s.db.Model(&PasswordReset{}).Where("id = ? AND used_at IS NULL", hashToken(token)).Update("used_at", s.now().UTC())
	if res.Error != nil {
		return nil, fmt.Errorf("store: unable to spend a reset link: %w", res.Error)
	}
	return u, nil
}
