package alert

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/smtp"
	"strings"
	"time"
)

// Mailer sends alerts by e-mail through an SMTP server, with STARTTLS:
// a server that does not offer it is refused unless AllowPlain, since the
// password and the alert would cross the network in clear.
type Mailer struct {
	Addr               string // host:port, e.g. smtp.example.org:587
	Username, Password string // AUTH PLAIN when Username is set
	From               string
	To                 []string
	AllowPlain         bool
	// RootCAs verifies the server's certificate (the system's when nil).
	RootCAs *x509.CertPool
}

// ErrNoSTARTTLS is returned when the server offers no STARTTLS and
// AllowPlain is off.
var ErrNoSTARTTLS = errors.New("the SMTP server does not offer STARTTLS (allow plain SMTP explicitly to send anyway)")

// Send sends one message: subject and a plain-text UTF-8 body.
func (m *Mailer) Send(ctx context.Context, subject, body string) error {
	if err := m.send(ctx, subject, body); err != nil {
		return fmt.Errorf("e-mail through %s: %w", m.Addr, err)
	}
	return nil
}

func (m *Mailer) send(ctx context.Context, subject, body string) error {
	if len(m.To) == 0 || m.From == "" {
		return errors.New("no sender or no recipient")
	}
	for _, a := range append([]string{m.From}, m.To...) {
		if strings.ContainsAny(a, "\r\n") {
			return fmt.Errorf("address %q holds a line break", a)
		}
	}
	host, _, err := net.SplitHostPort(m.Addr)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	conn, err := (&net.Dialer{}).DialContext(ctx, "tcp", m.Addr)
	if err != nil {
		return err
	}
	// net/smtp takes no context: the deadline bounds the whole exchange.
	deadline, _ := ctx.Deadline()
	conn.SetDeadline(deadline)
	c, err := smtp.NewClient(conn, host)
	if err != nil {
		conn.Close()
		return err
	}
	defer c.Close()
	if err := c.Hello("charte"); err != nil {
		return err
	}
	if ok, _ := c.Extension("STARTTLS"); ok {
		if err := c.StartTLS(&tls.Config{ServerName: host, RootCAs: m.RootCAs, MinVersion: tls.VersionTLS12}); err != nil {
			return err
		}
	} else if !m.AllowPlain {
		return ErrNoSTARTTLS
	}
	if m.Username != "" {
		if err := c.Auth(smtp.PlainAuth("", m.Username, m.Password, host)); err != nil {
			return err
		}
	}
	if err := c.Mail(m.From); err != nil {
		return err
	}
	for _, to := range m.To {
		if err := c.Rcpt(to); err != nil {
			return err
		}
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write(message(m.From, m.To, subject, body)); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return c.Quit()
}

// message is the RFC 5322 message: UTF-8 subject encoded as RFC 2047 asks,
// body in quoted-printable so no line is too long.
func message(from string, to []string, subject, body string) []byte {
	var b strings.Builder
	// Each encoded word (75 characters at most) is folded onto a line of
	// its own, so no line is over the 78 RFC 5322 asks for.
	fmt.Fprintf(&b, "From: %s\r\nTo: %s\r\nSubject:\r\n %s\r\n", from, strings.Join(to, ", "), strings.ReplaceAll(mime.QEncoding.Encode("utf-8", subject), "?= =?", "?=\r\n =?"))
	fmt.Fprintf(&b, "Date: %s\r\nMessage-ID: <%s@charte>\r\n", time.Now().Format(time.RFC1123Z), rand.Text())
	b.WriteString("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n")
	qp := quotedprintable.NewWriter(&b)
	qp.Write([]byte(strings.ReplaceAll(body, "\n", "\r\n")))
	qp.Close()
	return []byte(b.String())
}
