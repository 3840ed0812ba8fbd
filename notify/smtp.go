package notify

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"

	"tiendo/models"
)

// SMTP is where mail goes: smtp://user:pass@host:587 (STARTTLS required),
// smtp://host:25?starttls=none (a plain relay on this host), or
// smtps://user:pass@host:465 (TLS from the start).
type SMTP struct {
	Host, Username, Password string
	Port                     int
	Implicit, Plain          bool // smtps; no TLS at all
	From                     string
}

// ParseSMTP reads an SMTP URL and the sender's address; an empty URL gives
// nil: mail stays in the outbox.
func ParseSMTP(raw, from string) (*SMTP, error) {
	if raw == "" {
		return nil, nil
	}
	u, err := url.Parse(raw)
	if err != nil || u.Hostname() == "" {
		return nil, fmt.Errorf("smtp url %q: want smtp://user:pass@host:587, smtps://… or smtp://localhost:25?starttls=none", redact(raw))
	}
	s := &SMTP{Host: u.Hostname(), From: from}
	switch u.Scheme {
	case "smtp":
		s.Port = 587
	case "smtps":
		s.Port, s.Implicit = 465, true
	default:
		return nil, fmt.Errorf("smtp url: scheme %q: use smtp:// or smtps://", u.Scheme)
	}
	if p := u.Port(); p != "" {
		if s.Port, err = strconv.Atoi(p); err != nil || s.Port < 1 || s.Port > 65535 {
			return nil, fmt.Errorf("smtp url: port %q is not a port", p)
		}
	}
	switch v := u.Query().Get("starttls"); v {
	case "":
	case "none":
		if u.Scheme != "smtp" || !isLoopback(s.Host) {
			return nil, errors.New("smtp url: starttls=none is only for a relay on this host (localhost, 127.0.0.1 or ::1)")
		}
		s.Plain = true
	default:
		return nil, fmt.Errorf("smtp url: starttls=%q: the only choice is starttls=none", v)
	}
	if u.User != nil {
		s.Username = u.User.Username()
		s.Password, _ = u.User.Password()
	}
	if from == "" {
		return nil, errors.New("mail needs a sender: set -mail-from (TIENDO_MAIL_FROM)")
	}
	if err := gomail.NewMsg().From(from); err != nil {
		return nil, fmt.Errorf("mail-from %q: %w", from, err)
	}
	return s, nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func redact(raw string) string {
	if u, err := url.Parse(raw); err == nil {
		return u.Redacted()
	}
	return "(unreadable)"
}

// client is a go-mail client for the configuration.
func (s *SMTP) client() (*gomail.Client, error) {
	opts := []gomail.Option{gomail.WithPort(s.Port), gomail.WithTimeout(30 * time.Second)}
	switch {
	case s.Implicit:
		opts = append(opts, gomail.WithSSL())
	case s.Plain:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	}
	if s.Username != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover), gomail.WithUsername(s.Username), gomail.WithPassword(s.Password))
	}
	return gomail.NewClient(s.Host, opts...)
}

// message turns an outbox row into a MIME message: UTF-8 text, the PDF
// attached, a Message-ID made from the idempotency key (so a receiver can
// drop a copy), and the one-click unsubscribe headers.
func (s *SMTP) message(m models.Mail, unsubscribe string) (*gomail.Msg, error) {
	msg := gomail.NewMsg(gomail.WithCharset(gomail.CharsetUTF8), gomail.WithEncoding(gomail.EncodingQP))
	if err := msg.From(s.From); err != nil {
		return nil, err
	}
	if err := msg.To(m.To); err != nil {
		return nil, err
	}
	msg.Subject(m.Subject)
	msg.SetDate()
	sum := sha256.Sum256([]byte(m.Key))
	msg.SetMessageIDWithValue(hex.EncodeToString(sum[:16]) + "@tiendo")
	if unsubscribe != "" {
		msg.SetGenHeader(gomail.HeaderListUnsubscribe, "<"+unsubscribe+">")
	}
	msg.SetBodyString(gomail.TypeTextPlain, m.Body)
	if m.AttachmentName != "" {
		pdf, err := base64.StdEncoding.DecodeString(m.Attachment)
		if err != nil {
			return nil, fmt.Errorf("attachment of mail %d: %w", m.ID, err)
		}
		if err := msg.AttachReader(m.AttachmentName, strings.NewReader(string(pdf))); err != nil {
			return nil, err
		}
	}
	return msg, nil
}

// send delivers one message.
func (s *SMTP) send(ctx context.Context, msg *gomail.Msg) error {
	c, err := s.client()
	if err != nil {
		return err
	}
	return c.DialAndSendWithContext(ctx, msg)
}
