package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"time"

	"tiendo/handlers"
	"tiendo/models"
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
}

// bindCommon adds the flags every command shares.
func (c *config) bindCommon(fs *flag.FlagSet) {
	fs.StringVar(&c.db, "db", env("TIENDO_DB", "data/tiendo.db"), "database: a SQLite file path or a postgres:// URL (TIENDO_DB)")
}

// bindServe adds the server's flags.
func (c *config) bindServe(fs *flag.FlagSet) {
	c.bindCommon(fs)
	c.mail.bindMail(fs)
	fs.StringVar(&c.addr, "addr", env("TIENDO_ADDR", "127.0.0.1:8080"), "address to listen on (TIENDO_ADDR)")
	fs.BoolVar(&c.demo, "demo", envBool("TIENDO_DEMO", false), "add made-up demo actuals, marked as demo (TIENDO_DEMO)")
	fs.BoolVar(&c.private, "private", envBool("TIENDO_PRIVATE", false), "require a login for every page and the API (TIENDO_PRIVATE)")
	fs.BoolVar(&c.logJSON, "log-json", envBool("TIENDO_LOG_JSON", false), "write logs as JSON lines (TIENDO_LOG_JSON)")
	fs.StringVar(&c.metricsAddr, "metrics-addr", env("TIENDO_METRICS_ADDR", ""), "serve Prometheus /metrics without login on this private address, e.g. 127.0.0.1:9090 (TIENDO_METRICS_ADDR)")
	fs.StringVar(&c.backupDir, "backup-dir", env("TIENDO_BACKUP_DIR", ""), "write scheduled backups into this folder (TIENDO_BACKUP_DIR)")
	fs.DurationVar(&c.backupEvery, "backup-every", envDuration("TIENDO_BACKUP_EVERY", 24*time.Hour), "time between scheduled backups (TIENDO_BACKUP_EVERY)")
	fs.StringVar(&c.publicURL, "public-url", env("TIENDO_PUBLIC_URL", ""), "address readers use, e.g. https://tiendo.example.gov.vn, for absolute links such as the briefing's printed one; empty: relative links (TIENDO_PUBLIC_URL)")
	fs.StringVar(&c.trusted, "trusted-proxies", env("TIENDO_TRUSTED_PROXIES", ""), "comma-separated addresses or CIDR ranges of reverse proxies whose X-Forwarded-For/-Proto count, e.g. 127.0.0.1,10.0.0.0/8 (TIENDO_TRUSTED_PROXIES)")
	fs.IntVar(&c.backupKeep, "backup-keep", envInt("TIENDO_BACKUP_KEEP", 14), "scheduled backups to keep; older ones are deleted (TIENDO_BACKUP_KEEP)")
	fs.DurationVar(&c.tokenTTL, "token-ttl", envDuration("TIENDO_TOKEN_TTL", models.DefaultTokenPolicy.TTL), "how long an API token lasts from its creation, e.g. 2160h = 90 days (TIENDO_TOKEN_TTL)")
	fs.IntVar(&c.maxTokens, "max-tokens", envInt("TIENDO_MAX_TOKENS", models.DefaultTokenPolicy.Max), "live API tokens one user may hold (TIENDO_MAX_TOKENS)")
	fs.StringVar(&c.timeZone, "time-zone", env("TIENDO_TIME_ZONE", handlers.DefaultTimeZone), "time zone of the times pages show, e.g. the audit log's (TIENDO_TIME_ZONE)")
	fs.IntVar(&c.uploadMaxRows, "upload-max-rows", envInt("TIENDO_UPLOAD_MAX_ROWS", 500_000), "most rows of one uploaded file or sheet; the import command has no limit (TIENDO_UPLOAD_MAX_ROWS)")
	fs.IntVar(&c.uploadMaxBytes, "upload-max-bytes", envInt("TIENDO_UPLOAD_MAX_BYTES", 32<<20), "most bytes of one upload through the page or the API (TIENDO_UPLOAD_MAX_BYTES)")
	c.bindBreakdowns(fs)
	c.bindSignIn(fs)
}

// bindBreakdowns adds -max-breakdowns, for the commands that store values.
func (c *config) bindBreakdowns(fs *flag.FlagSet) {
	fs.IntVar(&c.maxBreakdowns, "max-breakdowns", envInt("TIENDO_MAX_BREAKDOWNS", models.DefaultMaxBreakdowns), "distinct breakdowns (e.g. SEX=F;AGE=Y15T24) one indicator may hold (TIENDO_MAX_BREAKDOWNS)")
}

// bindSignIn adds the identity provider's flags and -password-login.
func (c *config) bindSignIn(fs *flag.FlagSet) {
	fs.StringVar(&c.oidcIssuer, "oidc-issuer", env("TIENDO_OIDC_ISSUER", ""), "OpenID Connect issuer URL; enables sign-in with the identity provider (TIENDO_OIDC_ISSUER)")
	fs.StringVar(&c.oidcClientID, "oidc-client-id", env("TIENDO_OIDC_CLIENT_ID", ""), "client id registered at the provider (TIENDO_OIDC_CLIENT_ID)")
	fs.StringVar(&c.oidcClientSecret, "oidc-client-secret", env("TIENDO_OIDC_CLIENT_SECRET", ""), "client secret; prefer the variable, a flag shows in the process list (TIENDO_OIDC_CLIENT_SECRET)")
	fs.StringVar(&c.oidcRedirectURL, "oidc-redirect-url", env("TIENDO_OIDC_REDIRECT_URL", ""), "this server's …/auth/oidc/callback URL as registered at the provider (TIENDO_OIDC_REDIRECT_URL)")
	fs.StringVar(&c.oidcScopes, "oidc-scopes", env("TIENDO_OIDC_SCOPES", "openid profile email"), "scopes asked for (TIENDO_OIDC_SCOPES)")
	fs.StringVar(&c.oidcRoleClaim, "oidc-role-claim", env("TIENDO_OIDC_ROLE_CLAIM", "groups"), "claim holding the user's groups (TIENDO_OIDC_ROLE_CLAIM)")
	fs.StringVar(&c.oidcRoleMap, "oidc-role-map", env("TIENDO_OIDC_ROLE_MAP", ""), "group=role pairs, first match wins, e.g. tiendo-admins=admin,tiendo-planners=planner (TIENDO_OIDC_ROLE_MAP)")
	fs.StringVar(&c.oidcUnitClaim, "oidc-unit-claim", env("TIENDO_OIDC_UNIT_CLAIM", ""), "claim holding a unit code, the user's scope (TIENDO_OIDC_UNIT_CLAIM)")
	fs.BoolVar(&c.oidcAutoCreate, "oidc-auto-create", envBool("TIENDO_OIDC_AUTO_CREATE", false), "a first sign-in creates an active account; otherwise a disabled one an admin enables (TIENDO_OIDC_AUTO_CREATE)")
	fs.StringVar(&c.oidcAllowedDomains, "oidc-allowed-domains", env("TIENDO_OIDC_ALLOWED_DOMAINS", ""), "comma-separated e-mail domains let in; empty: any (TIENDO_OIDC_ALLOWED_DOMAINS)")
	fs.StringVar(&c.passwordLogin, "password-login", env("TIENDO_PASSWORD_LOGIN", "on"), "sign-in with a password: on, admins (break-glass administrators only) or off (TIENDO_PASSWORD_LOGIN)")
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

func env(key, fallback string) string {
	if v, ok := os.LookupEnv(key); ok && v != "" {
		return v
	}
	return fallback
}

func envDuration(key string, fallback time.Duration) time.Duration {
	if d, err := time.ParseDuration(os.Getenv(key)); err == nil {
		return d
	}
	return fallback
}

func envInt(key string, fallback int) int {
	if n, err := strconv.Atoi(os.Getenv(key)); err == nil {
		return n
	}
	return fallback
}

func envBool(key string, fallback bool) bool {
	if b, err := strconv.ParseBool(os.Getenv(key)); err == nil {
		return b
	}
	return fallback
}

// zone loads the time zone of -time-zone; a bad one stops the start.
func (c *config) zone() (*time.Location, error) {
	loc, err := time.LoadLocation(c.timeZone)
	if err != nil || c.timeZone == "" || c.timeZone == "Local" {
		return nil, fmt.Errorf("TIENDO_TIME_ZONE (-time-zone) %q is not a time zone: give one of the IANA database, e.g. %s", c.timeZone, handlers.DefaultTimeZone)
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
	return handlers.Config{Private: c.private, PublicURL: c.publicURL, TrustedProxies: trusted,
		UploadMaxRows: c.uploadMaxRows, UploadMaxBytes: int64(c.uploadMaxBytes)}
}
