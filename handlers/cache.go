package handlers

import (
	"bytes"
	"hash/crc32"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"tiendo/locale"
	"tiendo/models"
)

// Pages and API answers are built once and then served as stored bytes
// until a write touches what they were built from (the unit asked for, its
// subtree and ancestors, the indicator shown; see models.Cache): at city
// size an overview assesses thousands of series, and a ward's value must
// not empty the answers of every other district. Writes of other instances
// sharing the database arrive through the change log (Store.Sync).

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
// signed in. A request with credentials (a cookie other than the language,
// such as a session or CSRF token, or an Authorization header), or an
// answer that sets such a cookie or is not a plain 200, bypasses it, so
// nothing personal is ever stored or shared.
func (h *Handler) cacheResponse(c *fiber.Ctx) error {
	// A Bearer token is a signed-in client too: its answers stay its own.
	if c.Method() != fiber.MethodGet || hasPrivateCookie(c) || c.Get(fiber.HeaderAuthorization) != "" {
		return c.Next()
	}
	since, changed, err := h.store.Version()
	if err != nil {
		return err
	}
	lastModified(c, changed)
	// The handler sees the query the answer is stored under, so the two
	// always agree.
	query := canonicalQuery(c)
	c.Request().URI().SetQueryString(query)
	key := responseKey{lang: h.lang(c), uri: string(c.Request().URI().Path()) + "?" + query, day: h.store.Now().Format("2006-01-02")}
	if r, ok := h.responses.Get(key); ok {
		h.metrics.cacheHits.Add(1)
		return sendCached(c, r)
	}
	h.metrics.cacheMisses.Add(1)
	// Readers arriving while the answer is built wait for that one build
	// instead of each assessing the city again.
	ran := false
	shared, err, _ := h.building.Do(key.String(), func() (any, error) {
		if r, ok := h.responses.Get(key); ok {
			return &r, nil
		}
		ran = true
		if err := c.Next(); err != nil {
			return nil, err
		}
		resp := c.Response()
		if resp.StatusCode() != fiber.StatusOK || setsPrivateCookie(c) || resp.IsBodyStream() {
			return nil, nil
		}
		body := append([]byte(nil), resp.Body()...)
		r := cachedResponse{body: body, contentType: string(resp.Header.ContentType()), etag: etagOf(body),
			csp: string(resp.Header.Peek(fiber.HeaderContentSecurityPolicy))}
		h.responses.Put(key, r, answerDeps(c), since)
		c.Set(fiber.HeaderETag, r.etag)
		return &r, nil
	})
	switch r, _ := shared.(*cachedResponse); {
	case ran:
		return err
	case err == nil && r != nil:
		return sendCached(c, *r)
	default:
		// The build this request waited for failed or may not be shared:
		// answer on its own.
		return c.Next()
	}
}

// publicParams are the query parameters the stored pages and API answers
// read (a test checks the handlers read no other); anything else in a URL
// is dropped before the answer is built or looked up, so junk such as
// &x=<random> cannot force a fresh build each time.
var publicParams = map[string]func(string) (string, bool){
	"unit":      plainParam,
	"pillar":    plainParam,
	"indicator": plainParam,
	"year":      intParam,
	"from":      plainParam, // periods, e.g. 2024-Q3
	"to":        plainParam,
	"freq":      plainParam,
	"tab":       plainParam,
	"breakdown": breakdownParam,
	"bd":        plainParam, // breakdown values chosen, SEX=F, one per parameter (listParams)
	"lang":      func(v string) (string, bool) { return locale.Normalize(v), true },
}

// listParams are the public parameters that may come more than once (the
// ticked boxes of a form): every value is kept, once, in a fixed order, so
// the same choice in any order is one stored answer.
var listParams = map[string]bool{"bd": true}

func plainParam(v string) (string, bool) { return v, v != "" }

// breakdownParam writes a breakdown's pairs in canonical order (the codes'
// case is the handler's to fix), the total as _T.
func breakdownParam(v string) (string, bool) {
	b, err := models.CanonicalBreakdown(v)
	switch {
	case v == "":
		return v, false
	case err != nil:
		return v, true
	case b == "":
		return models.BreakdownTotal, true
	}
	return b, true
}

// intParam writes a number one way (02030 is 2030); anything else is kept
// as sent, for the handler to refuse.
func intParam(v string) (string, bool) {
	if n, err := strconv.Atoi(v); err == nil {
		return strconv.Itoa(n), true
	}
	return v, v != ""
}

// canonicalQuery is the request's query with only the known parameters,
// the first value of each, canonicalised and in a fixed order.
func canonicalQuery(c *fiber.Ctx) string {
	q := url.Values{}
	args := c.Request().URI().QueryArgs()
	for name, canon := range publicParams {
		if listParams[name] {
			for _, raw := range args.PeekMulti(name) {
				if v, ok := canon(string(raw)); ok && !slices.Contains(q[name], v) {
					q.Add(name, v)
				}
			}
			slices.Sort(q[name])
			continue
		}
		if raw := args.Peek(name); raw != nil {
			if v, ok := canon(string(raw)); ok {
				q.Set(name, v)
			}
		}
	}
	return q.Encode() // sorted by name
}

func sendCached(c *fiber.Ctx, r cachedResponse) error {
	c.Set(fiber.HeaderContentType, r.contentType)
	c.Set(fiber.HeaderETag, r.etag)
	if r.csp != "" {
		c.Set(fiber.HeaderContentSecurityPolicy, r.csp)
	}
	return c.Send(r.body)
}

func (k responseKey) String() string { return k.lang + "\x00" + k.day + "\x00" + k.uri }

// depsLocal is where a handler tells the cache what its answer was built
// from; an answer that does not say depends on everything.
const depsLocal = "tiendo.deps"

// dependsOn records that the answer being built reads the data of units
// (with their subtrees and ancestors) and, beyond them, of indicators.
func dependsOn(c *fiber.Ctx, units []uint, indicators ...uint) {
	c.Locals(depsLocal, models.Deps{Units: units, Indicators: indicators})
}

func answerDeps(c *fiber.Ctx) models.Deps {
	d, _ := c.Locals(depsLocal).(models.Deps)
	return d
}

// lastModified sets Last-Modified to when the data (or the binary) last
// changed, whichever is later.
func lastModified(c *fiber.Ctx, changed time.Time) {
	if changed.Before(started) {
		changed = started
	}
	c.Set(fiber.HeaderLastModified, changed.Format(time.RFC1123[:len(time.RFC1123)-3]+"GMT"))
	// The next write may change the answer: a browser keeps it but asks
	// each time (a 304 when nothing changed). Without this it guesses a
	// freshness from Last-Modified and may show an old status to a planner
	// who has just saved, signed in or not.
	c.Set(fiber.HeaderCacheControl, "no-cache")
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
