package handlers

import (
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"tiendo/locale"
)

// withLang keeps the page's language across a redirect: the parsed
// language (vi or en), never what the request sent.
func withLang(c *fiber.Ctx, path string) string {
	if l := c.Query("lang"); l != "" {
		sep := "?"
		if strings.Contains(path, "?") {
			sep = "&"
		}
		return path + sep + "lang=" + locale.Normalize(l)
	}
	return path
}

// codePath is an app path with codes as escaped path segments:
// codePath("/edit/indicators", code, "targets").
func codePath(base string, segments ...string) string {
	for _, s := range segments {
		base += "/" + url.PathEscape(s)
	}
	return base
}
