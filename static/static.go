// Package static embeds the templates, styles, scripts, translations and the
// vendored ECharts build, so the binary serves everything itself.
package static

import "embed"

// FS holds every embedded file. vendor/ is filled at build time from the npm
// registry (make assets) and is not committed.
//
//go:embed css js templates locales all:vendor
var FS embed.FS
