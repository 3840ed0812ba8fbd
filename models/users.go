package models

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"golang.org/x/crypto/bcrypt"
	"gorm.io/gorm"
)

// User is an account. A planner with a UnitID edits that unit and the units
// below it only.
type User struct {
	ID           uint   `json:"id"`
	Username     string `json:"username"`
	PasswordHash string `json:"-"`
	Role         Role   `json:"role"`
	UnitID       *uint  `json:"-"`
	Unit         *Unit  `json:"-"`
	Disabled     bool   `gorm:"default:false" json:"disabled"`
	// OIDCIssuer and OIDCSubject identify an account of an identity
	// provider; empty for accounts with a password.
	OIDCIssuer  string `gorm:"column:oidc_issuer;default:''" json:"-"`
	OIDCSubject string `gorm:"column:oidc_subject;default:''" json:"-"`
	// Email receives the weekly digest and alerts, unless MailOff (the
	// one-click unsubscribe); Lang is the language they are written in.
	Email     string    `gorm:"default:''" json:"email"`
	Lang      string    `gorm:"default:'vi'" json:"lang"`
	MailOff   bool      `gorm:"default:false" json:"mail_off"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"-"`
}

// auditView is what the audit log keeps of a user: never the password hash.
func (u User) auditView() map[string]any {
	m := map[string]any{"username": u.Username, "role": u.Role, "disabled": u.Disabled, "unit": nil, "email": u.Email}
	if u.Unit != nil {
		m["unit"] = u.Unit.Code
	}
	return m
}

var usernamePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._@-]{1,63}$`)

// NewPassword returns a random password, for the first administrator.
func NewPassword() string { return randomToken(15) }

func randomToken(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err) // the system's random source never fails on supported platforms
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// UserInput is an account as typed in a form, the API or the command line.
type UserInput struct {
	Username string
	Role     Role
	UnitCode string // empty: all units
	Password string // empty on update: unchanged
	Disabled bool
	Email    *string // "": none; nil on update: unchanged
	Lang     string  // vi or en; empty: vi, or unchanged on update
}

// validateUser checks an account; creating needs a password.
func (s *Store) validateUser(tx *gorm.DB, in UserInput, creating bool, selfID uint) (Problems, *uint) {
	p := Problems{}
	if creating {
		if !usernamePattern.MatchString(in.Username) {
			p.Add("username", "error.username")
		} else {
			var n int64
			tx.Model(&User{}).Where("username = ? AND id <> ?", in.Username, selfID).Count(&n)
			if n > 0 {
				p.Add("username", "error.duplicate_username", in.Username)
			}
		}
	}
	if !in.Role.Valid() {
		p.Add("role", "error.role")
	}
	if creating || in.Password != "" {
		if key, args := passwordProblem(in.Password, in.Username); key != "" {
			p.Add("password", key, args...)
		}
	}
	if in.Email != nil {
		checkEmail(p, *in.Email)
	}
	var unitID *uint
	if in.UnitCode != "" {
		var u Unit
		if err := tx.Where("code = ?", in.UnitCode).First(&u).Error; err != nil {
			p.Add("unit", "error.unknown_unit", in.UnitCode)
		} else {
			unitID = &u.ID
		}
	}
	return p, unitID
}

// CreateUser stores a new account.
func (s *Store) CreateUser(actor Actor, in UserInput) (*User, error) {
	in.Username = strings.ToLower(strings.TrimSpace(in.Username))
	var u User
	err := s.db.Transaction(func(tx *gorm.DB) error {
		p, unitID := s.validateUser(tx, in, true, 0)
		if err := p.Err(); err != nil {
			return err
		}
		hash, err := bcrypt.GenerateFromPassword([]byte(in.Password), bcrypt.DefaultCost)
		if err != nil {
			return fmt.Errorf("store: unable to hash password: %w", err)
		}
		u = User{Username: in.Username, PasswordHash: string(hash), Role: in.Role, UnitID: unitID, Disabled: in.Disabled,
			Email: trimmed(in.Email), Lang: userLang(in.Lang)}
		if err := tx.Create(&u).Error; err != nil {
			return fmt.Errorf("store: unable to create user: %w", err)
		}
		tx.Preload("Unit").First(&u, u.ID)
		return RecordAudit(tx, actor, "create", "user", u.Username, nil, u.auditView())
	})
	if err != nil {
		return nil, err
	}
	return &u, nil
}

// UpdateUser changes an account's role, scope, state and (when given) password.
// Disabling an account or changing its password ends its sessions and
// revokes its API tokens (re-enabling it brings none back).
func (s *Store) UpdateUser(actor Actor, id uint, in UserInput) error {
	return s.db.Transaction(func(tx *gorm.DB) error {
		var u User
		if err := tx.Preload("Unit").First(&u, id).Error; err != nil {
			return fmt.Errorf("store: unable to fetch user: %w", notFound(err))
		}
		in.Username = u.Username // for the password check: not one's own name
		p, unitID := s.validateUser(tx, in, false, id)
		if err := p.Err(); err != nil {
			return err
		}
		before := u.auditView()
		// Updated by id, not through the loaded row: GORM would otherwise
		// save the preloaded Unit back and keep unit_id (issue 10, item 17).
		changes := map[string]any{"role": in.Role, "unit_id": unitID, "disabled": in.Disabled}
		if in.Email != nil {
			changes["email"] = trimmed(in.Email)
		}
		if in.Lang != "" {
			changes["lang"] = userLang(in.Lang)
		}
		if err := tx.Model(&User{}).Where("id = ?", id).Updates(changes).Error; err != nil {
			return fmt.Errorf("store: unable to update user: %w", err)
		}
		if in.Password != "" {
			if err := s.writePassword(tx, id, in.Password); err != nil {
				return err
			}
		} else if in.Disabled {
			if err := s.endAccess(tx, id); err != nil {
				return err
			}
		}
		var after User
		tx.Preload("Unit").First(&after, id)
		view := after.auditView()
		if in.Password != "" {
			view["password"] = "changed"
		}
		return RecordAudit(tx, actor, "update", "user", u.Username, before, view)
	})
}

// writePassword is the one place a password is stored: every way of
// changing one (the admin's page, the command line, the owner's own page,
// the API) ends here, and so ends the account's sessions and revokes its
// API tokens. The password has passed validateUser.
func (s *Store) writePassword(tx *gorm.DB, userID uint, password string) error {
	hash, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.DefaultCost)
	if err != nil {
		return fmt.Errorf("store: unable to hash password: %w", err)
	}
	if err := tx.Model(&User{}).Where("id = ?", userID).Update("password_hash", string(hash)).Error; err != nil {
		return fmt.Errorf("store: unable to store password: %w", err)
	}
	return s.endAccess(tx, userID)
}

// endAccess signs an account out everywhere and revokes its API tokens.
func (s *Store) endAccess(tx *gorm.DB, userID uint) error {
	if err := tx.Where("user_id = ?", userID).Delete(&Session{}).Error; err != nil {
		return fmt.Errorf("store: unable to end sessions: %w", err)
	}
	return revokeTokens(tx, userID, s.now().UTC())
}

// ChangePassword sets a user's password, keeping role, scope and state;
// like every password change it ends the sessions and revokes the tokens.
func (s *Store) ChangePassword(actor Actor, userID uint, password string) error {
	u, err := s.UserByID(userID)
	if err != nil {
		return err
	}
	in := UserInput{Role: u.Role, Password: password, Disabled: u.Disabled}
	if u.Unit != nil {
		in.UnitCode = u.Unit.Code
	}
	return s.UpdateUser(actor, u.ID, in)
}

// SetPassword is ChangePassword by user name (the command line).
func (s *Store) SetPassword(actor Actor, username, password string) error {
	u, err := s.UserByUsername(username)
	if err != nil {
		return err
	}
	return s.ChangePassword(actor, u.ID, password)
}

// Users returns every account, by name.
func (s *Store) Users() ([]User, error) {
	var users []User
	if err := s.db.Preload("Unit").Order("username").Find(&users).Error; err != nil {
		return nil, fmt.Errorf("store: unable to fetch users: %w", err)
	}
	return users, nil
}

// UserByID returns one account.
func (s *Store) UserByID(id uint) (*User, error) {
	var u User
	if err := s.db.Preload("Unit").First(&u, id).Error; err != nil {
		return nil, fmt.Errorf("store: unable to fetch user: %w", notFound(err))
	}
	return &u, nil
}

// UserByUsername returns one account by its name.
func (s *Store) UserByUsername(name string) (*User, error) {
	var u User
	if err := s.db.Preload("Unit").Where("username = ?", strings.ToLower(strings.TrimSpace(name))).First(&u).Error; err != nil {
		return nil, fmt.Errorf("store: unable to fetch user %q: %w", name, notFound(err))
	}
	return &u, nil
}

// ErrBadCredentials is returned for an unknown user, a wrong password or a
// disabled account, alike, so a guesser learns nothing.
var ErrBadCredentials = errors.New("wrong username or password")

// dummyHash is compared against when the user does not exist, so both cases
// take the same time.
var dummyHash, _ = bcrypt.GenerateFromPassword([]byte("not a password of anyone"), bcrypt.DefaultCost)

// Authenticate checks a username and password.
func (s *Store) Authenticate(username, password string) (*User, error) {
	u, err := s.UserByUsername(username)
	if err != nil {
		// Compare anyway, so an unknown name takes as long as a wrong password.
		_ = bcrypt.CompareHashAndPassword(dummyHash, []byte(password))
		if errors.Is(err, ErrNotFound) {
			return nil, ErrBadCredentials
		}
		return nil, err
	}
	if bcrypt.CompareHashAndPassword([]byte(u.PasswordHash), []byte(password)) != nil || u.Disabled {
		return nil, ErrBadCredentials
	}
	return u, nil
}

// EnsureAdmin creates the account "admin" when there is no account at all.
// It returns the password it set ("" when accounts already existed):
// password when given, else a random one the caller shows once.
func (s *Store) EnsureAdmin(password string) (string, error) {
	var n int64
	if err := s.db.Model(&User{}).Count(&n).Error; err != nil {
		return "", fmt.Errorf("store: unable to count users: %w", err)
	}
	if n > 0 {
		return "", nil
	}
	if password == "" {
		password = NewPassword()
	}
	_, err := s.CreateUser(Actor{Username: "tiendo", Via: ViaSystem}, UserInput{Username: "admin", Role: RoleAdmin, Password: password})
	return password, err
}
