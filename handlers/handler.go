// Package handlers serves the pages and the JSON API of Tiến độ.
package handlers

import (
	"time"

	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net"
	"regexp"
	"strings"

	"github.com/gofiber/fiber/v2"
	"golang.org/x/sync/singleflight"

	"tiendo/locale"
	"tiendo/models"
	"tiendo/notify"
	"tiendo/static"
)

// Config is what the handlers need to know about how the app runs.
type Config struct {
	Private bool // every page and the API need a signed-in user
	// DefaultUnit is the code of the unit pages show without ?unit=
	// (-default-unit); required.
	DefaultUnit string
	// PublicURL is the address readers use (https://tiendo.example.gov.vn),
	// for the absolute links a page prints; empty: links are relative. A
	// host is never taken from a request: stored pages are shared.
	PublicURL string
	// TrustedProxies are the addresses or CIDR ranges of the reverse
	// proxies whose X-Forwarded-For and X-Forwarded-Proto count.
	TrustedProxies []string
	// PasswordLogin governs the sign-in form and POST /api/v1/auth/token:
	// PasswordOn (also ""), PasswordAdmins (a break-glass admin) or PasswordOff.
	PasswordLogin string
	OIDC          *OIDC // the identity provider; nil: none configured
	// Mail: when the digest goes out, whether an SMTP server is set.
	DigestSchedule notify.Schedule
	SMTP           bool
	// Limits of one upload through the page or the API (-upload-max-rows,
	// -upload-max-bytes); 0: the defaults, importer.MaxRows and 32 MB.
	UploadMaxRows  int
	UploadMaxBytes int64
	// TimeZone is the zone times are shown in (-time-zone); nil:
	// DefaultTimeZone.
	TimeZone *time.Location
}

// DefaultTimeZone is Vietnam's zone, where the app's users are.
const DefaultTimeZone = locale.DefaultZone

// Values of Config.PasswordLogin (TIENDO_PASSWORD_LOGIN).
const (
	PasswordOn     = "on"
	PasswordAdmins = "admins"
	PasswordOff    = "off"
)

// Handler serves every route; its methods are the pages and API endpoints.
type Handler struct {
	store *models.Store
	// trusted are cfg.TrustedProxies, parsed.
	trusted []*net.IPNet
	cat     locale.Catalog
	pages   map[string]*template.Template
	assets  map[string]string // asset path → content checksum, for cache busting
	// named maps a logical asset ("vendor/echarts.js") to the file whose
	// name carries its content hash (built by make assets).
	named   map[string]string
	cfg     Config
	log     *slog.Logger
	version string
	metrics *metrics
	imports *pendingImports
	// responses holds pages and API answers for visitors not signed in.
	responses *models.Cache[responseKey, cachedResponse]
	building  singleflight.Group // one build of a missing answer at a time
}

// New builds the handlers: it parses every template and hashes every asset
// once, at start-up.
func New(store *models.Store, cfg Config, log *slog.Logger, version string) (*Handler, error) {
	if cfg.DefaultUnit == "" {
		return nil, errors.New("handlers: no default unit (-default-unit)")
	}
	cat, err := locale.Load(static.FS)
	if err != nil {
		return nil, err
	}
	trusted, err := parseTrusted(cfg.TrustedProxies)
	if err != nil {
		return nil, err
	}
	if cfg.PublicURL, err = publicURL(cfg.PublicURL); err != nil {
		return nil, err
	}
	if cfg.TimeZone == nil {
		if cfg.TimeZone, err = time.LoadLocation(DefaultTimeZone); err != nil {
			return nil, err
		}
	}
	h := &Handler{trusted: trusted, store: store, cat: cat, cfg: cfg, log: log, version: version, assets: map[string]string{},
		metrics:   newMetrics(),
		imports:   &pendingImports{files: map[string]pendingImport{}},
		responses: models.NewCache[responseKey, cachedResponse](responseCacheSize)}
	models.Track(store, h.responses)
	if err := h.hashAssets(); err != nil {
		return nil, err
	}
	if h.named, err = namedAssets(static.FS); err != nil {
		return nil, err
	}
	if err := h.parseTemplates(); err != nil {
		return nil, err
	}
	return h, nil
}

// Catalog returns the translations.
func (h *Handler) Catalog() locale.Catalog { return h.cat }

func (h *Handler) hashAssets() error {
	return fs.WalkDir(static.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := fs.ReadFile(static.FS, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		h.assets[p] = hex.EncodeToString(sum[:])[:12]
		return nil
	})
}

// asset returns the URL of a static file with its checksum, so a new
// version is never served stale from a browser cache. A file built with
// its hash in its name is linked by that name.
func (h *Handler) asset(name string) string {
	if file, ok := h.named[name]; ok {
		return "/static/" + file
	}
	return "/static/" + name + "?v=" + h.assets[name]
}

// hashedName matches a built file named by its content hash: echarts.0f2127795ace.js.
var hashedName = regexp.MustCompile(`^vendor/([a-z]+)\.[0-9a-f]{12}\.js$`)

// namedAssets finds the bundles built by make assets. The ECharts bundle
// must be there: without it no page draws a chart.
func namedAssets(fsys fs.FS) (map[string]string, error) {
	files, err := fs.Glob(fsys, "vendor/*.js")
	if err != nil {
		return nil, err
	}
	named := map[string]string{}
	for _, f := range files {
		if m := hashedName.FindStringSubmatch(f); m != nil {
			named["vendor/"+m[1]+".js"] = f
		}
	}
	if named["vendor/echarts.js"] == "" {
		return nil, errors.New("handlers: static/vendor has no ECharts bundle (echarts.<hash>.js): run make assets")
	}
	return named, nil
}

func (h *Handler) parseTemplates() error {
	funcs := template.FuncMap{
		"asset": h.asset,
		"statusColor": func(s models.Status) string {
			return statusColor(s)
		},
		"statusIcon":   statusIcon,
		"statusBadge":  statusBadge,
		"add":          func(a, b int) int { return a + b },
		"join":         strings.Join,
		"dict":         dict,
		"list":         func(s ...string) []string { return s },
		"minPassword":  func() int { return models.MinPasswordLength },
		"resetMinutes": func() int { return int(models.PasswordResetLifetime.Minutes()) },
	}
	layout, err := template.New("layout.html").Funcs(funcs).ParseFS(static.FS, "templates/layout.html", "templates/partials/*.html")
	if err != nil {
		return fmt.Errorf("handlers: layout: %w", err)
	}
	files, err := fs.Glob(static.FS, "templates/pages/*.html")
	if err != nil {
		return err
	}
	h.pages = map[string]*template.Template{}
	for _, f := range files {
		name := strings.TrimSuffix(f[strings.LastIndex(f, "/")+1:], ".html")
		t, err := template.Must(layout.Clone()).ParseFS(static.FS, f)
		if err != nil {
			return fmt.Errorf("handlers: %s: %w", f, err)
		}
		h.pages[name] = t
	}
	return nil
}

// The layouts a page is rendered in: the app's, with header, navigation and
// footer, or none (the page's own "embed" template, for an iframe).
const (
	layoutApp   = "layout.html"
	layoutEmbed = "embed"
)

// render writes the page name in layout.
func (h *Handler) render(c *fiber.Ctx, status int, layout, name string, p *Page) error {
	t, ok := h.pages[name]
	if !ok {
		return fmt.Errorf("handlers: no template %q", name)
	}
	var b strings.Builder
	if err := t.ExecuteTemplate(&b, layout, p); err != nil {
		return fmt.Errorf("handlers: render %s: %w", name, err)
	}
	c.Type("html", "utf-8")
	if p.User != nil {
		// A signed-in page may show what others must not see: keep it out of shared caches.
		c.Set(fiber.HeaderCacheControl, "private, no-store")
	}
	return c.Status(status).SendString(b.String())
}

// dict builds a map from key, value pairs, so a partial can take several
// arguments: {{template "input" dict "id" "code" "label" (.T "…")}}.
func dict(kv ...any) (map[string]any, error) {
	if len(kv)%2 != 0 {
		return nil, fmt.Errorf("dict: odd number of arguments")
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			return nil, fmt.Errorf("dict: key %v is not a string", kv[i])
		}
		m[k] = kv[i+1]
	}
	return m, nil
}
