package apptest

import (
	"bytes"
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/emersion/go-smtp"
)

// SMTPServer is a real SMTP server on 127.0.0.1 that keeps what it receives.
type SMTPServer struct {
	Addr string
	mu   sync.Mutex
	msgs [][]byte
}

// NewSession starts a session of the SMTP backend.
func (s *SMTPServer) NewSession(*smtp.Conn) (smtp.Session, error) { return &smtpSession{srv: s}, nil }

type smtpSession struct{ srv *SMTPServer }

func (*smtpSession) Reset()                               {}
func (*smtpSession) Logout() error                        { return nil }
func (*smtpSession) Mail(string, *smtp.MailOptions) error { return nil }
func (*smtpSession) Rcpt(string, *smtp.RcptOptions) error { return nil }
func (ss *smtpSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	ss.srv.mu.Lock()
	defer ss.srv.mu.Unlock()
	ss.srv.msgs = append(ss.srv.msgs, b)
	return nil
}

func StartSMTP(t testing.TB) *SMTPServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &SMTPServer{Addr: ln.Addr().String()}
	s := smtp.NewServer(srv)
	s.Domain = "localhost"
	s.EnableSMTPUTF8 = true
	go func() { _ = s.Serve(ln) }()
	t.Cleanup(func() { _ = s.Close() })
	return srv
}

// Received returns the raw messages received so far.
func (s *SMTPServer) Received() [][]byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([][]byte(nil), s.msgs...)
}

// Mail is a received message, decoded as a mail reader would.
type Mail struct {
	Subject, To, Body, ListUnsubscribe string
	Attachments                        map[string][]byte
}

// ParseMail decodes a raw message: headers (RFC 2047 words), text parts
// (quoted-printable or base64) and attachments.
func ParseMail(t testing.TB, raw []byte) Mail {
	t.Helper()
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	var dec mime.WordDecoder
	subject, err := dec.DecodeHeader(m.Header.Get("Subject"))
	if err != nil {
		t.Fatal(err)
	}
	p := Mail{Subject: subject, To: m.Header.Get("To"), ListUnsubscribe: m.Header.Get("List-Unsubscribe"), Attachments: map[string][]byte{}}
	var walk func(h map[string][]string, body io.Reader)
	walk = func(h map[string][]string, body io.Reader) {
		get := func(k string) string {
			if v := h[k]; len(v) > 0 {
				return v[0]
			}
			return ""
		}
		mediaType, params, _ := mime.ParseMediaType(get("Content-Type"))
		if strings.HasPrefix(mediaType, "multipart/") {
			mr := multipart.NewReader(body, params["boundary"])
			for {
				part, err := mr.NextRawPart()
				if err != nil {
					return
				}
				walk(part.Header, part)
			}
		}
		var r io.Reader
		r = body
		switch strings.ToLower(get("Content-Transfer-Encoding")) {
		case "quoted-printable":
			r = quotedprintable.NewReader(body)
		case "base64":
			r = base64.NewDecoder(base64.StdEncoding, body)
		}
		b, err := io.ReadAll(r)
		if err != nil {
			t.Fatal(err)
		}
		if _, dp, err := mime.ParseMediaType(get("Content-Disposition")); err == nil && dp["filename"] != "" {
			p.Attachments[dp["filename"]] = b
		} else if mediaType == "text/plain" {
			p.Body += string(b)
		}
	}
	walk(m.Header, m.Body)
	return p
}

// PDFText is the text pdftotext reads from a PDF.
func PDFText(t testing.TB, pdf []byte) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Fatal("pdftotext is missing: run make test-deps (poppler-utils)")
	}
	path := filepath.Join(t.TempDir(), "briefing.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}
