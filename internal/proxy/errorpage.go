package proxy

import (
	"html/template"
	"net/http"
	"strconv"

	"github.com/charte/charte/internal/i18n"
)

// The error page is in two languages on one page, the visitor's first: the
// proxy knows no site language, and a visitor of a French public portal
// must understand it whatever their browser says. The second is French, or
// English for a French reader.
var errorPage = template.Must(template.New("error").Parse(`<!doctype html>
<html lang="{{(index .Texts 0).Lang}}"{{with (index .Texts 0).Dir}} dir="{{.}}"{{end}}>
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{(index .Texts 0).Title}}</title>
<style>body{font:1.1rem/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#1a1a1a}h1{font-size:1.5rem}section+section{margin-top:2rem;border-top:1px solid #ccc;padding-top:1rem}</style>
</head>
<body>
{{range .Texts}}<section lang="{{.Lang}}"{{with .Dir}} dir="{{.}}"{{end}}>
<h1>{{.Title}}</h1>
<p>{{.Message}}</p>
<p>{{.Hint}}</p>
</section>
{{end}}</body>
</html>
`))

// pageText is the page in one language; Dir is set for right-to-left ones.
type pageText struct{ Lang, Dir, Title, Message, Hint string }

func newPageText(lang string, status int) pageText {
	t := pageText{Lang: lang, Title: i18n.T(lang, "proxy.title"),
		Message: i18n.T(lang, "proxy."+strconv.Itoa(status)), Hint: i18n.T(lang, "proxy.hint")}
	if i18n.Dir(lang) == "rtl" {
		t.Dir = "rtl"
	}
	return t
}

// writeErrorPage answers 502 or 504 (the catalogue has those two).
func writeErrorPage(w http.ResponseWriter, r *http.Request, status int) {
	first := i18n.Negotiate(i18n.Languages(), "fr", nil, r.Header.Get("Accept-Language"))
	second := "fr"
	if first == "fr" {
		second = "en"
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Retry-After", "10")
	w.WriteHeader(status)
	_ = errorPage.Execute(w, struct{ Texts []pageText }{[]pageText{newPageText(first, status), newPageText(second, status)}})
}
