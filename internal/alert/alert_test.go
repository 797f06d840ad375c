package alert_test

import (
	"context"
	"crypto/hmac"
	"errors"
	"io"
	"mime"
	"mime/quotedprintable"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charte/charte/internal/alert"
	"github.com/charte/charte/internal/alert/alerttest"
)

// receiver is a webhook endpoint that answers the statuses given, in turn
// (200 once they run out), and keeps what it received.
type receiver struct {
	mu       sync.Mutex
	statuses []int
	got      []delivery
}

type delivery struct {
	id, signature, contentType string
	body                       []byte
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.got = append(rc.got, delivery{r.Header.Get(alert.DeliveryHeader), r.Header.Get(alert.SignatureHeader), r.Header.Get("Content-Type"), body})
	status := 200
	if len(rc.statuses) > 0 {
		status, rc.statuses = rc.statuses[0], rc.statuses[1:]
	}
	w.WriteHeader(status)
}

func TestWebhook(t *testing.T) {
	secret := []byte("shared secret")
	body := []byte(`{"site":"demo","changes":{"undeclared":["_ga (.example.org)"]}}`)
	for _, tt := range []struct {
		name     string
		statuses []int
		requests int    // received by the endpoint
		err      string // "" when delivered
	}{
		{"delivered at once", nil, 1, ""},
		{"retried after server errors", []int{500, 503, 429}, 4, ""},
		{"refused, not retried", []int{400}, 1, "400 Bad Request: not retried"},
		{"given up after the attempts", []int{500, 500, 500}, 3, "500 Internal Server Error"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rc := &receiver{statuses: tt.statuses}
			srv := httptest.NewServer(rc)
			defer srv.Close()
			w := &alert.Webhook{URL: srv.URL, Secret: secret, Attempts: 3 + len(tt.statuses)/3, Backoff: time.Millisecond}
			if tt.name == "given up after the attempts" {
				w.Attempts = 3
			}
			err := w.Send(context.Background(), "alert-7", body)
			if (err == nil) != (tt.err == "") || (err != nil && !strings.Contains(err.Error(), tt.err)) {
				t.Fatalf("Send: %v, want %q", err, tt.err)
			}
			if len(rc.got) != tt.requests {
				t.Fatalf("%d requests, want %d", len(rc.got), tt.requests)
			}
			for _, d := range rc.got {
				if d.id != "alert-7" || d.contentType != "application/json" || string(d.body) != string(body) {
					t.Errorf("delivery %+v", d)
				}
				// What a receiver does: recompute over the raw body.
				if !hmac.Equal([]byte(d.signature), []byte(alert.Sign(secret, d.body))) || !strings.HasPrefix(d.signature, "sha256=") {
					t.Errorf("signature %q does not verify", d.signature)
				}
				if hmac.Equal([]byte(d.signature), []byte(alert.Sign([]byte("another secret"), d.body))) {
					t.Error("the signature verifies under another secret")
				}
			}
		})
	}
	t.Run("nobody listens", func(t *testing.T) {
		srv := httptest.NewServer(http.NotFoundHandler())
		srv.Close()
		w := &alert.Webhook{URL: srv.URL, Secret: secret, Attempts: 2, Backoff: time.Millisecond}
		if err := w.Send(context.Background(), "x", body); err == nil || !strings.Contains(err.Error(), "connection refused") {
			t.Errorf("Send: %v", err)
		}
	})
}

func TestMailer(t *testing.T) {
	srv := alerttest.NewSMTP(t)
	m := &alert.Mailer{Addr: srv.Addr, Username: srv.User, Password: srv.Password, From: "charte@example.org",
		To: []string{"dpo@example.org", "web@example.org"}, RootCAs: srv.RootCAs}
	subject := "charte\u00a0: la réalité de demo ne suit plus sa charte cookies"
	body := "Nouveaux cookies déposés avant le consentement\u00a0:\n  - _ga (.example.org)\n" + strings.Repeat("é", 200) + "\n"
	if err := m.Send(context.Background(), subject, body); err != nil {
		t.Fatal(err)
	}
	msgs := srv.Messages()
	if len(msgs) != 1 {
		t.Fatalf("%d messages, want 1", len(msgs))
	}
	got := msgs[0]
	if !got.TLS || got.User != srv.User || got.From != "charte@example.org" || strings.Join(got.To, ",") != "dpo@example.org,web@example.org" {
		t.Errorf("envelope %+v", got)
	}
	head, raw, _ := strings.Cut(got.Data, "\r\n\r\n")
	var subj string
	for _, l := range strings.Split(strings.ReplaceAll(head, "\r\n ", " "), "\r\n") { // unfolded
		if v, ok := strings.CutPrefix(l, "Subject:"); ok {
			subj, _ = new(mime.WordDecoder).DecodeHeader(strings.TrimSpace(v))
		}
	}
	if subj != subject {
		t.Errorf("subject %q, want %q", subj, subject)
	}
	decoded, err := io.ReadAll(quotedprintable.NewReader(strings.NewReader(raw)))
	if err != nil || strings.ReplaceAll(string(decoded), "\r\n", "\n") != body {
		t.Errorf("body %q (%v), want %q", decoded, err, body)
	}
	for _, l := range strings.Split(got.Data, "\r\n") {
		if len(l) > 78 {
			t.Errorf("line over 78 characters: %q", l)
		}
	}

	for _, tt := range []struct {
		name  string
		setup func(m *alert.Mailer)
		want  error
		text  string
	}{
		{"wrong password", func(m *alert.Mailer) { m.Password = "nope" }, nil, "535"},
		{"certificate not trusted", func(m *alert.Mailer) { m.RootCAs = nil }, nil, "certificate"},
		{"no recipient", func(m *alert.Mailer) { m.To = nil }, nil, "no sender or no recipient"},
		{"header injection", func(m *alert.Mailer) { m.To = []string{"a@example.org\r\nBcc: x@example.org"} }, nil, "line break"},
		{"server without STARTTLS", func(*alert.Mailer) { srv.Plain.Store(true) }, alert.ErrNoSTARTTLS, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			defer srv.Plain.Store(false)
			bad := *m
			tt.setup(&bad)
			err := bad.Send(context.Background(), "s", "b")
			if err == nil || (tt.want != nil && !errors.Is(err, tt.want)) || !strings.Contains(err.Error(), tt.text) {
				t.Errorf("Send: %v, want %v %q", err, tt.want, tt.text)
			}
		})
	}
	if n := len(srv.Messages()); n != 1 {
		t.Errorf("%d messages after the refusals, want still 1", n)
	}
}
