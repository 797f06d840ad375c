package banner

import (
	"strconv"
	"strings"

	"github.com/charte/charte/registry"
)

// The preferences dialog is rendered here, once per script, not by the
// script: its markup, the categories' descriptions and cookie lists and its
// wording reach the visitor only when the preferences first open (the
// details, served apart), so the first layer, all that most visitors use,
// does not carry them. What depends on the visitor is left for the script
// to set (banner.js, show): each switch or radio (data-k, data-s, data-r),
// the GPC notice (data-g, hidden) and the consent id (data-i, hidden).
//
// Every text in c is HTML already (config.go), and ids are tokens.

// dialogTexts are the texts only the dialog shows: they leave the script's
// configuration once the dialog is rendered.
var dialogTexts = []string{"D", "S", "O", "I", "G", "N", "U", "F", "V", "Z", "Y"}

// dialog renders c's dialog in the site's theme.
func dialog(c *config, theme string, services bool) string {
	var b strings.Builder
	if theme == registry.ThemeDSFR {
		dsfrDialog(&b, c)
	} else {
		charteDialog(&b, c, services)
	}
	return b.String()
}

// notices are the dialog's opening paragraphs: nothing to consent to, or
// the GPC refusal (shown by the script when the browser sends the signal).
func notices(b *strings.Builder, c *config) {
	W := c.Texts
	if len(c.Consent) == 0 {
		b.WriteString(`<p>` + W["N"] + `</p>`)
	} else if c.GPC {
		b.WriteString(`<p data-g hidden>` + W["G"] + `</p>`)
	}
}

// consentID is the paragraph the script fills with a stored choice's id.
func consentID(c *config) string {
	return `<p data-i hidden>` + c.Texts["I"] + ` <code></code></p>`
}

// cookieList is a category's cookies in a disclosure.
func cookieList(b *strings.Builder, k category) {
	b.WriteString(`<details><summary>Cookies (` + strconv.Itoa(len(k.List)) + `)</summary><ul>`)
	for _, e := range k.List {
		b.WriteString(`<li><b>` + e[0] + `</b> — ` + e[1] + ` — ` + e[2] + ` — ` + e[3] + `</li>`)
	}
	b.WriteString(`</ul></details>`)
}

// charteDialog is charte's own dialog (the markup of markup.js's first
// layer, in banner.css's classes): a switch per consent category, its
// services' switches on a site with services, then the exempt categories.
func charteDialog(b *strings.Builder, c *config, services bool) {
	W := c.Texts
	button := func(action, text string) string {
		return `<button data-charte-action="` + action + `">` + text + `</button>`
	}
	b.WriteString(`<div class="charte charte-o" lang="` + c.Lang + `"><div class="charte-d" role="dialog" aria-modal="true" aria-labelledby="charte-t" tabindex="-1"><button class="charte-x" data-x aria-label="` + W["F"] + `">×</button><h2 id="charte-t">` + W["D"] + `</h2>`)
	notices(b, c)
	section := func(k category, consent bool) {
		b.WriteString(`<section><h3>`)
		if consent {
			b.WriteString(`<label><input type="checkbox" role="switch" data-k="` + k.ID + `"> ` + k.Name + `</label>`)
		} else {
			b.WriteString(k.Name + ` — ` + W["O"])
		}
		b.WriteString(`</h3><p>` + k.Purpose + `</p>`)
		if consent && services && len(k.Services) > 0 {
			b.WriteString(`<ul aria-label="` + W["U"] + `">`)
			for _, s := range k.Services {
				b.WriteString(`<li><label><input type="checkbox" role="switch" data-s="` + s[0] + `" data-c="` + k.ID + `"> ` + s[1] + ` — ` + s[2] + `</label></li>`)
			}
			b.WriteString(`</ul>`)
		}
		cookieList(b, k)
		b.WriteString(`</section>`)
	}
	for _, k := range c.Consent {
		section(k, true)
	}
	for _, k := range c.Exempt {
		section(k, false)
	}
	b.WriteString(consentID(c) + `<div class="charte-b">`)
	if len(c.Consent) > 0 {
		b.WriteString(button("reject_all", W["R"]) + button("accept_all", W["A"]) + button("save", W["S"]))
	} else {
		b.WriteString(button("close", W["F"]))
	}
	b.WriteString(`</div></div></div>`)
}

// dsfrDialog is the DSFR's consent manager (dsfr.js has its first layer):
// per purpose an "Accepter" and a "Refuser" radio, "Refuser" disabled
// where no consent is asked, exempt purposes first.
func dsfrDialog(b *strings.Builder, c *config) {
	W := c.Texts
	button := func(action, text string) string {
		return `<li><button class="fr-btn" data-charte-action="` + action + `">` + text + `</button></li>`
	}
	radio := func(k category, id, text, attrs string) string {
		return `<div class="fr-radio-group"><input type="radio" id="charte-` + k.ID + `-` + id + `" name="charte-` + k.ID + `"` + attrs +
			`><label class="fr-label" for="charte-` + k.ID + `-` + id + `">` + text + `</label></div>`
	}
	b.WriteString(`<div class="charte" lang="` + c.Lang + `"><div class="fr-modal fr-modal--opened" role="dialog" aria-modal="true" aria-labelledby="charte-t" tabindex="-1"><div class="fr-container fr-container--fluid fr-container-md"><div class="fr-grid-row fr-grid-row--center"><div class="fr-col-12 fr-col-md-10 fr-col-lg-8"><div class="fr-modal__body"><div class="fr-modal__header"><button class="fr-btn--close fr-btn" data-x>` + W["F"] + `</button></div><div class="fr-modal__content"><h2 id="charte-t" class="fr-modal__title">` + W["D"] + `</h2>`)
	notices(b, c)
	b.WriteString(`<div class="fr-consent-manager">`)
	purpose := func(k category, consent bool) {
		b.WriteString(`<div class="fr-consent-service"><fieldset class="fr-fieldset" role="group" aria-labelledby="charte-` + k.ID + `-l charte-` + k.ID + `-p"><legend id="charte-` + k.ID + `-l" class="fr-consent-service__title">` + k.Name + `</legend><div class="fr-consent-service__radios">`)
		if consent {
			b.WriteString(radio(k, "a", W["V"], ` data-k="`+k.ID+`"`) + radio(k, "r", W["Z"], ` data-r="`+k.ID+`"`))
		} else {
			b.WriteString(radio(k, "a", W["V"], ` checked`) + radio(k, "r", W["Z"], ` disabled`))
		}
		b.WriteString(`</div><p id="charte-` + k.ID + `-p" class="fr-consent-service__desc">` + k.Purpose + `</p>`)
		cookieList(b, k)
		b.WriteString(`</fieldset></div>`)
	}
	for _, k := range c.Exempt {
		purpose(k, false)
	}
	for _, k := range c.Consent {
		purpose(k, true)
	}
	b.WriteString(consentID(c) + `<ul class="fr-consent-manager__buttons fr-btns-group fr-btns-group--right fr-btns-group--inline-sm">`)
	if len(c.Consent) > 0 {
		b.WriteString(button("save", W["Y"]))
	} else {
		b.WriteString(button("close", W["F"]))
	}
	b.WriteString(`</ul></div></div></div></div></div></div></div></div>`)
}
