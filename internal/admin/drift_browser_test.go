package admin_test

import (
	"context"
	"crypto/hmac"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"mime/quotedprintable"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/charte/charte/internal/alert"
	"github.com/charte/charte/internal/alert/alerttest"
	"github.com/charte/charte/internal/store"
	"github.com/charte/charte/internal/store/storetest"
	"github.com/charte/charte/internal/testenv"
	"github.com/charte/charte/internal/web"
)

// gtagURL is a script of a service needing consent (Google Analytics);
// gtagKey is how a drift alert names it.
const (
	gtagURL = "https://www.googletagmanager.com/gtag/js?id=G-TEST"
	gtagKey = "https://www.googletagmanager.com/gtag/js (google-analytics)"
)

// hooks is a webhook endpoint: the first delivery attempt is answered 503
// (the sender must retry), then each delivery is counted once by its id.
type hooks struct {
	mu       sync.Mutex
	attempts int
	byID     map[string][]byte
	sigOK    bool
	secret   []byte
}

func (h *hooks) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	h.mu.Lock()
	defer h.mu.Unlock()
	h.attempts++
	if h.attempts == 1 {
		w.WriteHeader(http.StatusServiceUnavailable)
		return
	}
	h.sigOK = hmac.Equal([]byte(r.Header.Get(alert.SignatureHeader)), []byte(alert.Sign(h.secret, body)))
	h.byID[r.Header.Get(alert.DeliveryHeader)] = body
}

func (h *hooks) delivered() map[string][]byte {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := map[string][]byte{}
	for k, v := range h.byID {
		out[k] = v
	}
	return out
}

// TestScheduledScanDrift schedules daily scans of a page through the API,
// runs three in a row on a real Chromium, and checks the alerts: the first
// scan is the baseline (no alert), the page then starts setting a cookie
// the registry does not declare and loading gtag.js with no banner to hold
// it (exactly one alert, on the dashboard, by webhook and by e-mail through
// a real SMTP server), and an unchanged third scan raises none.
func TestScheduledScanDrift(t *testing.T) {
	chromium := testenv.Chromium(t)
	if testing.Short() {
		t.Skip("drives Chromium; skipped with -short")
	}
	storetest.Engines(t, func(t *testing.T, st store.Store) {
		mail := alerttest.NewSMTP(t)
		hk := &hooks{byID: map[string][]byte{}, secret: []byte("webhook secret")}
		hookSrv := httptest.NewServer(hk)
		defer hookSrv.Close()
		var tracking atomic.Bool
		site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			tag := ""
			if tracking.Load() {
				w.Header().Add("Set-Cookie", "tracker=1; Path=/; Max-Age=3600")
				// The request to Google fails (tests run offline); the
				// element is there, free to run, all the same.
				tag = `<script async src="` + gtagURL + `"></script>`
			}
			io.WriteString(w, "<!doctype html><html lang=en><title>page</title>"+tag+"<p>A page.")
		}))
		defer site.Close()

		e := newEnv(t, st)
		cfg := web.Config{BaseURL: e.base, PasswordParams: cheap, Chromium: chromium, ScanPrivateNetworks: true,
			ScheduleEvery: 50 * time.Millisecond, AlertLanguage: "fr",
			Webhook: &alert.Webhook{URL: hookSrv.URL, Secret: hk.secret, Backoff: 10 * time.Millisecond},
			Mailer: &alert.Mailer{Addr: mail.Addr, Username: mail.User, Password: mail.Password, From: "charte@example.org",
				To: []string{"dpo@example.org"}, RootCAs: mail.RootCAs}}
		srv, err := web.New(cfg, st, slog.New(slog.NewTextHandler(io.Discard, nil)))
		if err != nil {
			t.Fatal(err)
		}
		closed := false
		defer func() {
			if !closed {
				srv.Close()
			}
		}()
		e.srv.Config.Handler = srv.Handler()

		editor := e.signedIn("editor@example.org")
		editor.lang = "fr"
		r := editor.call("PUT", "/api/v1/sites/demo/scan-schedule", `{"frequency": "daily", "url": "`+site.URL+`/", "pages": 1}`)
		if r.status != 200 || !strings.Contains(r.body, `"frequency": "daily"`) {
			t.Fatalf("schedule: %d %s", r.status, r.body)
		}
		ctx := context.Background()
		// waitScans waits for n finished scheduled scans.
		waitScans := func(n int) {
			t.Helper()
			for deadline := time.Now().Add(3 * time.Minute); ; time.Sleep(100 * time.Millisecond) {
				list, err := st.ListScans(ctx, "demo", 20)
				if err != nil {
					t.Fatal(err)
				}
				done := 0
				for _, s := range list {
					if s.StartedBy == "schedule" && s.Status == store.ScanDone {
						done++
					}
					if s.Status == store.ScanFailed {
						t.Fatalf("scheduled scan %d failed: %s", s.ID, s.Error)
					}
				}
				if done >= n {
					return
				}
				if time.Now().After(deadline) {
					t.Fatalf("%d of %d scheduled scans done after 3 minutes", done, n)
				}
			}
		}
		due := func() {
			t.Helper()
			sc, err := st.ScanSchedule(ctx, "demo")
			if err != nil {
				t.Fatal(err)
			}
			sc.NextAt = time.Now().Add(-time.Second)
			if err := st.SaveScanSchedule(ctx, sc); err != nil {
				t.Fatal(err)
			}
		}

		waitScans(1) // the baseline
		tracking.Store(true)
		due()
		waitScans(2)
		for deadline := time.Now().Add(time.Minute); len(hk.delivered()) == 0 || len(mail.Messages()) == 0; time.Sleep(50 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("no alert delivered a minute after the scan: webhook %d, e-mail %d", len(hk.delivered()), len(mail.Messages()))
			}
		}
		tracking.Store(true) // unchanged: the third scan sees what the second did
		due()
		waitScans(3)
		// Close waits for the scans' alerts to be delivered: nothing is
		// still on its way when the counts are read.
		srv.Close()
		closed = true

		alerts, err := st.ListAlerts(ctx, "demo", 10)
		if err != nil || len(alerts) != 1 {
			t.Fatalf("alerts: %d %v, want exactly 1", len(alerts), err)
		}
		var changes struct {
			Undeclared, Preconsent []string
			EarlyScript            []string `json:"early_script"`
		}
		json.Unmarshal(alerts[0].Changes, &changes)
		if !slices.Contains(changes.Undeclared, "tracker (127.0.0.1)") || !slices.Contains(changes.Preconsent, "tracker (127.0.0.1)") ||
			!slices.Equal(changes.EarlyScript, []string{gtagKey}) {
			t.Errorf("alert changes %s, want tracker undeclared and set before consent, and gtag.js run before consent", alerts[0].Changes)
		}

		got := hk.delivered()
		if len(got) != 1 || !hk.sigOK {
			t.Fatalf("webhook deliveries %d (signature verified: %v), want exactly 1", len(got), hk.sigOK)
		}
		for id, body := range got {
			var p struct {
				ID      int64
				Site    string
				Changes struct {
					Undeclared  []string
					EarlyScript []string `json:"early_script"`
				}
				Text map[string]string
			}
			if err := json.Unmarshal(body, &p); err != nil || id != fmt.Sprintf("alert-%d", alerts[0].ID) || p.Site != "demo" ||
				!slices.Contains(p.Changes.Undeclared, "tracker (127.0.0.1)") || !slices.Equal(p.Changes.EarlyScript, []string{gtagKey}) ||
				!strings.Contains(p.Text["de"], "Neues Skript, das vor der Einwilligung ausgeführt werden konnte:\n  - "+gtagKey) ||
				!strings.Contains(p.Text["fr"], "Nouveaux cookies absents du registre") || !strings.Contains(p.Text["en"], "New cookies the registry does not declare") {
				t.Errorf("webhook %s: %s (%v)", id, body, err)
			}
		}

		msgs := mail.Messages()
		if len(msgs) != 1 {
			t.Fatalf("e-mails %d, want exactly 1", len(msgs))
		}
		head, raw, _ := strings.Cut(msgs[0].Data, "\r\n\r\n")
		subject := ""
		for _, l := range strings.Split(strings.ReplaceAll(head, "\r\n ", " "), "\r\n") {
			if v, ok := strings.CutPrefix(l, "Subject:"); ok {
				subject, _ = new(mime.WordDecoder).DecodeHeader(strings.TrimSpace(v))
			}
		}
		decoded, _ := io.ReadAll(quotedprintable.NewReader(strings.NewReader(raw)))
		body := strings.ReplaceAll(string(decoded), "\r\n", "\n") // SMTP's line ends
		if subject != "charte\u00a0: la réalité de demo ne suit plus sa charte cookies" || !msgs[0].TLS ||
			!strings.Contains(body, "tracker (127.0.0.1)") || !strings.Contains(body, "New cookies set before consent") ||
			!strings.Contains(body, "Nouveau script qui a pu s'exécuter avant le consentement\u00a0:\n  - "+gtagKey) ||
			!strings.Contains(body, "New script left free to run before consent:\n  - "+gtagKey) {
			t.Errorf("e-mail %q (TLS %v):\n%s", subject, msgs[0].TLS, body)
		}

		// The dashboard: the site's scans page lists the alert, in French.
		e.serve(web.Config{BaseURL: e.base, PasswordParams: cheap})
		page := editor.get("/admin/sites/demo/scans")
		if page.status != 200 || strings.Count(page.body, `<section class="alert"`) != 1 ||
			!strings.Contains(page.body, "Nouveaux cookies déposés avant le consentement") || !strings.Contains(page.body, "<code>tracker (127.0.0.1)</code>") ||
			!strings.Contains(page.body, "<p>Nouveau script qui a pu s&#39;exécuter avant le consentement</p>\n<ul><li><code>"+gtagKey+"</code></li></ul>\n"+
				"<p class=\"note\">Ce script appartient à un service qui requiert un consentement") {
			t.Errorf("scans page: %d\n%s", page.status, page.body)
		}
	})
}
