package handlers

import (
	"bytes"
	"hash/crc32"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
)

// Pages and API answers are built once per data version and then served as
// stored bytes: at city size an overview assesses thousands of series, and
// the data changes a few times a day. A write anywhere (this instance or
// another sharing the database) bumps the version and so empties the cache.

// cachedResponse is one stored answer.
type cachedResponse struct {
	body        []byte
	contentType string
	etag        string
	csp         string // the answer's own Content-Security-Policy (the embed may be framed)
}

// responseCacheSize bounds the stored answers (units × milestones × two
// languages, plus the API); an overview of 150 indicators is about 200 kB.
const responseCacheSize = 512

// started is when this binary began serving: pages also change when the
// templates do, so Last-Modified is never earlier than this.
var started = time.Now().UTC().Truncate(time.Second)

type responseKey struct {
	lang, uri, day string
}

// cacheResponse serves GET answers from the cache for visitors who are not
// signed in. A request with a cookie other than the language (a session, a
// CSRF token), or an answer that sets one or is not a plain 200, bypasses
// it, so nothing personal is ever stored or shared.
func (h *Handler) cacheResponse(c *fiber.Ctx) error {
	// A Bearer token is a signed-in client too: its answers stay its own.
	if c.Method() != fiber.MethodGet || hasPrivateCookie(c) || c.Get(fiber.HeaderAuthorization) != "" {
		return c.Next()
	}
	version, changed, err := h.store.Version()
	if err != nil {
		return err
	}
	lastModified(c, changed)
	key := responseKey{lang: h.lang(c), uri: string(c.Request().URI().RequestURI()), day: h.store.Now().Format("2006-01-02")}
	if r, ok := h.responses.Get(version, key); ok {
		c.Set(fiber.HeaderContentType, r.contentType)
		c.Set(fiber.HeaderETag, r.etag)
		if r.csp != "" {
			c.Set(fiber.HeaderContentSecurityPolicy, r.csp)
		}
		return c.Send(r.body)
	}
	if err := c.Next(); err != nil {
		return err
	}
	resp := c.Response()
	if resp.StatusCode() != fiber.StatusOK || setsPrivateCookie(c) {
		return nil
	}
	body := append([]byte(nil), resp.Body()...)
	r := cachedResponse{body: body, contentType: string(resp.Header.ContentType()), etag: etagOf(body),
		csp: string(resp.Header.Peek(fiber.HeaderContentSecurityPolicy))}
	h.responses.Put(version, key, r)
	c.Set(fiber.HeaderETag, r.etag)
	return nil
}

// lastModified sets Last-Modified to when the data (or the binary) last
// changed, whichever is later.
func lastModified(c *fiber.Ctx, changed time.Time) {
	if changed.Before(started) {
		changed = started
	}
	c.Set(fiber.HeaderLastModified, changed.Format(time.RFC1123[:len(time.RFC1123)-3]+"GMT"))
}

func hasPrivateCookie(c *fiber.Ctx) bool {
	private := false
	c.Request().Header.VisitAllCookie(func(k, _ []byte) {
		if string(k) != langCookie {
			private = true
		}
	})
	return private
}

func setsPrivateCookie(c *fiber.Ctx) bool {
	private := false
	c.Response().Header.VisitAllCookie(func(k, _ []byte) {
		if string(k) != langCookie {
			private = true
		}
	})
	return private || strings.Contains(string(c.Response().Header.Peek(fiber.HeaderCacheControl)), "private")
}

// etagOf is a weak validator: the same answer may be sent compressed or not.
func etagOf(body []byte) string {
	return `W/"` + strconv.Itoa(len(body)) + "-" + strconv.FormatUint(uint64(crc32.ChecksumIEEE(body)), 36) + `"`
}

// conditional answers 304 Not Modified when the client already has the
// answer (If-None-Match, else If-Modified-Since), for every GET: pages, API
// and static files. Answers without a validator get an ETag from their body.
func conditional(c *fiber.Ctx) error {
	if err := c.Next(); err != nil {
		return err
	}
	if c.Method() != fiber.MethodGet && c.Method() != fiber.MethodHead {
		return nil
	}
	resp := c.Response()
	if resp.StatusCode() != fiber.StatusOK {
		return nil
	}
	etag := resp.Header.Peek(fiber.HeaderETag)
	if etag == nil && !resp.IsBodyStream() {
		etag = []byte(etagOf(resp.Body()))
		resp.Header.Set(fiber.HeaderETag, string(etag))
	}
	if inm := c.Request().Header.Peek(fiber.HeaderIfNoneMatch); len(inm) > 0 {
		if etag != nil && etagMatches(inm, etag) {
			return notModified(c)
		}
		return nil
	}
	ims, err := time.Parse(time.RFC1123, string(c.Request().Header.Peek(fiber.HeaderIfModifiedSince)))
	lm, err2 := time.Parse(time.RFC1123, string(resp.Header.Peek(fiber.HeaderLastModified)))
	if err == nil && err2 == nil && !lm.After(ims) {
		return notModified(c)
	}
	return nil
}

// etagMatches compares weakly, as RFC 9110 asks for If-None-Match.
func etagMatches(header, etag []byte) bool {
	if bytes.Equal(bytes.TrimSpace(header), []byte("*")) {
		return true
	}
	want := bytes.TrimPrefix(etag, []byte("W/"))
	for _, candidate := range bytes.Split(header, []byte(",")) {
		if bytes.Equal(bytes.TrimPrefix(bytes.TrimSpace(candidate), []byte("W/")), want) {
			return true
		}
	}
	return false
}

func notModified(c *fiber.Ctx) error {
	c.Context().ResetBody()
	c.Response().Header.Del(fiber.HeaderContentLength)
	return c.SendStatus(fiber.StatusNotModified)
}
