package main

import (
	"strings"
	"testing"

	"github.com/charte/charte/internal/web"
)

// Alert flags that cannot work together are refused before anything
// starts; a whole set becomes the server's channels.
func TestServeAlertFlags(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--alert-webhook-url", "https://hooks.example.org/charte"}, "needs --alert-webhook-secret"},
		{[]string{"--alert-webhook-url", "hooks.example.org", "--alert-webhook-secret", "k"}, "want an absolute http(s) URL"},
		{[]string{"--alert-webhook-secret", "k"}, "without --alert-webhook-url"},
		{[]string{"--alert-email-to", "dpo@example.org"}, "alert e-mails need --smtp-addr"},
		{[]string{"--smtp-addr", "smtp.example.org"}, "want host:port"},
		{[]string{"--smtp-addr", "smtp.example.org:587", "--smtp-from", "charte@example.org"}, "needs --smtp-from and --alert-email-to"},
		{[]string{"--alert-language", "pl"}, `--alert-language "pl": want one of de, en, es, fr, it`},
	} {
		code, _, errOut := charte(t, "", nil, append([]string{"serve", "--listen", "127.0.0.1:0", "--db", "sqlite::memory:"}, tt.args...)...)
		if code != 2 || !strings.Contains(errOut, tt.want) {
			t.Errorf("serve %v: exit %d %q, want 2 with %q", tt.args, code, errOut, tt.want)
		}
	}

	a := alertFlags{webhookURL: "https://hooks.example.org/charte", webhookSecret: "hmac key", smtpAddr: "smtp.example.org:587",
		smtpFrom: "charte@example.org", emailTo: "dpo@example.org, web@example.org", lang: "de"}
	var cfg web.Config
	if err := a.apply(&cfg); err != nil {
		t.Fatal(err)
	}
	if cfg.Webhook == nil || string(cfg.Webhook.Secret) != "hmac key" || cfg.Mailer == nil ||
		strings.Join(cfg.Mailer.To, ",") != "dpo@example.org,web@example.org" || cfg.AlertLanguage != "de" || cfg.Mailer.AllowPlain {
		t.Errorf("config %+v %+v", cfg.Webhook, cfg.Mailer)
	}
}
