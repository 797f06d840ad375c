// Package alert delivers charte's alerts to people and systems: a webhook
// (JSON signed with HMAC-SHA256, retried with backoff) and e-mail (SMTP
// with STARTTLS through net/smtp). What an alert says is its caller's
// business; this package only delivers it, once, or says why it could not.
package alert

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"time"
)

// SignatureHeader carries "sha256=" and the hex HMAC-SHA256 of the request
// body under the webhook's secret, as GitHub's X-Hub-Signature-256 does: a
// receiver recomputes it over the raw body and compares in constant time.
const SignatureHeader = "X-Charte-Signature"

// DeliveryHeader names the alert, the same on every retry, so a receiver
// that got a delivery whose answer was lost can ignore the repeat.
const DeliveryHeader = "X-Charte-Delivery"

// Webhook posts alerts to a URL.
type Webhook struct {
	URL    string
	Secret []byte
	// Attempts is how many times a delivery is tried (5 when zero); the
	// wait doubles after each failure from Backoff (1 s when zero).
	Attempts int
	Backoff  time.Duration
	// Client sends the requests (a 10 s timeout when nil).
	Client *http.Client
}

// Sign returns the SignatureHeader value of body under secret.
func Sign(secret, body []byte) string {
	m := hmac.New(sha256.New, secret)
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// Send posts body (JSON) as delivery id, retrying on a network error, a 5xx
// or a 429 answer; any other answer but 2xx is final: the receiver refused
// it, and repeating would not help.
func (w *Webhook) Send(ctx context.Context, id string, body []byte) error {
	attempts, wait := w.Attempts, w.Backoff
	if attempts <= 0 {
		attempts = 5
	}
	if wait <= 0 {
		wait = time.Second
	}
	client := w.Client
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	var last error
	for i := range attempts {
		if i > 0 {
			select {
			case <-ctx.Done():
				return fmt.Errorf("webhook %s: %w (last: %v)", w.URL, ctx.Err(), last)
			case <-time.After(wait):
			}
			wait *= 2
		}
		retry, err := w.post(ctx, client, id, body)
		if err == nil {
			return nil
		}
		last = err
		if !retry {
			break
		}
	}
	return fmt.Errorf("webhook %s: %w", w.URL, last)
}

func (w *Webhook) post(ctx context.Context, client *http.Client, id string, body []byte) (retry bool, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.URL, bytes.NewReader(body))
	if err != nil {
		return false, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "charte-alerts")
	req.Header.Set(SignatureHeader, Sign(w.Secret, body))
	req.Header.Set(DeliveryHeader, id)
	resp, err := client.Do(req)
	if err != nil {
		return true, err
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	switch {
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
		return false, nil
	case resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests:
		return true, fmt.Errorf("answered %s", resp.Status)
	}
	return false, fmt.Errorf("answered %s: not retried", resp.Status)
}
