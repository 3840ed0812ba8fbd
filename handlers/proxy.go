package handlers

import (
	"fmt"
	"net"
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// parseTrusted reads the trusted proxies: addresses or CIDR ranges.
func parseTrusted(list []string) ([]*net.IPNet, error) {
	var nets []*net.IPNet
	for _, s := range list {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		if !strings.Contains(s, "/") {
			ip := net.ParseIP(s)
			if ip == nil {
				return nil, fmt.Errorf("trusted proxy %q: not an address or CIDR range", s)
			}
			bits := 128
			if ip.To4() != nil {
				ip, bits = ip.To4(), 32
			}
			nets = append(nets, &net.IPNet{IP: ip, Mask: net.CIDRMask(bits, bits)})
			continue
		}
		_, n, err := net.ParseCIDR(s)
		if err != nil {
			return nil, fmt.Errorf("trusted proxy %q: not an address or CIDR range", s)
		}
		nets = append(nets, n)
	}
	return nets, nil
}

// proxyRanges are the trusted proxies as Fiber reads them.
func proxyRanges(nets []*net.IPNet) []string {
	out := make([]string, len(nets))
	for i, n := range nets {
		out[i] = n.String()
	}
	return out
}

func (h *Handler) trustedAddress(ip net.IP) bool {
	for _, n := range h.trusted {
		if n.Contains(ip) {
			return true
		}
	}
	return false
}

// forwardedClient leaves in X-Forwarded-For only the address c.IP() must
// report: reading from the right, the first address a trusted proxy did
// not add for itself. The leftmost entries are whatever the client chose
// to send, so Fiber's own reading (the first valid entry) would let anyone
// pick their address, and with it escape a per-address throttle. From a
// peer that is not a trusted proxy, Fiber ignores the header.
func (h *Handler) forwardedClient(c *fiber.Ctx) {
	hdr := c.Request().Header.Peek(fiber.HeaderXForwardedFor)
	if len(hdr) == 0 || !c.IsProxyTrusted() {
		return
	}
	client := ""
	entries := strings.Split(string(hdr), ",")
	for i := len(entries) - 1; i >= 0; i-- {
		ip := net.ParseIP(strings.TrimSpace(entries[i]))
		if ip == nil {
			break // past what proxies wrote: nothing further left is to be believed
		}
		client = ip.String()
		if !h.trustedAddress(ip) {
			break
		}
	}
	if client == "" {
		c.Request().Header.Del(fiber.HeaderXForwardedFor) // c.IP() falls back to the peer
		return
	}
	c.Request().Header.Set(fiber.HeaderXForwardedFor, client)
}

// publicURL checks the configured public address: http(s), a host, no
// query; returned without a trailing slash.
func publicURL(s string) (string, error) {
	if s == "" {
		return "", nil
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("public URL %q: want http(s)://host[:port][/path]", s)
	}
	return strings.TrimRight(u.String(), "/"), nil
}

// absURL is an app path as readers reach it: under the public URL when one
// is configured, else relative. Never from the request's Host or
// X-Forwarded-Host: the page may be stored and shown to everyone.
func (h *Handler) absURL(path string) string {
	return h.cfg.PublicURL + path
}

// linkBase is where a link handed to someone else starts (a password reset
// link): the public URL, else the address this request came to; for a
// page shown only to the one who asked, never stored.
func (h *Handler) linkBase(c *fiber.Ctx) string {
	if h.cfg.PublicURL != "" {
		return h.cfg.PublicURL
	}
	return c.BaseURL()
}
