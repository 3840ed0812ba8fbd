package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"regexp"
	"strings"
	"time"

	"tiendo/handlers"
	"tiendo/models"
	"tiendo/seed"
)

// config is read from flags, with environment variables as fallbacks.
type config struct {
	addr        string
	db          string
	demo        bool
	private     bool
	logJSON     bool
	metricsAddr string
	backupDir   string
	backupEvery time.Duration
	backupKeep  int
	// Limits of one upload through the page or the API (the command line
	// has none).
	uploadMaxRows  int
	uploadMaxBytes int
	tokenTTL       time.Duration // how long an API token lasts
	maxTokens      int           // live API tokens per user
	maxBreakdowns  int           // distinct breakdowns per indicator
	publicURL      string
	trusted        string
	timeZone       string // the zone times are shown in
	// Sign-in (issue 16): the identity provider and password sign-in.
	oidcIssuer, oidcClientID, oidcClientSecret, oidcRedirectURL string
	oidcScopes, oidcRoleClaim, oidcRoleMap, oidcUnitClaim       string
	oidcAllowedDomains, passwordLogin                           string
	oidcAutoCreate                                              bool
	mail                                                        mailConfig
	defaultUnit                                                 string // unit shown without ?unit= and in digests
	// adminPassword is the first administrator's (TIENDO_ADMIN_PASSWORD):
	// a variable only, as a flag would show in the process list.
	adminPassword string
}

// bindCommon adds the flags every command shares.
func (c *config) bindCommon(fs *flag.FlagSet) {
	fs.StringVar(&c.db, "db", "data/tiendo.db", "database: a SQLite file path or a postgres:// URL (TIENDO_DB)")
}

// bindDefaultUnit adds -default-unit (serve and digest share it).
func (c *config) bindDefaultUnit(fs *flag.FlagSet) {
	fs.StringVar(&c.defaultUnit, "default-unit", seed.UnitHCMC, "code of the unit the pages show without ?unit=, and digests of users without a unit (TIENDO_DEFAULT_UNIT)")
}

// bindServe adds the server's flags.
func (c *config) bindServe(fs *flag.FlagSet) {
	c.bindCommon(fs)
	c.mail.bindMail(fs)
	c.bindDefaultUnit(fs)
	c.adminPassword = os.Getenv("TIENDO_ADMIN_PASSWORD")
	fs.StringVar(&c.addr, "addr", "127.0.0.1:8080", "address to listen on (TIENDO_ADDR)")
	fs.BoolVar(&c.demo, "demo", false, "add made-up demo actuals, marked as demo (TIENDO_DEMO)")
	fs.BoolVar(&c.private, "private", false, "require a login for every page and the API (TIENDO_PRIVATE)")
	fs.BoolVar(&c.logJSON, "log-json", false, "write logs as JSON lines (TIENDO_LOG_JSON)")
	fs.StringVar(&c.metricsAddr, "metrics-addr", "", "serve Prometheus /metrics without login on this private address, e.g. 127.0.0.1:9090 (TIENDO_METRICS_ADDR)")
	fs.StringVar(&c.backupDir, "backup-dir", "", "write scheduled backups into this folder (TIENDO_BACKUP_DIR)")
	fs.DurationVar(&c.backupEvery, "backup-every", 24*time.Hour, "time between scheduled backups (TIENDO_BACKUP_EVERY)")
	fs.StringVar(&c.publicURL, "public-url", "", "address readers use, e.g. https://tiendo.example.gov.vn, for absolute links such as the briefing's printed one; empty: relative links (TIENDO_PUBLIC_URL)")
	fs.StringVar(&c.trusted, "trusted-proxies", "", "comma-separated addresses or CIDR ranges of reverse proxies whose X-Forwarded-For/-Proto count, e.g. 127.0.0.1,10.0.0.0/8 (TIENDO_TRUSTED_PROXIES)")
	fs.IntVar(&c.backupKeep, "backup-keep", 14, "scheduled backups to keep; older ones are deleted (TIENDO_BACKUP_KEEP)")
	fs.DurationVar(&c.tokenTTL, "token-ttl", models.DefaultTokenPolicy.TTL, "how long an API token lasts from its creation, e.g. 2160h = 90 days (TIENDO_TOKEN_TTL)")
	fs.IntVar(&c.maxTokens, "max-tokens", models.DefaultTokenPolicy.Max, "live API tokens one user may hold (TIENDO_MAX_TOKENS)")
	fs.StringVar(&c.timeZone, "time-zone", handlers.DefaultTimeZone, "time zone of the times pages show, e.g. the audit log's (TIENDO_TIME_ZONE)")
	fs.IntVar(&c.uploadMaxRows, "upload-max-rows", 500_000, "most rows of one uploaded file or sheet; the import command has no limit (TIENDO_UPLOAD_MAX_ROWS)")
	fs.IntVar(&c.uploadMaxBytes, "upload-max-bytes", 32<<20, "most bytes of one upload through the page or the API (TIENDO_UPLOAD_MAX_BYTES)")
	c.bindBreakdowns(fs)
	c.bindSignIn(fs)
}

// bindBreakdowns adds -max-breakdowns, for the commands that store values.
func (c *config) bindBreakdowns(fs *flag.FlagSet) {
	fs.IntVar(&c.maxBreakdowns, "max-breakdowns", models.DefaultMaxBreakdowns, "distinct breakdowns (e.g. SEX=F;AGE=Y15T24) one indicator may hold (TIENDO_MAX_BREAKDOWNS)")
}

// bindSignIn adds the identity provider's flags and -password-login.
func (c *config) bindSignIn(fs *flag.FlagSet) {
	fs.StringVar(&c.oidcIssuer, "oidc-issuer", "", "OpenID Connect issuer URL; enables sign-in with the identity provider (TIENDO_OIDC_ISSUER)")
	fs.StringVar(&c.oidcClientID, "oidc-client-id", "", "client id registered at the provider (TIENDO_OIDC_CLIENT_ID)")
	fs.StringVar(&c.oidcClientSecret, "oidc-client-secret", "", "client secret; prefer the variable, a flag shows in the process list (TIENDO_OIDC_CLIENT_SECRET)")
	fs.StringVar(&c.oidcRedirectURL, "oidc-redirect-url", "", "this server's …/auth/oidc/callback URL as registered at the provider (TIENDO_OIDC_REDIRECT_URL)")
	fs.StringVar(&c.oidcScopes, "oidc-scopes", "openid profile email", "scopes asked for (TIENDO_OIDC_SCOPES)")
	fs.StringVar(&c.oidcRoleClaim, "oidc-role-claim", "groups", "claim holding the user's groups (TIENDO_OIDC_ROLE_CLAIM)")
	fs.StringVar(&c.oidcRoleMap, "oidc-role-map", "", "group=role pairs, first match wins, e.g. tiendo-admins=admin,tiendo-planners=planner (TIENDO_OIDC_ROLE_MAP)")
	fs.StringVar(&c.oidcUnitClaim, "oidc-unit-claim", "", "claim holding a unit code, the user's scope (TIENDO_OIDC_UNIT_CLAIM)")
	fs.BoolVar(&c.oidcAutoCreate, "oidc-auto-create", false, "a first sign-in creates an active account; otherwise a disabled one an admin enables (TIENDO_OIDC_AUTO_CREATE)")
	fs.StringVar(&c.oidcAllowedDomains, "oidc-allowed-domains", "", "comma-separated e-mail domains let in; empty: any (TIENDO_OIDC_ALLOWED_DOMAINS)")
	fs.StringVar(&c.passwordLogin, "password-login", "on", "sign-in with a password: on, admins (break-glass administrators only) or off (TIENDO_PASSWORD_LOGIN)")
}

// signIn builds the handlers' sign-in settings; with an issuer it discovers
// the provider, waiting at most 30 seconds.
func (c *config) signIn(ctx context.Context) (string, *handlers.OIDC, error) {
	switch c.passwordLogin {
	case handlers.PasswordOn, handlers.PasswordAdmins, handlers.PasswordOff:
	default:
		return "", nil, fmt.Errorf("TIENDO_PASSWORD_LOGIN %q: on, admins or off", c.passwordLogin)
	}
	if c.oidcIssuer == "" {
		if c.passwordLogin != handlers.PasswordOn {
			return "", nil, fmt.Errorf("TIENDO_PASSWORD_LOGIN=%s needs TIENDO_OIDC_ISSUER: otherwise nobody (or only administrators) could sign in", c.passwordLogin)
		}
		return c.passwordLogin, nil, nil
	}
	roles, err := handlers.ParseRoleMap(c.oidcRoleMap)
	if err != nil {
		return "", nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	o, err := handlers.NewOIDC(ctx, handlers.OIDCSettings{Issuer: c.oidcIssuer, ClientID: c.oidcClientID, ClientSecret: c.oidcClientSecret,
		RedirectURL: c.oidcRedirectURL, Scopes: strings.Fields(c.oidcScopes), RoleClaim: c.oidcRoleClaim, RoleMap: roles,
		UnitClaim: c.oidcUnitClaim, AutoCreate: c.oidcAutoCreate, AllowedDomains: splitList(c.oidcAllowedDomains)})
	return c.passwordLogin, o, err
}

func splitList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' })
}

// logger writes text, or JSON lines with -log-json, to standard error.
func (c *config) logger() *slog.Logger {
	if c.logJSON {
		return slog.New(slog.NewJSONHandler(os.Stderr, nil))
	}
	return slog.New(slog.NewTextHandler(os.Stderr, nil))
}

// envVar is the TIENDO_* variable a flag's usage names at its end.
var envVar = regexp.MustCompile(`\((TIENDO_[A-Z_]+)\)$`)

// parseFlags reads a command's flags: those not given on the command line
// take the TIENDO_* variable their usage names, when set. A value that
// cannot be read stops the command (exit 2) with the variable's name and
// the values accepted, rather than passing for the default.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return err
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	var errs []error
	fs.VisitAll(func(f *flag.Flag) {
		m := envVar.FindStringSubmatch(f.Usage)
		if m == nil || given[f.Name] {
			return
		}
		if v := os.Getenv(m[1]); v != "" {
			if err := f.Value.Set(v); err != nil {
				errs = append(errs, fmt.Errorf("%s=%q cannot be read: accepted values are %s", m[1], v, accepted(f)))
			}
		}
	})
	if len(errs) > 0 {
		return &exitError{code: 2, msg: errors.Join(errs...).Error()}
	}
	return nil
}

// accepted says what a flag's value may be.
func accepted(f *flag.Flag) string {
	switch f.Value.(flag.Getter).Get().(type) {
	case bool:
		return "true or false (also 1 or 0)"
	case int, int64, uint, uint64:
		return "whole numbers, e.g. " + f.DefValue
	case time.Duration:
		return "durations such as 90m, 24h or 2160h"
	}
	return "those described in tiendo help"
}

// zone loads the time zone of -time-zone; a bad one stops the start.
func (c *config) zone() (*time.Location, error) {
	loc, err := time.LoadLocation(c.timeZone)
	if err != nil || c.timeZone == "" || c.timeZone == "Local" {
		return nil, &exitError{code: 2, msg: fmt.Sprintf("TIENDO_TIME_ZONE (-time-zone) %q is not a time zone: accepted values are names of the IANA database, e.g. %s or UTC", c.timeZone, handlers.DefaultTimeZone)}
	}
	return loc, nil
}

// handlerConfig is what the handlers need from the flags.
func (c *config) handlerConfig() handlers.Config {
	var trusted []string
	for _, s := range strings.Split(c.trusted, ",") {
		if s = strings.TrimSpace(s); s != "" {
			trusted = append(trusted, s)
		}
	}
	return handlers.Config{Private: c.private, DefaultUnit: c.defaultUnit, PublicURL: c.publicURL, TrustedProxies: trusted,
		UploadMaxRows: c.uploadMaxRows, UploadMaxBytes: int64(c.uploadMaxBytes)}
}
