package models

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// ViaOIDC marks changes made by a sign-in through the identity provider
// (an account created, its role or scope following the provider's claims).
const ViaOIDC = "oidc"

// OIDCLoginLifetime is how long a started sign-in may take at the provider.
const OIDCLoginLifetime = 10 * time.Minute

// OIDCLogin is a sign-in started at the identity provider and not finished:
// what the callback must find again. It is keyed by a hash of the state and
// deleted when the callback takes it, so a callback works once.
type OIDCLogin struct {
	ID        string
	Nonce     string
	Verifier  string
	Next      string
	ExpiresAt time.Time
}

// TableName names the table of started sign-ins.
func (OIDCLogin) TableName() string { return "oidc_logins" }

// SaveOIDCLogin records a started sign-in.
func (s *Store) SaveOIDCLogin(state, nonce, verifier, next string) error {
	now := s.now().UTC()
	s.db.Where("expires_at < ?", now).Delete(&OIDCLogin{})
	l := OIDCLogin{ID: hashToken(state), Nonce: nonce, Verifier: verifier, Next: next, ExpiresAt: now.Add(OIDCLoginLifetime)}
	if err := s.db.Create(&l).Error; err != nil {
		return fmt.Errorf("store: unable to record a sign-in: %w", err)
	}
	return nil
}

// TakeOIDCLogin returns and deletes the started sign-in of a state;
// ErrNotFound when unknown, already taken or expired.
func (s *Store) TakeOIDCLogin(state string) (*OIDCLogin, error) {
	var l OIDCLogin
	res := s.db.Where("id = ?", hashToken(state)).Limit(1).Find(&l)
	if res.Error != nil {
		return nil, fmt.Errorf("store: unable to fetch a sign-in: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return nil, ErrNotFound
	}
	// Only the request whose delete removed the row goes on: two callbacks
	// racing with one state cannot both sign in.
	del := s.db.Where("id = ?", l.ID).Delete(&OIDCLogin{})
	if del.Error != nil {
		return nil, fmt.Errorf("store: unable to end a sign-in: %w", del.Error)
	}
	if del.RowsAffected == 0 || !l.ExpiresAt.After(s.now().UTC()) {
		return nil, ErrNotFound
	}
	return &l, nil
}

// OIDCIdentity is who the identity provider says signed in, already
// checked (token verified, e-mail verified, domain allowed).
type OIDCIdentity struct {
	Issuer, Subject string
	Username        string // preferred_username
	Email           string
	Role            Role    // from the role map; "" when no map is set
	UnitCode        *string // from the unit claim; nil when none is configured
}

// Refusals of a sign-in through the provider, each with its own page.
var (
	ErrAccountDisabled = errors.New("account disabled")
	ErrAccountPending  = errors.New("account created, waiting for an administrator")
)

// SignInOIDC finds the account of an identity by (issuer, subject), never
// by name or e-mail, so a user renamed at the provider stays the same
// account. A first sign-in creates it (disabled unless autoCreate, waiting
// for an administrator); at every sign-in role and scope follow the claims
// when a map is set, audited when they change. A disabled account stays so.
func (s *Store) SignInOIDC(actor Actor, id OIDCIdentity, autoCreate bool) (*User, error) {
	var out User
	var refusal error // set inside, returned after the commit: a new pending account is kept
	err := s.db.Transaction(func(tx *gorm.DB) error {
		var unitID *uint
		if id.UnitCode != nil && *id.UnitCode != "" {
			var unit Unit
			if err := tx.Where("code = ?", *id.UnitCode).First(&unit).Error; err != nil {
				p := Problems{}
				p.Add("unit", "error.unknown_unit", *id.UnitCode)
				return p
			}
			unitID = &unit.ID
		}
		var u User
		res := tx.Preload("Unit").Where("oidc_issuer = ? AND oidc_subject = ?", id.Issuer, id.Subject).Limit(1).Find(&u)
		if res.Error != nil {
			return fmt.Errorf("store: unable to fetch user: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			role := id.Role
			if role == "" {
				role = RoleViewer
			}
			name, err := freeUsername(tx, id, 0)
			if err != nil {
				return err
			}
			u = User{Username: name, PasswordHash: "", Role: role, UnitID: unitID, Disabled: !autoCreate,
				OIDCIssuer: id.Issuer, OIDCSubject: id.Subject}
			if err := tx.Create(&u).Error; err != nil {
				return fmt.Errorf("store: unable to create user: %w", err)
			}
			tx.Preload("Unit").First(&u, u.ID)
			actor.Username = u.Username
			if err := RecordAudit(tx, actor, "create", "user", u.Username, nil, u.auditView()); err != nil {
				return err
			}
			out = u
			if !autoCreate {
				refusal = ErrAccountPending
			}
			return nil
		}
		if u.Disabled {
			out, refusal = u, ErrAccountDisabled
			return nil
		}
		before := u.auditView()
		changes := map[string]any{}
		if id.Role != "" && id.Role != u.Role {
			changes["role"] = id.Role
		}
		if id.UnitCode != nil && !sameUnit(u.UnitID, unitID) {
			changes["unit_id"] = unitID
		}
		if name, err := freeUsername(tx, id, u.ID); err == nil && name != u.Username {
			changes["username"] = name
		}
		if len(changes) > 0 {
			if err := tx.Model(&User{}).Where("id = ?", u.ID).Updates(changes).Error; err != nil {
				return fmt.Errorf("store: unable to update user: %w", err)
			}
			uid := u.ID
			u = User{}
			tx.Preload("Unit").First(&u, uid)
			actor.Username = u.Username
			if err := RecordAudit(tx, actor, "update", "user", u.Username, before, u.auditView()); err != nil {
				return err
			}
		}
		out = u
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &out, refusal
}

func sameUnit(a, b *uint) bool {
	return (a == nil && b == nil) || (a != nil && b != nil && *a == *b)
}

// freeUsername is the name an identity gets: its preferred_username, else
// its e-mail, else one made from the subject; with "-2", "-3", … when
// another account has it. self is the account's own id (0 for a new one).
func freeUsername(tx *gorm.DB, id OIDCIdentity, self uint) (string, error) {
	base := ""
	for _, c := range []string{id.Username, id.Email} {
		if c = strings.ToLower(strings.TrimSpace(c)); usernamePattern.MatchString(c) {
			base = c
			break
		}
	}
	if base == "" {
		sum := sha256.Sum256([]byte(id.Issuer + "\x00" + id.Subject))
		base = "user-" + hex.EncodeToString(sum[:])[:10]
	}
	for i := 1; i < 100; i++ {
		name := base
		if i > 1 {
			suffix := fmt.Sprintf("-%d", i)
			name = base[:min(len(base), 64-len(suffix))] + suffix
		}
		var n int64
		if err := tx.Model(&User{}).Where("username = ? AND id <> ?", name, self).Count(&n).Error; err != nil {
			return "", fmt.Errorf("store: unable to check a username: %w", err)
		}
		if n == 0 {
			return name, nil
		}
	}
	return "", fmt.Errorf("store: no free username for %q", base)
}
