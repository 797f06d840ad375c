package scan

import (
	_ "embed"
	"encoding/base64"
	"html/template"
	"io"
)

//go:embed report.html.tmpl
var reportHTML string

// reportTemplate is parsed once; html/template escapes every cookie name,
// label and URL a scanned site controls, so a hostile page cannot inject
// markup into the report an operator mails to a DPO.
var reportTemplate = template.Must(template.New("report").Funcs(template.FuncMap{
	"T": func(lang, key string) string { return T(lang, key) },
	// png is the banner screenshot as a data: URL, so the report is one
	// self-contained file. The bytes come from Chromium, never from the page.
	"png": func(b []byte) template.URL {
		return template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(b))
	},
}).Parse(reportHTML))

func renderHTML(w io.Writer, v view) error {
	return reportTemplate.Execute(w, v)
}
