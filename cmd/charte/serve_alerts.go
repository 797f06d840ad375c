package main

import (
	"flag"
	"net"
	"net/url"
	"slices"
	"strings"

	"github.com/charte/charte/internal/alert"
	"github.com/charte/charte/internal/cli"
	"github.com/charte/charte/internal/i18n"
	"github.com/charte/charte/internal/web"
)

// alertFlags are where the alerts of scheduled scans go. Secrets (the
// webhook's key, the SMTP password) are best given as files:
// CHARTE_ALERT_WEBHOOK_SECRET_FILE, CHARTE_SMTP_PASSWORD_FILE.
type alertFlags struct {
	webhookURL, webhookSecret        string
	smtpAddr, smtpUser, smtpPassword string
	smtpFrom, emailTo, lang          string
	smtpAllowPlain                   bool
}

func (a *alertFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&a.webhookURL, "alert-webhook-url", "", "post drift alerts of scheduled scans to this URL (JSON signed with HMAC-SHA256 in X-Charte-Signature)")
	fs.StringVar(&a.webhookSecret, "alert-webhook-secret", "", "the webhook's HMAC key (required with --alert-webhook-url; better as CHARTE_ALERT_WEBHOOK_SECRET_FILE)")
	fs.StringVar(&a.smtpAddr, "smtp-addr", "", "SMTP server (host:port, e.g. smtp.example.org:587) that sends drift alerts by e-mail, with STARTTLS")
	fs.StringVar(&a.smtpUser, "smtp-username", "", "SMTP user name (AUTH PLAIN; none when empty)")
	fs.StringVar(&a.smtpPassword, "smtp-password", "", "SMTP password (better as CHARTE_SMTP_PASSWORD_FILE)")
	fs.StringVar(&a.smtpFrom, "smtp-from", "", "sender address of alert e-mails")
	fs.StringVar(&a.emailTo, "alert-email-to", "", "recipients of alert e-mails, comma-separated")
	fs.BoolVar(&a.smtpAllowPlain, "smtp-allow-plain", false, "send alert e-mails even when the SMTP server offers no STARTTLS (in clear)")
	fs.StringVar(&a.lang, "alert-language", "fr", "first language of alert e-mails: "+strings.Join(i18n.AdminLanguages(), ", ")+" (English follows, or French after English)")
}

// apply checks the flags together and sets cfg's channels.
func (a *alertFlags) apply(cfg *web.Config) error {
	if !slices.Contains(i18n.AdminLanguages(), a.lang) {
		return cli.Usagef("charte serve: --alert-language %q: want one of %s", a.lang, strings.Join(i18n.AdminLanguages(), ", "))
	}
	cfg.AlertLanguage = a.lang
	if a.webhookURL != "" {
		u, err := url.Parse(a.webhookURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return cli.Usagef("charte serve: --alert-webhook-url %q: want an absolute http(s) URL", a.webhookURL)
		}
		if a.webhookSecret == "" {
			return cli.Usagef("charte serve: --alert-webhook-url needs --alert-webhook-secret (or CHARTE_ALERT_WEBHOOK_SECRET_FILE), the key receivers check signatures with")
		}
		cfg.Webhook = &alert.Webhook{URL: a.webhookURL, Secret: []byte(a.webhookSecret)}
	} else if a.webhookSecret != "" {
		return cli.Usagef("charte serve: --alert-webhook-secret without --alert-webhook-url")
	}
	var to []string
	for _, addr := range strings.Split(a.emailTo, ",") {
		if addr = strings.TrimSpace(addr); addr != "" {
			to = append(to, addr)
		}
	}
	if a.smtpAddr == "" {
		if len(to) > 0 || a.smtpFrom != "" || a.smtpUser != "" {
			return cli.Usagef("charte serve: alert e-mails need --smtp-addr")
		}
		return nil
	}
	if _, _, err := net.SplitHostPort(a.smtpAddr); err != nil {
		return cli.Usagef("charte serve: --smtp-addr %q: want host:port, e.g. smtp.example.org:587", a.smtpAddr)
	}
	if a.smtpFrom == "" || len(to) == 0 {
		return cli.Usagef("charte serve: --smtp-addr needs --smtp-from and --alert-email-to")
	}
	cfg.Mailer = &alert.Mailer{Addr: a.smtpAddr, Username: a.smtpUser, Password: a.smtpPassword, From: a.smtpFrom, To: to, AllowPlain: a.smtpAllowPlain}
	return nil
}
