package proxy

import (
	"html/template"
	"net/http"
	"strings"
)

// The error page is in both languages on one page, the visitor's first: the
// proxy knows no site language, and a visitor of a French public portal
// must understand it whatever their browser says.
var errorPage = template.Must(template.New("error").Parse(`<!doctype html>
<html lang="{{(index .Texts 0).Lang}}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{(index .Texts 0).Title}}</title>
<style>body{font:1.1rem/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#1a1a1a}h1{font-size:1.5rem}section+section{margin-top:2rem;border-top:1px solid #ccc;padding-top:1rem}</style>
</head>
<body>
{{range .Texts}}<section lang="{{.Lang}}">
<h1>{{.Title}}</h1>
<p>{{.Message}}</p>
<p>{{.Hint}}</p>
</section>
{{end}}</body>
</html>
`))

type pageText struct{ Lang, Title, Message, Hint string }

var errorTexts = map[int][2]pageText{
	http.StatusBadGateway: {
		{"fr", "Site momentanément indisponible", "Le serveur du site ne répond pas pour le moment (erreur 502).", "Réessayez dans quelques instants. Si le problème persiste, contactez l'équipe du site."},
		{"en", "Site temporarily unavailable", "The site's server is not answering right now (error 502).", "Please try again in a few moments. If the problem persists, contact the site's team."},
	},
	http.StatusGatewayTimeout: {
		{"fr", "Site momentanément indisponible", "Le serveur du site met trop de temps à répondre (erreur 504).", "Réessayez dans quelques instants. Si le problème persiste, contactez l'équipe du site."},
		{"en", "Site temporarily unavailable", "The site's server is taking too long to answer (error 504).", "Please try again in a few moments. If the problem persists, contact the site's team."},
	},
}

func writeErrorPage(w http.ResponseWriter, r *http.Request, status int) {
	texts := errorTexts[status]
	order := []pageText{texts[0], texts[1]}
	if prefersEnglish(r.Header.Get("Accept-Language")) {
		order[0], order[1] = order[1], order[0]
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Retry-After", "10")
	w.WriteHeader(status)
	_ = errorPage.Execute(w, struct{ Texts []pageText }{order})
}

// prefersEnglish reports whether the visitor's first language is English;
// French comes first otherwise, as charte's default.
func prefersEnglish(acceptLanguage string) bool {
	first, _, _ := strings.Cut(acceptLanguage, ",")
	first, _, _ = strings.Cut(strings.TrimSpace(first), ";")
	return strings.HasPrefix(strings.ToLower(first), "en")
}
