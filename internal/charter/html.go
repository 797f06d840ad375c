package charter

import (
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"html/template"
	"io"

	"github.com/charte/charte/internal/i18n"
)

//go:embed charter.html.tmpl
var htmlSource string

//go:embed charter.css
var css string

var htmlTemplate = template.Must(template.New("charter").Funcs(template.FuncMap{
	// Catalog texts are charte's own, trusted wording with <strong> markup;
	// registry strings never go through this function.
	"t":   func(v view, key string) template.HTML { return template.HTML(v.t(key)) },
	"css": func() template.CSS { return template.CSS(css) },
	// A language's own name, and a message in another language than the
	// page's (the link to the charter in that language is written in it).
	"langname": i18n.Name,
	"tin":      func(lang, key string) string { return i18n.T(lang, "charter."+key) },
	"dir":      i18n.Dir,
	// in marks a text shown in another language than the page's: its
	// lang, and its dir when the direction differs (WCAG 3.1.2).
	"in": func(page, lang string) template.HTMLAttr {
		if lang == "" {
			return ""
		}
		a := ` lang="` + template.HTMLEscapeString(lang) + `"`
		if i18n.Dir(lang) != i18n.Dir(page) {
			a += ` dir="` + i18n.Dir(lang) + `"`
		}
		return template.HTMLAttr(a)
	},
}).Parse(htmlSource))

// StyleHash is the CSP source ('sha256-…') of the page's inline style, so the
// server can allow exactly that style and nothing else.
func StyleHash() string {
	sum := sha256.Sum256([]byte(css))
	return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
}

// RenderHTML writes the charter as a complete, standalone HTML page.
func RenderHTML(w io.Writer, p Page) error {
	return htmlTemplate.Execute(w, newView(p))
}
