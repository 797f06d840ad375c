package admin

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"github.com/charte/charte/internal/banner"
)

// bannerPreview shows the draft's banner, in one of the site's languages,
// on a sample page of the site, as visitors would get it once published:
// the public script's own code, built from the draft. The operator clicks
// through it without any effect, for three reasons that do not depend on
// the script:
//
//   - the page is sandboxed (CSP "sandbox allow-scripts"): an opaque
//     origin, to which the browser gives no cookie and no storage of
//     charte's host, the host that also serves the demo page;
//   - it may connect nowhere (connect-src 'none'): no consent is posted;
//   - previewGuard runs first and gives the banner a cookie jar and a
//     storage that forget, and a fetch that goes nowhere, so it runs there
//     without errors or violations. data-reload="false" keeps a withdrawal
//     from reloading, and banner.Options.Preview leaves Consent Mode out.
//
// The script is inline, allowed by its hash: a separate script request
// from an opaque origin would be cross-site and carry no session.
func (a *Admin) BannerPreview(w http.ResponseWriter, r *http.Request) error {
	s, err := a.draft(r)
	if err != nil {
		return err
	}
	l := r.URL.Query().Get("lang")
	if !has(s.Languages, l) {
		l = s.DefaultLanguage
	}
	charter := "/admin/sites/" + url.PathEscape(s.ID) + "/preview?lang=" + url.QueryEscape(l)
	script, err := banner.Build(s, s.Revision(), l, banner.Options{APIBase: a.publicBase(r), Preview: true, Charter: charter})
	if err != nil {
		return err
	}
	js := previewGuard + string(script)
	// The texts in the script are HTML-escaped, so no "<" comes from the
	// registry; this stops a future change from ending the element early.
	if low := strings.ToLower(js); strings.Contains(low, "</script") || strings.Contains(low, "<!--") {
		return errors.New("banner preview: the script cannot be inlined")
	}
	var b bytes.Buffer
	err = previewPage.Execute(&b, map[string]any{
		"Lang": l, "Site": s.Name, "Charter": charter, "Again": "?lang=" + url.QueryEscape(l),
		"Style": template.CSS(previewStyle), "Script": template.JS(js),
		"T": func(key string) string { return msg(l, key) },
	})
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'none'; script-src "+hashSource(js)+"; style-src "+hashSource(previewStyle)+
		"; connect-src 'none'; form-action 'none'; frame-ancestors 'self'; base-uri 'none'; sandbox allow-scripts")
	h.Set("X-Frame-Options", "SAMEORIGIN")
	h.Set("Content-Type", "text/html; charset=utf-8")
	_, err = b.WriteTo(w)
	return err
}

// previewGuard stands in for what the sandbox takes away (document.cookie
// and localStorage throw in an opaque origin) and for the network the CSP
// refuses, so the banner never fails half-way: nothing it keeps outlives
// the page.
const previewGuard = `Object.defineProperty(document,"cookie",{get:()=>"",set(){}});` +
	`Object.defineProperty(window,"localStorage",{value:{removeItem(){}}});` +
	`window.fetch=()=>new Promise(()=>{});`

// publicBase is charte's public URL, as the public banner's routes work it
// out: the configured base URL, else the origin the request came to.
func (a *Admin) publicBase(r *http.Request) string {
	if a.cfg.BaseURL != nil {
		return strings.TrimSuffix(a.cfg.BaseURL.String(), "/")
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

func hashSource(s string) string {
	sum := sha256.Sum256([]byte(s))
	return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
}

// previewStyle is the sample page's look: a plain page, so the banner is
// seen over something, with its two links at the top, where the banner at
// the bottom of a short frame leaves them visible.
const previewStyle = `body{margin:0;font:16px/1.5 system-ui,sans-serif;color:#1d2430;background:#fff}` +
	`header{display:flex;flex-wrap:wrap;justify-content:space-between;gap:.5rem 1rem;padding:.6rem 1.2rem;background:#eef2f7;border-bottom:1px solid #d8dde5}` +
	`main{max-width:44rem;padding:1rem 1.2rem 16rem}.note{color:#5a6475}a{color:#1f5fa8}`

// previewPage is the sample host page. The script carries data-reload
// because the banner reads it from its own tag.
var previewPage = template.Must(template.New("bannerpreview").Parse(`<!doctype html>
<html lang="{{.Lang}}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{call .T "bpreview.title"}} — {{.Site}}</title>
<style>{{.Style}}</style></head>
<body>
<header><span><strong>{{.Site}}</strong> · {{call .T "bpreview.title"}}</span>
<span><a href="{{.Charter}}" data-charte-open>{{call .T "bpreview.manage"}}</a> · <a href="{{.Again}}" id="again">{{call .T "bpreview.again"}}</a></span></header>
<main>
<h1>{{call .T "bpreview.heading"}}</h1>
<p class="note">{{call .T "bpreview.note"}}</p>
</main>
<script data-reload="false">{{.Script}}</script>
</body></html>
`))
